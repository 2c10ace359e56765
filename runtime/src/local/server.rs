//! The HTTP side of the local endpoint: accept connections, route, record, answer.

use std::io::Write as _;
use std::net::SocketAddr;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use flate2::write::GzEncoder;
use flate2::Compression;
use http::{HeaderValue, Method, Request, Response, StatusCode};
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Full, Limited, StreamBody};
use hyper::body::Frame;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use serde_json::{json, Value};
use tokio::net::TcpListener;
use tokio::task::{JoinHandle, JoinSet};

use super::reply::{ReplyBody, Step, StepKind};
use super::verify::{self, header, Rejection};
use super::{lock, EndpointState, Outcome, RecordedRequest, Reply};

/// Where the CVM metadata routes live.
pub(crate) const METADATA_PATH: &str = "/latest/meta-data/cam/security-credentials/";
/// Bodies past this are not read at all; between 10 and 16 MiB they are refused politely.
const READ_LIMIT: usize = 16 * 1024 * 1024;

/// The error that makes hyper close a connection without answering.
#[derive(Debug)]
struct DropConnection;

impl std::fmt::Display for DropConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by script")
    }
}

impl std::error::Error for DropConnection {}

type ResponseBody = BoxBody<Bytes, DropConnection>;
type Handled = Result<Response<ResponseBody>, DropConnection>;

pub(crate) async fn serve(
    state: Arc<EndpointState>,
    addr: SocketAddr,
) -> std::io::Result<(SocketAddr, JoinHandle<()>)> {
    let listener = TcpListener::bind(addr).await?;
    let addr = listener.local_addr()?;
    let task = tokio::spawn(async move {
        let mut connections = JoinSet::new();
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                continue;
            };
            state.connections.fetch_add(1, Ordering::SeqCst);
            state.open.fetch_add(1, Ordering::SeqCst);
            let served = state.clone();
            let service =
                hyper::service::service_fn(move |request| handle(served.clone(), request));
            let state = state.clone();
            connections.spawn(async move {
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
                state.open.fetch_sub(1, Ordering::SeqCst);
            });
            // Reap finished connections so the set does not grow without bound.
            while connections.try_join_next().is_some() {}
        }
    });
    Ok((addr, task))
}

/// Answers a request, with the endpoint's time (its clock skew included) in the `Date`
/// header of every response, as a server with a clock sends it (RFC 9110).
async fn handle(state: Arc<EndpointState>, request: Request<Incoming>) -> Handled {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
        .saturating_add_signed(state.skew.load(Ordering::SeqCst));
    let mut response = answer(state, request, now).await?;
    if let Ok(date) = HeaderValue::from_str(&crate::clock::http_date::format(now)) {
        response.headers_mut().insert(http::header::DATE, date);
    }
    Ok(response)
}

