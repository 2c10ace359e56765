//! When to send a request again, and how long to wait first.
//!
//! What is retried (`may_retry`, which the call path asks after each failed attempt,
//! following the official SDKs and made stricter where they are loose):
//! - `RequestLimitExceeded` and its sub-codes: the service refused the request unprocessed.
//! - a connection that could not be made: the service never saw the request.
//! - a failure after sending (a timeout, a dropped connection, a 502/503/504 page): only for
//!   actions that are safe to repeat, because the service may already have acted.

use std::time::Duration;

use crate::error::{ErrorKind, TimeoutKind};

/// How many attempts a call makes and how long it waits between them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self::standard()
    }
}

impl RetryPolicy {
    /// Three attempts, waiting about 250 ms and then 500 ms, never more than 5 s.
    pub const fn standard() -> Self {
        Self {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(5),
        }
    }

    /// One attempt, no retries.
    pub const fn disabled() -> Self {
        Self {
            max_attempts: 1,
            initial_backoff: Duration::ZERO,
            max_backoff: Duration::ZERO,
        }
    }

    /// Sets the number of attempts, the first included (at least 1, checked at
    /// `Config::build`).
    #[must_use]
    pub const fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts;
        self
    }

    /// Sets the wait before the first retry; each further retry doubles it.
    #[must_use]
    pub const fn with_initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// Sets the longest wait between two attempts.
    #[must_use]
    pub const fn with_max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// The number of attempts, the first included.
    pub const fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The wait before the first retry.
    pub const fn initial_backoff(&self) -> Duration {
        self.initial_backoff
    }

    /// The longest wait between two attempts.
    pub const fn max_backoff(&self) -> Duration {
        self.max_backoff
    }

    /// The wait before retry number `retry` (1 for the first retry), with jitter drawn from
    /// `unit` in `[0, 1)`: between half and all of the capped exponential delay, so clients
    /// that failed together do not come back together.
    pub fn backoff(&self, retry: u32, unit: f64) -> Duration {
        let exponent = retry.saturating_sub(1).min(30);
        let full = self
            .initial_backoff
            .saturating_mul(1 << exponent)
            .min(self.max_backoff);
        full.mul_f64(0.5 + 0.5 * unit.clamp(0.0, 1.0))
    }

    pub(crate) fn validate(&self) -> Result<(), String> {
        if self.max_attempts == 0 {
            return Err("max_attempts must be at least 1".to_owned());
        }
        if self.initial_backoff > self.max_backoff {
            return Err(format!(
                "initial_backoff {:?} is longer than max_backoff {:?}",
                self.initial_backoff, self.max_backoff
            ));
        }
        Ok(())
    }
}

/// Whether an attempt's failure says the endpoint itself is failing, which is what the
/// region breaker counts: no connection, no response in time, a gateway error page.
pub(crate) fn endpoint_failed(error: &ErrorKind) -> bool {
    match error {
        ErrorKind::Transport(_) | ErrorKind::Timeout(_) => true,
        ErrorKind::InvalidResponse(e) => matches!(e.status, 502..=504),
        _ => false,
    }
}

/// Whether the call path sends again after `error`: the failure must be transient
/// ([`Error::is_retryable`]), and one that may have reached the service (a timeout, a
/// dropped connection, a gateway page) is repeated only for an action safe to repeat.
/// A rate limit was refused unprocessed; a call deadline is final.
pub(crate) fn may_retry(error: &ErrorKind, idempotent: bool) -> bool {
    if !error.is_retryable() {
        return false;
    }
    match error {
        ErrorKind::Service(_) => true,
        ErrorKind::Transport(e) => idempotent || !e.may_have_been_sent(),
        ErrorKind::Timeout(t) => t.kind == TimeoutKind::Attempt && idempotent,
        _ => idempotent,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_with_jitter_and_is_capped() {
        let p = RetryPolicy::standard();
        assert_eq!(p.backoff(1, 0.0), Duration::from_millis(125));
        assert_eq!(p.backoff(1, 1.0), Duration::from_millis(250));
        assert_eq!(p.backoff(2, 1.0), Duration::from_millis(500));
        assert_eq!(p.backoff(2, 0.5), Duration::from_millis(375));
        assert_eq!(p.backoff(10, 1.0), Duration::from_secs(5));
        assert_eq!(p.backoff(u32::MAX, 1.0), Duration::from_secs(5));
    }

    #[test]
    fn invalid_policies_are_reported() {
        assert!(RetryPolicy::standard()
            .with_max_attempts(0)
            .validate()
            .is_err());
        let p = RetryPolicy::standard().with_initial_backoff(Duration::from_secs(9));
        assert_eq!(
            p.validate().unwrap_err(),
            "initial_backoff 9s is longer than max_backoff 5s"
        );
        assert!(RetryPolicy::disabled().validate().is_ok());
    }
}
