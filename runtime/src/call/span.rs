//! The `tracing` span of a call, `tencentcloud.call`: opened before the first attempt,
//! closed with the outcome, and for an event stream kept open until its last event.

use std::time::Instant;

use tracing::field::Empty;

use crate::call::action::{Action, Service};
use crate::error::{ErrorChain, ErrorKind};

/// One call's span and when the call started: read from the clock only when something
/// will use it, a `debug` subscriber (the latency it logs) or a call deadline.
#[derive(Debug, Clone)]
pub(crate) struct CallSpan {
    span: tracing::Span,
    started: Option<Instant>,
}

impl CallSpan {
    /// Opens the span of a call of `action`; `timed` when the call has a deadline.
    pub(crate) fn start(service: &Service, action: &Action, timed: bool) -> Self {
        let span = tracing::debug_span!(
            "tencentcloud.call",
            service = service.name(),
            version = service.version(),
            action = action.name(),
            region = Empty,
            attempts = Empty,
            trace_id = Empty,
            request_id = Empty,
            latency_ms = Empty,
            events = Empty,
            outcome = Empty,
        );
        Self {
            span,
            started: (timed || logged()).then(Instant::now),
        }
    }

    /// The span, to instrument the call's future with.
    pub(crate) fn span(&self) -> &tracing::Span {
        &self.span
    }

    /// When the call started, if it was timed.
    pub(crate) fn started(&self) -> Option<Instant> {
        self.started
    }

    /// Milliseconds since the call started, if it was timed and something will show them
    /// (the clock is not read for nothing).
    fn latency_ms(&self) -> Option<f64> {
        let shown = !self.span.is_disabled() || logged();
        self.started
            .filter(|_| shown)
            .map(|at| at.elapsed().as_secs_f64() * 1000.0)
    }

    /// Records how the attempts ended: with `request_id` or with `error`. A success that is
    /// an event stream is recorded as such; [`CallSpan::stream_ended`] closes it.
    pub(crate) fn attempts_ended(&self, attempts: u32, result: Result<(&str, bool), &ErrorKind>) {
        let latency_ms = self.latency_ms();
        let span = &self.span;
        span.record("attempts", attempts);
        span.record("latency_ms", latency_ms);
        let _entered = span.enter();
        match result {
            Ok((request_id, streaming)) => {
                span.record("request_id", request_id);
                if streaming {
                    tracing::debug!(attempts, latency_ms, request_id, "event stream started");
                } else {
                    span.record("outcome", "success");
                    tracing::debug!(attempts, latency_ms, request_id, "call succeeded");
                }
            }
            Err(error) => {
                let outcome = outcome(error);
                span.record("outcome", outcome);
                if let Some(e) = error.service_error() {
                    span.record("request_id", e.request_id.as_str());
                }
                let error = ErrorChain(error);
                tracing::debug!(attempts, latency_ms, outcome, %error, "call failed");
            }
        }
    }

    /// Closes the span of a call whose request could not be made, with `error`, the
    /// call's: no attempt was made.
    pub(crate) fn not_sent(&self, error: ErrorKind) -> ErrorKind {
        self.attempts_ended(0, Err(&error));
        error
    }

    /// Closes the span of an event stream after `events` events, with the error that ended
    /// it, if any.
    pub(crate) fn stream_ended(&self, events: u64, error: Option<&ErrorKind>) {
        let latency_ms = self.latency_ms();
        let span = &self.span;
        span.record("events", events);
        span.record("latency_ms", latency_ms);
        let _entered = span.enter();
        match error {
            None => {
                span.record("outcome", "success");
                tracing::debug!(events, latency_ms, "event stream ended");
            }
            Some(error) => {
                let outcome = outcome(error);
                span.record("outcome", outcome);
                let error = ErrorChain(error);
                tracing::debug!(events, latency_ms, outcome, %error, "event stream failed");
            }
        }
    }
}

/// Whether the call's `debug` events are logged.
fn logged() -> bool {
    tracing::level_enabled!(tracing::Level::DEBUG)
}

/// Whether anything will see what a call's `span` records: the span is enabled, or its
/// `debug` events are logged.
pub(crate) fn observed(span: &tracing::Span) -> bool {
    logged() || !span.is_disabled()
}

/// The outcome recorded on a failed call's span: the service's code, or the kind of failure.
fn outcome(error: &ErrorKind) -> &str {
    match error {
        ErrorKind::Service(e) => &e.code,
        ErrorKind::Timeout(_) => "timeout",
        ErrorKind::Transport(_) => "transport",
        ErrorKind::InvalidResponse(_) => "invalid_response",
        ErrorKind::Credential(_) => "credential",
        ErrorKind::InvalidRequest(_) => "invalid_request",
        ErrorKind::Blocking(_) => "blocking",
    }
}