/// The response to a request arriving at `now`, by the endpoint's clock.
async fn answer(state: Arc<EndpointState>, request: Request<Incoming>, now: u64) -> Handled {
    let (parts, body) = request.into_parts();
    // A reply made from the head alone, before the body is read (`reply_with`).
    let early = header(&parts.headers, "x-tc-action").and_then(|action| {
        let region = header(&parts.headers, "x-tc-region");
        state.computed_reply(action, region, &parts.headers)
    });
    if let Some(Reply {
        body: ReplyBody::DropUnread,
        ..
    }) = early
    {
        lock(&state.requests).push(RecordedRequest {
            method: parts.method.clone(),
            path: parts.uri.path().to_owned(),
            query: parts.uri.query().map(str::to_owned),
            action: header(&parts.headers, "x-tc-action").map(str::to_owned),
            headers: parts.headers,
            body: Bytes::new(),
            outcome: Outcome::DroppedUnread,
            answered_code: None,
            received: std::time::Instant::now(),
        });
        return Err(DropConnection);
    }
    let body = match Limited::new(body, READ_LIMIT).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(_) => return Err(DropConnection),
    };
    let mut record = RecordedRequest {
        method: parts.method.clone(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().map(str::to_owned),
        action: None,
        headers: parts.headers,
        body,
        outcome: Outcome::Answered,
        answered_code: None,
        received: std::time::Instant::now(),
    };
    // Read once: the action is recorded even for requests that fail verification.
    let incoming = verify::Incoming::new(
        record.method.as_str(),
        record.query.as_deref().unwrap_or(""),
        &record.headers,
        &record.body,
    );
    record.action = incoming.action();
    if record.method == Method::GET && record.path.starts_with(METADATA_PATH) {
        record.outcome = Outcome::Metadata;
        let answer = metadata(&state, &record.path[METADATA_PATH.len()..]).into_response(false);
        lock(&state.requests).push(record);
        return Ok(answer);
    }
    if record.path != "/" {
        let answer = Plain::new(404, "text/plain", "not found".into()).into_response(false);
        record.outcome = Outcome::Rejected {
            code: "NotFound".to_owned(),
        };
        lock(&state.requests).push(record);
        return Ok(answer);
    }

    let verified = verify::verify(&incoming, &lock(&state.credentials), &state.unsigned, now);
    let reply = match verified {
        Err(Rejection { code, message }) => {
            record.outcome = Outcome::Rejected {
                code: code.to_owned(),
            };
            Reply::error(code, &message)
        }
        Ok(action) => {
            let region = header(&record.headers, "x-tc-region");
            let next = early.or_else(|| state.next_reply(&action, region, &record.headers));
            next.unwrap_or_else(|| {
                record.outcome = Outcome::Rejected {
                    code: "InvalidAction".to_owned(),
                };
                Reply::error(
                    "InvalidAction",
                    &format!("The local endpoint has no response for action {action}."),
                )
            })
        }
    };
    if let ReplyBody::Error { code, .. } = &reply.body {
        record.answered_code = Some(code.clone());
    }
    if matches!(reply.body, ReplyBody::Drop | ReplyBody::DropUnread) {
        record.outcome = Outcome::Dropped;
    }
    let accepts_gzip =
        header(&record.headers, "accept-encoding").is_some_and(|v| v.contains("gzip"));
    // Recorded on arrival, so a test sees the attempt even while its response is delayed.
    lock(&state.requests).push(record);
    if let Some(delay) = reply.delay {
        tokio::time::sleep(delay).await;
    }
    let answer = match reply.body {
        ReplyBody::Drop | ReplyBody::DropUnread => return Err(DropConnection),
        ReplyBody::CutShort(output) => return Ok(cut_short(envelope(output))),
        ReplyBody::Stream(steps) => return Ok(event_stream(steps)),
        ReplyBody::Success(output) => envelope(output),
        ReplyBody::Error { code, message } => envelope(json!({
            "Error": {"Code": code, "Message": message}
        })),
        ReplyBody::Oversized(size) => envelope(json!({"Padding": "x".repeat(size)})),
        ReplyBody::Raw {
            status,
            content_type,
            body,
        } => Plain::new(status, &content_type, body),
    };
    Ok(answer.into_response(state.compress && accepts_gzip))
}

/// A response before it becomes an HTTP response (and maybe gets compressed).
struct Plain {
    status: StatusCode,
    content_type: String,
    body: Bytes,
}

impl Plain {
    fn new(status: u16, content_type: &str, body: Bytes) -> Self {
        Self {
            status: StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            content_type: content_type.to_owned(),
            body,
        }
    }

    fn into_response(self, gzip: bool) -> Response<ResponseBody> {
        let mut body = self.body;
        let mut encoding = None;
        if gzip {
            let mut encoder = GzEncoder::new(Vec::new(), Compression::fast());
            if let Ok(encoded) = encoder.write_all(&body).and_then(|()| encoder.finish()) {
                body = encoded.into();
                encoding = Some(HeaderValue::from_static("gzip"));
            }
        }
        let mut response = Response::new(Full::new(body).map_err(|never| match never {}).boxed());
        *response.status_mut() = self.status;
        let headers = response.headers_mut();
        if let Ok(value) = HeaderValue::from_str(&self.content_type) {
            headers.insert(http::header::CONTENT_TYPE, value);
        }
        if let Some(encoding) = encoding {
            headers.insert(http::header::CONTENT_ENCODING, encoding);
        }
        response
    }
}

