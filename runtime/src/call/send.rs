//! Stage 3 of a call: attempts until one gets a success response, or a failure that must not
//! be retried. Each attempt waits for the action's rate limit, takes the endpoint the
//! breaker chooses, signs with a fresh `X-TC-TraceId`, and sends within its time limit.
//! Not generic: its code exists once however many actions there are.

use std::time::Instant;

use bytes::BytesMut;
use http::header::HeaderName;

use crate::call::action::Service;
use crate::call::prepare::Call;
use crate::call::response::{classify, content_type};
use crate::call::sign::{Attempt, Signer, TraceId};
use crate::call::target::{Target, Targets};
use crate::config::Config;
use crate::envelope::is_event_stream;
use crate::error::{
    CommonErrorCode, ErrorChain, ErrorCode as _, ErrorKind, TimeoutError, TimeoutKind,
};
use crate::redact;
use crate::retry::{endpoint_failed, may_retry};
use crate::transport::{
    HttpResponse, ReqwestTransport, StreamingResponse, TransportError, TransportErrorKind,
};

/// The header an event stream's RequestId comes in.
const X_TC_REQUESTID: HeaderName = HeaderName::from_static("x-tc-requestid");

/// What the caller waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// The whole response, one envelope.
    Whole,
    /// An event stream's head, or a whole response when the service sends one envelope.
    Stream,
}

/// A success.
pub(crate) enum Received {
    /// A whole response that is a success envelope.
    Whole(HttpResponse),
    /// The head of an event stream, its events still arriving.
    Events(StreamingResponse),
}

/// The success of a call, with what identifies it.
pub(crate) struct Sent {
    pub(crate) received: Received,
    pub(crate) request_id: String,
}

/// One attempt's failure, and what may follow it.
struct Failed {
    error: ErrorKind,
    next: Next,
}

/// What may follow a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Next {
    /// Nothing: the failure is the call's.
    Stop,
    /// Another attempt, after the retry policy's backoff, if the policy has one left.
    Retry,
    /// The same request signed again at once with the clock just corrected: the service
    /// refused the attempt as expired before doing anything. Once per call.
    SignAgain,
}

/// What the attempts of one client share.
pub(crate) struct Exchange<'a> {
    pub(crate) config: &'a Config,
    pub(crate) service: &'a Service,
    pub(crate) targets: &'a Targets,
    pub(crate) signer: &'a Signer,
}

