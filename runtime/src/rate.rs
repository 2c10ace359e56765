//! Client-side rate limits: each action's documented limit (requests per second), enforced
//! before sending so that a burst waits instead of earning `RequestLimitExceeded`.
//!
//! The limit is a sliding window: at most N requests start in any one second. A token bucket
//! of N would let 2N through a window that straddles a refill, which is exactly what the
//! service counts and refuses.

use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The window every limit is counted over.
const WINDOW: Duration = Duration::from_secs(1);

/// Which limits the client keeps. The default follows the spec.
///
/// ```
/// use tencentcloud_runtime::RateLimits;
///
/// // Two processes share the account: each keeps to half of every documented limit,
/// // and DescribeInstances, which the spec does not limit, to 10 a second.
/// let limits = RateLimits::spec()
///     .share(0.5)
///     .action("cvm", "DescribeInstances", 10);
/// # let _ = limits;
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct RateLimits {
    enabled: bool,
    share: f64,
    unlisted: Option<u32>,
    /// Per-action limits as (service, action, per second); a list, so looking one up on
    /// every call allocates nothing.
    overrides: Vec<(String, String, u32)>,
}

impl Default for RateLimits {
    fn default() -> Self {
        Self::spec()
    }
}

impl RateLimits {
    /// Each action's limit as its spec documents it; actions without one are not limited.
    pub fn spec() -> Self {
        Self {
            enabled: true,
            share: 1.0,
            unlisted: None,
            overrides: Vec::new(),
        }
    }

    /// No client-side limit: every request goes at once, and the service's
    /// `RequestLimitExceeded` responses are retried with backoff.
    pub fn off() -> Self {
        Self {
            enabled: false,
            ..Self::spec()
        }
    }

    /// Keeps to this fraction (more than 0, at most 1) of each documented limit, for an
    /// account whose budget several processes share. A limit never drops below one a second.
    #[must_use]
    pub fn share(mut self, fraction: f64) -> Self {
        self.share = fraction;
        self
    }

    /// Limits the actions whose spec documents no limit to `per_second`.
    #[must_use]
    pub fn unlisted(mut self, per_second: u32) -> Self {
        self.unlisted = Some(per_second);
        self
    }

    /// Limits one action of one service (`cvm`, `DescribeInstances`) to `per_second`,
    /// whatever its spec says; [`RateLimits::share`] does not apply to it.
    #[must_use]
    pub fn action(mut self, service: &str, action: &str, per_second: u32) -> Self {
        self.overrides
            .retain(|(s, a, _)| (s.as_str(), a.as_str()) != (service, action));
        self.overrides
            .push((service.to_owned(), action.to_owned(), per_second));
        self
    }

    /// Whether any limit is kept.
    pub fn is_enabled(&self) -> bool {
        self.enabled
    }

    /// Why these limits cannot work, if they cannot.
    pub(crate) fn validate(&self) -> Result<(), String> {
        if !(self.share > 0.0 && self.share <= 1.0) {
            return Err(format!(
                "share must be more than 0 and at most 1, not {}",
                self.share
            ));
        }
        if self.unlisted == Some(0) {
            return Err("unlisted must be at least 1 request a second".to_owned());
        }
        if let Some((service, action, _)) = self.overrides.iter().find(|(_, _, n)| *n == 0) {
            return Err(format!(
                "{service} {action} must be allowed at least 1 request a second"
            ));
        }
        Ok(())
    }

    /// The requests a second allowed for `action` of `service`, whose spec documents
    /// `documented`; `None` means no limit.
    pub fn limit(&self, service: &str, action: &str, documented: Option<u32>) -> Option<u32> {
        if !self.enabled {
            return None;
        }
        if let Some((_, _, n)) = self
            .overrides
            .iter()
            .find(|(s, a, _)| s == service && a == action)
        {
            return Some(*n);
        }
        match documented {
            // The product of a u32 and a fraction at most 1 fits a u32.
            Some(n) => Some(((f64::from(n) * self.share).floor() as u32).max(1)),
            None => self.unlisted,
        }
    }
}

/// The windows of every limited action, shared by all clients of one `Config`.
#[derive(Default)]
pub(crate) struct Limiter {
    windows: Mutex<HashMap<String, HashMap<String, VecDeque<Instant>>>>,
}

impl fmt::Debug for Limiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Limiter").finish_non_exhaustive()
    }
}

impl Limiter {
    /// Reserves the next start time for one request of `action` of `service` allowed
    /// `per_second`, and returns it: now, or when the oldest of the last `per_second` starts
    /// leaves the window. A reservation is kept even if the caller gives up, which only
    /// makes later requests more careful.
    pub(crate) fn reserve(&self, service: &str, action: &str, per_second: u32) -> Instant {
        let now = Instant::now();
        let mut windows = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        // Looked up by reference; a key is copied only the first time it is seen.
        if !windows.contains_key(service) {
            windows.insert(service.to_owned(), HashMap::new());
        }
        let actions = windows.get_mut(service).expect("inserted above");
        if !actions.contains_key(action) {
            actions.insert(action.to_owned(), VecDeque::new());
        }
        let starts = actions.get_mut(action).expect("inserted above");
        let capacity = per_second.max(1) as usize;
        // Starts are kept in order, so the one `capacity` back is the oldest in any window
        // that the new start would share with them.
        let earliest = if starts.len() < capacity {
            now
        } else {
            (starts[starts.len() - capacity] + WINDOW).max(now)
        };
        let at = starts.back().map_or(earliest, |last| earliest.max(*last));
        starts.push_back(at);
        while starts.len() > capacity {
            starts.pop_front();
        }
        at
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_follow_the_spec_the_share_and_overrides() {
        let spec = RateLimits::spec();
        assert_eq!(spec.limit("organization", "A", Some(20)), Some(20));
        assert_eq!(spec.limit("organization", "A", None), None);
        let half = RateLimits::spec()
            .share(0.5)
            .unlisted(7)
            .action("cvm", "B", 3);
        assert_eq!(half.limit("organization", "A", Some(20)), Some(10));
        assert_eq!(half.limit("organization", "A", Some(1)), Some(1));
        assert_eq!(half.limit("organization", "A", None), Some(7));
        assert_eq!(half.limit("cvm", "B", Some(20)), Some(3));
        assert_eq!(half.limit("cbs", "B", Some(20)), Some(10));
        assert_eq!(RateLimits::off().limit("cvm", "B", Some(20)), None);
        assert_eq!(
            RateLimits::spec().share(1.5).validate().unwrap_err(),
            "share must be more than 0 and at most 1, not 1.5"
        );
        assert!(RateLimits::spec().share(f64::NAN).validate().is_err());
        assert!(RateLimits::spec().action("cvm", "B", 0).validate().is_err());
    }

    #[test]
    fn a_full_window_pushes_the_next_start_a_second_after_the_oldest() {
        let limiter = Limiter::default();
        let starts: Vec<Instant> = (0..7).map(|_| limiter.reserve("s", "a", 3)).collect();
        let first = starts[0];
        // Three start at once, the next three a second later, the seventh after two.
        for (i, at) in starts.iter().enumerate() {
            let expected = WINDOW * (i as u32 / 3);
            let offset = at.duration_since(first);
            assert!(
                offset >= expected && offset < expected + Duration::from_millis(50),
                "start {i} at {offset:?}, expected about {expected:?}"
            );
        }
        // Another action has its own window.
        assert!(limiter.reserve("s", "b", 3) < first + Duration::from_millis(50));
    }
}
