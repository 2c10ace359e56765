//! The region breaker: counts the failures of a client's primary endpoint and sends its
//! requests to the backup endpoint while they are too many, as the official SDKs do.

use std::sync::Mutex;
use std::time::{Duration, Instant};

/// When the breaker sends requests to the backup endpoint, and for how long.
///
/// The defaults are the official SDKs': open after at least 5 failures that are at least
/// 75% of the requests of the last 60 seconds, stay open 60 seconds, then let requests try
/// the region's endpoint again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BreakerSettings {
    /// The fewest failures in the window that can open the breaker.
    pub min_failures: u32,
    /// The share of failed requests in the window, in percent, that opens the breaker.
    pub failure_percent: u8,
    /// The window failures are counted over.
    pub window: Duration,
    /// How long the breaker stays open before the region's endpoint is tried again.
    pub open_for: Duration,
}

impl Default for BreakerSettings {
    fn default() -> Self {
        Self {
            min_failures: 5,
            failure_percent: 75,
            window: Duration::from_secs(60),
            open_for: Duration::from_secs(60),
        }
    }
}

impl BreakerSettings {
    pub(crate) fn validate(&self) -> Result<(), String> {
        if self.min_failures == 0 {
            return Err("min_failures must be at least 1".to_owned());
        }
        if self.failure_percent == 0 || self.failure_percent > 100 {
            return Err(format!(
                "failure_percent must be 1 to 100, not {}",
                self.failure_percent
            ));
        }
        if self.window.is_zero() || self.open_for.is_zero() {
            return Err("window and open_for must be more than zero".to_owned());
        }
        Ok(())
    }
}

/// Which endpoint an attempt goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Route {
    Primary,
    Backup,
}

#[derive(Debug)]
enum BreakerState {
    /// Counting the requests and failures of the window that started at `since`.
    Closed {
        since: Instant,
        requests: u32,
        failures: u32,
    },
    /// Sending to the backup until `until`.
    Open { until: Instant },
    /// Trying the region's endpoint again: a success closes, a failure reopens.
    HalfOpen,
}

/// The region breaker of one client: counts the failures of the primary endpoint and sends
/// to the backup while they are too many.
#[derive(Debug)]
pub(crate) struct Breaker {
    settings: BreakerSettings,
    state: Mutex<BreakerState>,
}

impl Breaker {
    pub(crate) fn new(settings: BreakerSettings) -> Self {
        Self {
            settings,
            state: Mutex::new(BreakerState::Closed {
                since: Instant::now(),
                requests: 0,
                failures: 0,
            }),
        }
    }

    /// Where the next attempt goes.
    pub(crate) fn route(&self) -> Route {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        match *state {
            BreakerState::Open { until } if Instant::now() < until => Route::Backup,
            BreakerState::Open { .. } => {
                *state = BreakerState::HalfOpen;
                Route::Primary
            }
            _ => Route::Primary,
        }
    }

    /// Records how an attempt on the primary endpoint went: `failed` means the endpoint
    /// could not serve it (no connection, a timeout, a gateway error page).
    pub(crate) fn record(&self, failed: bool) {
        let settings = &self.settings;
        let now = Instant::now();
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let next = match &mut *state {
            BreakerState::HalfOpen if failed => BreakerState::Open {
                until: now + settings.open_for,
            },
            BreakerState::HalfOpen => BreakerState::Closed {
                since: now,
                requests: 0,
                failures: 0,
            },
            BreakerState::Closed {
                since,
                requests,
                failures,
            } => {
                if now.duration_since(*since) > settings.window {
                    (*since, *requests, *failures) = (now, 0, 0);
                }
                *requests += 1;
                *failures += u32::from(failed);
                let share = u64::from(*failures) * 100;
                let opens = *failures >= settings.min_failures
                    && share >= u64::from(*requests) * u64::from(settings.failure_percent);
                if !opens {
                    return;
                }
                BreakerState::Open {
                    until: now + settings.open_for,
                }
            }
            // An attempt that started before the breaker opened tells nothing new.
            BreakerState::Open { .. } => return,
        };
        *state = next;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_breaker_opens_on_many_failures_and_closes_after_a_success() {
        let settings = BreakerSettings {
            open_for: Duration::from_millis(30),
            ..BreakerSettings::default()
        };
        let breaker = Breaker::new(settings);
        // Three successes and four failures: 4 < 5 failures, stays closed.
        for failed in [false, false, false, true, true, true, true] {
            breaker.record(failed);
        }
        assert_eq!(breaker.route(), Route::Primary);
        // The fifth failure is 5 of 8 = 62% < 75%: still closed.
        breaker.record(true);
        assert_eq!(breaker.route(), Route::Primary);
        // Five more failures: 10 of 13 = 77%: open.
        for _ in 0..5 {
            breaker.record(true);
        }
        assert_eq!(breaker.route(), Route::Backup);
        std::thread::sleep(Duration::from_millis(40));
        // Half open: the primary is tried; a failure reopens.
        assert_eq!(breaker.route(), Route::Primary);
        breaker.record(true);
        assert_eq!(breaker.route(), Route::Backup);
        std::thread::sleep(Duration::from_millis(40));
        assert_eq!(breaker.route(), Route::Primary);
        breaker.record(false);
        assert_eq!(breaker.route(), Route::Primary);
        assert!(BreakerSettings {
            failure_percent: 0,
            ..settings
        }
        .validate()
        .is_err());
    }
}