impl Exchange<'_> {
    /// Attempts `call` until a success or a final failure; counts the attempts.
    pub(crate) async fn run(
        &self,
        call: &Call<'_>,
        mode: Mode,
        attempts: &mut u32,
    ) -> Result<Sent, ErrorKind> {
        let mut signed_again = false;
        loop {
            *attempts += 1;
            let attempt = *attempts;
            let trace_id = TraceId::new();
            let trace_id = trace_id.as_str();
            tracing::Span::current().record("trace_id", trace_id);
            let failed = match self.attempt(call, attempt, trace_id, mode).await {
                Ok(sent) => return Ok(sent),
                Err(mut failed) => {
                    failed.error.set_trace_id(trace_id);
                    failed
                }
            };
            {
                let error = ErrorChain(&failed.error);
                tracing::debug!(attempt, trace_id, %error, "attempt failed");
            }
            match failed.next {
                Next::SignAgain if !signed_again => {
                    signed_again = true;
                    continue;
                }
                Next::Retry if attempt < call.retry.max_attempts() => {}
                _ => return Err(failed.error),
            }
            let wait = call.retry.backoff(attempt, fastrand::f64());
            if let Some((deadline, _)) = call.deadline {
                if Instant::now() + wait >= deadline {
                    return Err(failed.error);
                }
            }
            tokio::time::sleep(wait).await;
        }
    }

    /// The signed request of an attempt, with a credential fetched now (bounded like an
    /// attempt, and by the call deadline, so a hung provider cannot hang the call).
    pub(crate) async fn sign(
        &self,
        call: &Call<'_>,
        attempt: u32,
        trace_id: &str,
        target: &Target,
    ) -> Result<http::Request<bytes::Bytes>, ErrorKind> {
        let credential = if call.action.is_signed() {
            let limit = call.step_limit();
            // Expiry judged by the clock requests are signed with.
            let provider = self.config.credentials().provide_by(self.config.clock());
            let Ok(provided) = within(limit.wait, provider).await else {
                return Err(ErrorKind::Timeout(limit.error(attempt)));
            };
            Some(provided.map_err(ErrorKind::Credential)?)
        } else {
            None
        };
        let attempt = Attempt {
            config: self.config,
            service: self.service,
            call,
            target,
            trace_id,
        };
        self.signer.request(&attempt, credential.as_ref())
    }

    async fn attempt(
        &self,
        call: &Call<'_>,
        attempt: u32,
        trace_id: &str,
        mode: Mode,
    ) -> Result<Sent, Failed> {
        let fail = |error, next| Failed { error, next };
        let (route, target) = self.targets.route();
        let target = target
            .as_ref()
            .map_err(|e| fail(ErrorKind::InvalidRequest(e.clone()), Next::Stop))?;
        self.keep_rate(call, attempt).await?;
        let request = self
            .sign(call, attempt, trace_id, target)
            .await
            .map_err(|e| fail(e, Next::Stop))?;
        tracing::trace!(attempt, trace_id, "sending");
        let limit = call.step_limit();
        let transport = self.config.transport();
        let answer = match mode {
            Mode::Whole => within(limit.wait, transport.send(request))
                .await
                .map(|sent| sent.map(Head::Whole)),
            // Boxed: the head of a stream and the envelope it may turn out to be would
            // otherwise make every attempt's future, whole calls' too, several times larger,
            // and that future is moved as calls start.
            Mode::Stream => {
                within(
                    limit.wait,
                    Box::pin(async {
                        let head = transport.send_streaming(request).await?;
                        if head.status().is_success()
                            && content_type(&head).is_some_and(is_event_stream)
                        {
                            return Ok(Head::Events(head));
                        }
                        // One envelope after all (an error, or a service that did not stream).
                        collect(head).await.map(Head::Whole)
                    }),
                )
                .await
            }
        };
        let error = match answer {
            Err(_) => ErrorKind::Timeout(limit.error(attempt)),
            Ok(Err(error)) => ErrorKind::Transport(error),
            Ok(Ok(Head::Events(head))) => {
                self.targets.record(route, false);
                let request_id = head
                    .headers()
                    .get(X_TC_REQUESTID)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default()
                    .to_owned();
                return Ok(Sent {
                    received: Received::Events(head),
                    request_id,
                });
            }
            Ok(Ok(Head::Whole(response))) => {
                if self.config.log_bodies() {
                    let status = response.status().as_u16();
                    tracing::trace!(status, body = %redact::body(response.body()), "response body");
                }
                match classify(Some((self.service.name(), call.action.name())), &response) {
                    Ok(request_id) => {
                        self.targets.record(route, false);
                        return Ok(Sent {
                            received: Received::Whole(response),
                            request_id,
                        });
                    }
                    Err(error) if signature_expired(&error) => {
                        let date = response.headers().get(http::header::DATE);
                        if self.config.clock().correct_from(date).is_some() {
                            // A response all the same: the breaker hears of it as of any.
                            self.targets.record(route, endpoint_failed(&error));
                            return Err(fail(error, Next::SignAgain));
                        }
                        error
                    }
                    Err(error) => error,
                }
            }
        };
        self.targets.record(route, endpoint_failed(&error));
        let next = if may_retry(&error, call.idempotent) {
            Next::Retry
        } else {
            Next::Stop
        };
        Err(fail(error, next))
    }

    /// Waits for the action's rate limit to allow one more request; fails if that comes
    /// after the call's deadline.
    async fn keep_rate(&self, call: &Call<'_>, attempt: u32) -> Result<(), Failed> {
        let Some(per_second) = call.rate_limit else {
            return Ok(());
        };
        let at = self
            .config
            .limiter()
            .reserve(self.service.name(), call.action.name(), per_second);
        if let Some((deadline, limit)) = call.deadline {
            if at >= deadline {
                let error = TimeoutError {
                    kind: TimeoutKind::Call,
                    limit,
                    attempts: attempt,
                    trace_id: None,
                };
                return Err(Failed {
                    error: ErrorKind::Timeout(error),
                    next: Next::Stop,
                });
            }
        }
        let now = Instant::now();
        if at > now {
            tracing::trace!(
                wait_ms = (at - now).as_secs_f64() * 1000.0,
                per_second,
                "waiting for the rate limit"
            );
            tokio::time::sleep_until(at.into()).await;
        }
        Ok(())
    }
}

/// `future`'s output if it comes within `wait`. A future that is ready when first polled
/// (a cached credential, an in-memory transport) needs no timer: it is polled once before
/// one is set, so such a step reads no clock and registers nothing.
async fn within<F: std::future::Future>(
    wait: std::time::Duration,
    future: F,
) -> Result<F::Output, tokio::time::error::Elapsed> {
    let mut future = std::pin::pin!(future);
    let first = std::future::poll_fn(|cx| std::task::Poll::Ready(future.as_mut().poll(cx))).await;
    match first {
        std::task::Poll::Ready(output) => Ok(output),
        std::task::Poll::Pending => tokio::time::timeout(wait, future).await,
    }
}

/// Whether the service refused the request's timestamp as too far from its own time.
fn signature_expired(error: &ErrorKind) -> bool {
    matches!(error, ErrorKind::Service(e)
        if e.code == CommonErrorCode::AuthFailureSignatureExpire.code())
}

/// A response's head as the attempt got it.
enum Head {
    Whole(HttpResponse),
    Events(StreamingResponse),
}

/// Reads the rest of a streamed response that turned out to be one envelope.
async fn collect(head: StreamingResponse) -> Result<HttpResponse, TransportError> {
    let (parts, mut body) = head.into_parts();
    let mut whole = BytesMut::new();
    while let Some(piece) = std::future::poll_fn(|cx| body.as_mut().poll_next(cx)).await {
        let piece = piece?;
        if whole.len() + piece.len() > ReqwestTransport::DEFAULT_MAX_RESPONSE_BYTES {
            return Err(TransportError::new(
                TransportErrorKind::ResponseTooLarge,
                format!(
                    "more than {} bytes",
                    ReqwestTransport::DEFAULT_MAX_RESPONSE_BYTES
                ),
            ));
        }
        whole.extend_from_slice(&piece);
    }
    Ok(http::Response::from_parts(parts, whole.freeze()))
}
