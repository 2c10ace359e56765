//! The time requests are signed with: the local clock, corrected by how far it is from
//! Tencent Cloud's.
//!
//! Tencent Cloud refuses a request whose timestamp is more than five minutes from its own
//! time (`AuthFailure.SignatureExpire`), so a machine whose clock has drifted would fail
//! every call. When a refusal carries the server's time (the response's `Date` header), the
//! [`Clock`] of the [`crate::Config`] keeps the offset between the two, every later request
//! of every client of that `Config` is signed with the corrected time, and the refused
//! attempt is signed again and sent once more (`call::send`). Credential expiry is judged on
//! the same time ([`crate::ProvideCredential::provide_by`]).

mod calendar;
pub mod http_date;

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

pub(crate) use calendar::civil_from_days;

/// A measured offset within this many seconds of the one in use is the same offset: the
/// `Date` header counts whole seconds, so concurrent refusals measure it a second apart.
const SAME_OFFSET_SECS: i64 = 1;

/// The clock a [`crate::Config`] signs with: the local time plus an offset to Tencent
/// Cloud's time, learnt from the first refusal that shows one. Cloned clocks share the
/// offset, as every client of one `Config` does.
#[derive(Clone)]
pub struct Clock {
    shared: Arc<Shared>,
}

struct Shared {
    /// Seconds to add to the local time to get the server's.
    offset: AtomicI64,
    /// Whether refusals may set the offset.
    corrects: bool,
}

impl Clock {
    /// A clock that corrects itself from refusals when `corrects` is true, starting with no
    /// offset.
    pub fn new(corrects: bool) -> Self {
        Self {
            shared: Arc::new(Shared {
                offset: AtomicI64::new(0),
                corrects,
            }),
        }
    }

    /// The local clock as it is, never corrected.
    pub fn system() -> Self {
        Self::new(false)
    }

    /// Seconds between the local clock and Tencent Cloud's, as last measured: positive when
    /// the local clock is behind (the server's time is the local time plus this), 0 before
    /// any correction.
    pub fn offset_secs(&self) -> i64 {
        self.shared.offset.load(Ordering::Relaxed)
    }

    /// Whether refusals correct this clock ([`crate::ConfigBuilder::clock_skew_correction`]).
    pub fn corrects(&self) -> bool {
        self.shared.corrects
    }

    /// The current time by this clock: the local time plus the offset.
    pub fn now(&self) -> SystemTime {
        let offset = self.offset_secs();
        let local = SystemTime::now();
        let shift = Duration::from_secs(offset.unsigned_abs());
        let shifted = if offset >= 0 {
            local.checked_add(shift)
        } else {
            local.checked_sub(shift)
        };
        shifted.unwrap_or(local)
    }

    /// The current Unix time in seconds by this clock, as a request is signed with.
    pub(crate) fn unix_now(&self) -> u64 {
        unix_secs(SystemTime::now()).saturating_add_signed(self.offset_secs())
    }

    /// Learns the offset from a refusal's `Date` header: `Some(offset)` when this clock
    /// corrects and the header holds an HTTP date, and the request should be signed again;
    /// `None` otherwise, the offset unchanged. A new offset is logged once, as a warning.
    pub(crate) fn correct_from(&self, date: Option<&http::HeaderValue>) -> Option<i64> {
        if !self.corrects() {
            return None;
        }
        let server = http_date::parse(date?.to_str().ok()?)?;
        let local = unix_secs(SystemTime::now());
        let offset = i64::try_from(server).ok()? - i64::try_from(local).ok()?;
        let previous = self.shared.offset.swap(offset, Ordering::Relaxed);
        if (offset - previous).abs() > SAME_OFFSET_SECS {
            let direction = if offset > 0 { "behind" } else { "ahead of" };
            tracing::warn!(
                skew_secs = offset,
                previous_skew_secs = previous,
                "the local clock is {} s {direction} Tencent Cloud's (from the Date of an \
                 AuthFailure.SignatureExpire refusal); signing with the server's time from now on",
                offset.abs(),
            );
        }
        Some(offset)
    }
}

impl Default for Clock {
    /// A clock that corrects itself.
    fn default() -> Self {
        Self::new(true)
    }
}

impl std::fmt::Debug for Clock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Clock")
            .field("offset_secs", &self.offset_secs())
            .field("corrects", &self.corrects())
            .finish()
    }
}

/// Whole seconds since the Unix epoch (0 for a clock set before it).
fn unix_secs(time: SystemTime) -> u64 {
    time.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    fn date(offset: i64) -> HeaderValue {
        let server = unix_secs(SystemTime::now()).saturating_add_signed(offset);
        HeaderValue::from_str(&http_date::format(server)).unwrap()
    }

    #[test]
    fn a_refusals_date_sets_the_offset_for_every_clone() {
        let clock = Clock::default();
        let shared = clock.clone();
        let offset = clock.correct_from(Some(&date(600))).unwrap();
        assert!((599..=601).contains(&offset), "{offset}");
        assert_eq!(shared.offset_secs(), offset);
        let ahead = unix_secs(shared.now()) as i64 - unix_secs(SystemTime::now()) as i64;
        assert!((599..=601).contains(&ahead), "{ahead}");
        assert!(
            (599..=602).contains(&(shared.unix_now() as i64 - unix_secs(SystemTime::now()) as i64))
        );
        let offset = clock.correct_from(Some(&date(-600))).unwrap();
        assert!((-601..=-599).contains(&offset), "{offset}");
    }

    #[test]
    fn no_date_no_correction() {
        let clock = Clock::default();
        assert_eq!(clock.correct_from(None), None);
        for text in ["", "yesterday", "1796479899", "Sat, 05 Dec 2026 14:11:39"] {
            let value = HeaderValue::from_str(text).unwrap();
            assert_eq!(clock.correct_from(Some(&value)), None, "{text:?}");
        }
        let not_text = HeaderValue::from_bytes(b"\xff\xfe").unwrap();
        assert_eq!(clock.correct_from(Some(&not_text)), None);
        assert_eq!(clock.offset_secs(), 0);
    }

    #[test]
    fn a_clock_that_does_not_correct_keeps_the_local_time() {
        for clock in [Clock::new(false), Clock::system()] {
            assert_eq!(clock.correct_from(Some(&date(600))), None);
            assert_eq!(clock.offset_secs(), 0);
        }
    }
}
