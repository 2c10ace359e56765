//! Stage 3 of a call: attempts until one gets a success response, or a failure that must not
//! be retried. Each attempt waits for the action's rate limit, takes the endpoint the
//! breaker chooses, signs with a fresh `X-TC-TraceId`, and sends within its time limit.
//! Not generic: its code exists once however many actions there are.

use std::borrow::Cow;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Instant;

use bytes::BytesMut;
use http::header::HeaderName;

use crate::breaker::Route;
use crate::call::action::Service;
use crate::call::prepare::{Call, StepLimit};
use crate::call::response::{classify_reading, content_type, Decoder, Output};
use crate::call::sign::{Attempt, Signer, TraceId};
use crate::call::span;
use crate::call::target::{Target, Targets};
use crate::config::Config;
use crate::credential::Credential;
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
#[derive(Clone, Copy)]
pub(crate) enum Mode {
    /// The whole response, one envelope: a success's output read by the decoder as the
    /// envelope is classified, in the same pass.
    Whole(Decoder),
    /// The same, the response kept beside the output: a listing's page, whose body also
    /// says where the listing goes on.
    Page(Decoder),
    /// An event stream's head; or, when the service sends one envelope, its output read
    /// by the decoder as for a whole call.
    Stream(Decoder),
}

/// A success.
pub(crate) enum Received {
    /// The output of a success envelope, read by the mode's decoder (the response is not
    /// kept: the output, or the error that keeps its body, is all the caller reads): a
    /// whole call's, or a stream's that sent one envelope.
    Read(Output),
    /// A page's output, read by the mode's decoder, and its response. Boxed: every call's
    /// success is moved through the attempts, and pages are few.
    Page(Box<(Output, HttpResponse)>),
    /// The head of an event stream, its events still arriving. Boxed, as a page is.
    Events(Box<StreamingResponse>),
}

/// The success of a call, with what identifies it.
pub(crate) struct Sent {
    pub(crate) received: Received,
    /// Empty for a whole call that nothing observes (see [`span::observed`]).
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
    /// Attempts `call` until a success or a final failure, in the call's `span`; counts the
    /// attempts.
    pub(crate) async fn run(
        &self,
        call: &Call<'_>,
        mode: Mode,
        attempts: &mut u32,
        span: &tracing::Span,
    ) -> Result<Sent, ErrorKind> {
        let mut signed_again = false;
        loop {
            *attempts += 1;
            let attempt = *attempts;
            let trace_id = TraceId::new();
            let trace_id = trace_id.as_str();
            // The call's span, named: finding the current one costs a look-up each attempt.
            span.record("trace_id", trace_id);
            let failed = match self.attempt(call, attempt, trace_id, mode, span).await {
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
            // Boxed, as every wait here: rare, and a timer inline would make every call's
            // future larger (docs/benchmarks.md, "The call, read once and in fewer steps").
            Box::pin(tokio::time::sleep(wait)).await;
        }
    }

    /// The signed request of an attempt, with the credential at hand or fetched now.
    pub(crate) async fn sign(
        &self,
        call: &Call<'_>,
        attempt: u32,
        trace_id: &str,
        target: &Target,
    ) -> Result<http::Request<bytes::Bytes>, ErrorKind> {
        let credential = self.credential(call, attempt).await?;
        self.signed(call, trace_id, target, credential.as_deref())
    }

    /// The credential an attempt signs with: at hand, or fetched first, boxed (rare, and
    /// the future of every attempt is smaller without it). `None` for an unsigned action.
    async fn credential(
        &self,
        call: &Call<'_>,
        attempt: u32,
    ) -> Result<Option<Cow<'_, Credential>>, ErrorKind> {
        if let Ok(known) = self.credential_at_hand(call) {
            return Ok(known);
        }
        let fetched = Box::pin(self.fetch_credential(call, attempt)).await?;
        Ok(Some(Cow::Owned(fetched)))
    }