/// `answer` as a response whose `Content-Length` is its whole body's, which sends the first
/// half and then breaks the connection (after a moment, so the half is on the wire first).
fn cut_short(answer: Plain) -> Response<ResponseBody> {
    let whole = answer.body.len();
    let steps = [
        Step(StepKind::Send(answer.body.slice(..whole / 2))),
        Step(StepKind::Delay(std::time::Duration::from_millis(20))),
        Step(StepKind::Break),
    ];
    let mut response = Response::new(StreamBody::new(played(steps.into())).boxed());
    *response.status_mut() = answer.status;
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&answer.content_type) {
        headers.insert(http::header::CONTENT_TYPE, value);
    }
    headers.insert(http::header::CONTENT_LENGTH, HeaderValue::from(whole));
    response
}

/// A `text/event-stream` response whose body plays `steps` as the client reads it.
fn event_stream(steps: Vec<Step>) -> Response<ResponseBody> {
    let mut response = Response::new(StreamBody::new(played(steps)).boxed());
    let headers = response.headers_mut();
    headers.insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static("text/event-stream"),
    );
    if let Ok(id) = HeaderValue::from_str(&uuid::Uuid::new_v4().to_string()) {
        headers.insert("x-tc-requestid", id);
    }
    response
}

/// A body that plays `steps` as the client reads it: bytes, pauses, waits, a break.
fn played(steps: Vec<Step>) -> Frames {
    let (frames, receiver) = tokio::sync::mpsc::channel(1);
    tokio::spawn(async move {
        for Step(step) in steps {
            let frame = match step {
                StepKind::Send(bytes) => Ok(Frame::data(bytes)),
                StepKind::Delay(delay) => {
                    tokio::time::sleep(delay).await;
                    continue;
                }
                StepKind::Wait(gate) => {
                    gate.passed().await;
                    continue;
                }
                StepKind::Break => Err(DropConnection),
            };
            let broken = frame.is_err();
            if frames.send(frame).await.is_err() || broken {
                return;
            }
        }
    });
    Frames(receiver)
}

/// The frames a stream's script sends, as the body hyper writes.
struct Frames(tokio::sync::mpsc::Receiver<Result<Frame<Bytes>, DropConnection>>);

impl futures_core::Stream for Frames {
    type Item = Result<Frame<Bytes>, DropConnection>;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        self.0.poll_recv(cx)
    }
}

/// `{"Response": {..fields.., "RequestId": ..}}` with a fresh RequestId unless given one.
fn envelope(fields: Value) -> Plain {
    let response = match fields {
        Value::Object(mut map) => {
            if !map.contains_key("RequestId") {
                let id = uuid::Uuid::new_v4().to_string();
                map.insert("RequestId".to_owned(), Value::String(id));
            }
            Value::Object(map)
        }
        other => other,
    };
    let body = serde_json::to_vec(&json!({ "Response": response })).unwrap_or_default();
    Plain::new(200, "application/json", body.into())
}

/// The CVM metadata routes: the role name, then the role's temporary credential.
fn metadata(state: &EndpointState, rest: &str) -> Plain {
    let role = lock(&state.role).clone();
    let Some((name, credential)) = role else {
        return Plain::new(404, "text/plain", "no role".into());
    };
    if rest.is_empty() {
        return Plain::new(200, "text/plain", name.into());
    }
    if rest != name {
        return Plain::new(404, "text/plain", format!("no role named {rest}").into());
    }
    let expires = credential
        .expires_at()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_secs());
    let body = json!({
        "TmpSecretId": credential.secret_id(),
        "TmpSecretKey": credential.secret_key(),
        "Token": credential.token().unwrap_or_default(),
        "ExpiredTime": expires,
        "Expiration": rfc3339(expires),
        "Code": "Success",
    });
    let body = serde_json::to_vec(&body).unwrap_or_default();
    Plain::new(200, "application/json", body.into())
}

/// `YYYY-MM-DDTHH:MM:SSZ` for a Unix timestamp.
fn rfc3339(timestamp: u64) -> String {
    let date = crate::signing::utc_date(timestamp);
    let secs = timestamp % 86_400;
    format!(
        "{date}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}