    /// The request signed with `credential`: the request is made in one place, and none is
    /// kept across a wait.
    fn signed(
        &self,
        call: &Call<'_>,
        trace_id: &str,
        target: &Target,
        credential: Option<&Credential>,
    ) -> Result<http::Request<bytes::Bytes>, ErrorKind> {
        let attempt = Attempt {
            config: self.config,
            service: self.service,
            call,
            target,
            trace_id,
        };
        self.signer.request(&attempt, credential)
    }

    /// The credential the call's requests are signed with when it needs no wait: none for
    /// an unsigned action, the config's own if it was given one (lent, not copied), or the
    /// provider's at hand (expiry judged by the clock requests are signed with); [`ToFetch`]
    /// when the provider must fetch one.
    fn credential_at_hand(&self, call: &Call<'_>) -> Result<Option<Cow<'_, Credential>>, ToFetch> {
        if !call.action.is_signed() {
            return Ok(None);
        }
        if let Some(fixed) = self.config.fixed_credential() {
            return Ok(Some(Cow::Borrowed(fixed)));
        }
        let provider = self.config.credentials();
        provider
            .at_hand(self.config.clock())
            .map(|credential| Some(Cow::Owned(credential)))
            .ok_or(ToFetch)
    }

    /// The credential fetched from the provider, bounded like an attempt and by the call
    /// deadline, so a hung provider cannot hang the call.
    async fn fetch_credential(
        &self,
        call: &Call<'_>,
        attempt: u32,
    ) -> Result<Credential, ErrorKind> {
        let provider = self.config.credentials().provide_by(self.config.clock());
        match Within::new(call, provider).await {
            Ok(provided) => provided.map_err(ErrorKind::Credential),
            Err(TimedOut(limit)) => Err(ErrorKind::Timeout(limit.error(attempt))),
        }
    }

    /// One attempt: its steps are plain functions, and only its waits are awaited: the
    /// response, and, boxed because they are rare (a future inline would make every call's
    /// larger, and futures are moved as calls start), the rate limit, a credential to fetch.
    async fn attempt(
        &self,
        call: &Call<'_>,
        attempt: u32,
        trace_id: &str,
        mode: Mode,
        span: &tracing::Span,
    ) -> Result<Sent, Failed> {
        let stop = |error| Failed {
            error,
            next: Next::Stop,
        };
        let (route, target) = self.targets.route();
        let target = target
            .as_ref()
            .map_err(|e| stop(ErrorKind::InvalidRequest(e.clone())))?;
        if let Some(at) = self.rate_wait(call, attempt)? {
            Box::pin(tokio::time::sleep_until(at.into())).await;
        }
        // Signed here, not through `sign`: the attempt's future holds the credential's
        // (smaller) while a credential is fetched, and the credential is not kept while the
        // request is sent.
        let request = {
            let credential = self.credential(call, attempt).await.map_err(stop)?;
            self.signed(call, trace_id, target, credential.as_deref())
                .map_err(stop)?
        };
        tracing::trace!(attempt, trace_id, "sending");
        let transport = self.config.transport();
        let answer = match mode {
            Mode::Whole(_) | Mode::Page(_) => Within::new(call, transport.send(request))
                .await
                .map(|sent| sent.map(Head::Whole)),
            // Boxed: the head of a stream and the envelope it may turn out to be would
            // otherwise make every attempt's future, whole calls' too, several times larger.
            Mode::Stream(_) => {
                let head = Box::pin(async {
                    let head = transport.send_streaming(request).await?;
                    if head.status().is_success()
                        && content_type(&head).is_some_and(is_event_stream)
                    {
                        return Ok(Head::Events(head));
                    }
                    // One envelope after all (an error, or a service that did not stream).
                    collect(head).await.map(Head::Whole)
                });
                Within::new(call, head).await
            }
        };
        let answer = answer.map_err(|TimedOut(limit)| limit.error(attempt));
        self.judge(call, route, mode, answer, span)
    }

    /// What an attempt's answer means: the call's success, or a failure and what may
    /// follow it. The breaker hears how the endpoint did; `span` is the call's.
    fn judge(
        &self,
        call: &Call<'_>,
        route: Route,
        mode: Mode,
        answer: Result<Result<Head, TransportError>, TimeoutError>,
        span: &tracing::Span,
    ) -> Result<Sent, Failed> {
        let error = match answer {
            Err(timeout) => ErrorKind::Timeout(timeout),
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
                    received: Received::Events(Box::new(head)),
                    request_id,
                });
            }
            Ok(Ok(Head::Whole(response))) => {
                if self.config.log_bodies() {
                    let status = response.status().as_u16();
                    tracing::trace!(status, body = %redact::body(response.body()), "response body");
                }
                let names = Some((self.service.name(), call.action.name()));
                let decoder = match mode {
                    Mode::Whole(decoder) | Mode::Page(decoder) | Mode::Stream(decoder) => decoder,
                };
                match classify_reading(names, &response, decoder) {
                    Ok((request_id, output)) => {
                        self.targets.record(route, false);
                        // Copied out of the body only for what reads it: an event stream's
                        // caller, the call's span or its log.
                        let request_id = if matches!(mode, Mode::Stream(_)) || span::observed(span)
                        {
                            request_id.into_owned()
                        } else {
                            String::new()
                        };
                        return Ok(Sent {
                            received: match mode {
                                Mode::Page(_) => Received::Page(Box::new((output, response))),
                                Mode::Whole(_) | Mode::Stream(_) => Received::Read(output),
                            },
                            request_id,
                        });
                    }
                    Err(error) if signature_expired(&error) => {
                        let date = response.headers().get(http::header::DATE);
                        if self.config.clock().correct_from(date).is_some() {
                            // A response all the same: the breaker hears of it as of any.
                            self.targets.record(route, endpoint_failed(&error));
                            return Err(Failed {
                                error,
                                next: Next::SignAgain,
                            });
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
        Err(Failed { error, next })
    }

    /// When the action's rate limit allows one more request, if that is later than now;
    /// an error if it comes after the call's deadline.
    fn rate_wait(&self, call: &Call<'_>, attempt: u32) -> Result<Option<Instant>, Failed> {
        let Some(per_second) = call.rate_limit else {
            return Ok(None);
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
        if at <= now {
            return Ok(None);
        }
        tracing::trace!(
            wait_ms = (at - now).as_secs_f64() * 1000.0,
            per_second,
            "waiting for the rate limit"
        );
        Ok(Some(at))
    }
}

/// A credential the provider must fetch before the request is signed.
struct ToFetch;

/// An attempt's step that took longer than its limit allowed, and which limit that was.
struct TimedOut(StepLimit);

/// `future`'s output if it comes within the call's step limit ([`Call::step_limit`]), or
/// [`TimedOut`]. The limit is worked out, and the timer started, the first time the future
/// is found pending: a step that is ready at once (an in-memory transport, a mock) reads no
/// clock and registers nothing. Boxed, so a step that waits pays one small allocation and
/// every call's future is smaller by a timer.
struct Within<'c, F> {
    future: F,
    call: &'c Call<'c>,
    timer: Option<(Pin<Box<tokio::time::Sleep>>, StepLimit)>,
}

impl<'c, F> Within<'c, F> {
    fn new(call: &'c Call<'c>, future: F) -> Self {
        Self {
            future,
            call,
            timer: None,
        }
    }
}

impl<F: Future + Unpin> Future for Within<'_, F> {
    type Output = Result<F::Output, TimedOut>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = &mut *self;
        if let Poll::Ready(output) = Pin::new(&mut this.future).poll(cx) {
            return Poll::Ready(Ok(output));
        }
        let call = this.call;
        let (timer, limit) = this.timer.get_or_insert_with(|| {
            let limit = call.step_limit();
            (Box::pin(tokio::time::sleep(limit.wait)), limit)
        });
        timer.as_mut().poll(cx).map(|()| Err(TimedOut(*limit)))
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
