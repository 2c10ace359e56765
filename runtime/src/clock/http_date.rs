//! The HTTP `Date` header (RFC 9110, section 5.6.7): the preferred IMF-fixdate
//! (`Sun, 06 Nov 1994 08:49:37 GMT`), written by the local endpoint and read from servers,
//! and the two obsolete forms a recipient must still accept, RFC 850
//! (`Sunday, 06-Nov-94 08:49:37 GMT`) and asctime (`Sun Nov  6 08:49:37 1994`).

use super::calendar::{civil_from_days, days_from_civil, days_in_month};

const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const LONG_WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// The Unix time (seconds) of an HTTP date in any of its three forms; `None` for anything
/// else, including a date that does not exist (31 April) or a weekday that does not match.
pub fn parse(text: &str) -> Option<u64> {
    let text = text.trim();
    let (weekday, rest) = text.split_once([',', ' '])?;
    let fields: Vec<&str> = rest.split(' ').filter(|f| !f.is_empty()).collect();
    let (weekday_index, year, month, day, time) = if text[weekday.len()..].starts_with(',') {
        match fields.as_slice() {
            // IMF-fixdate: `Sun, 06 Nov 1994 08:49:37 GMT`.
            [day, month, year, time, "GMT"] if day.len() == 2 && year.len() == 4 => (
                WEEKDAYS.iter().position(|w| *w == weekday)?,
                number(year)?,
                month_number(month)?,
                number(day)?,
                *time,
            ),
            // RFC 850: `Sunday, 06-Nov-94 08:49:37 GMT`; a two-digit year is the one within
            // 50 years of now, so 70–99 are the 1900s, as every server of the form meant.
            [date, time, "GMT"] => {
                let mut parts = date.split('-');
                let (day, month, year) = (parts.next()?, parts.next()?, parts.next()?);
                if parts.next().is_some() || day.len() != 2 || year.len() != 2 {
                    return None;
                }
                let year = number(year)?;
                (
                    LONG_WEEKDAYS.iter().position(|w| *w == weekday)?,
                    if year >= 70 { 1900 + year } else { 2000 + year },
                    month_number(month)?,
                    number(day)?,
                    *time,
                )
            }
            _ => return None,
        }
    } else {
        // asctime: `Sun Nov  6 08:49:37 1994` (the day padded with a space).
        match fields.as_slice() {
            [month, day, time, year] if (1..=2).contains(&day.len()) && year.len() == 4 => (
                WEEKDAYS.iter().position(|w| *w == weekday)?,
                number(year)?,
                month_number(month)?,
                number(day)?,
                *time,
            ),
            _ => return None,
        }
    };
    let seconds_of_day = clock_time(time)?;
    let day = u32::try_from(day).ok()?;
    if day == 0 || day > days_in_month(year, month) {
        return None;
    }
    let days = days_from_civil(year, month, day);
    // 1970-01-01 was a Thursday (index 3, counting from Monday).
    if (days + 3).rem_euclid(7) != weekday_index as i64 {
        return None;
    }
    let days = u64::try_from(days).ok()?;
    Some(days * 86_400 + seconds_of_day)
}

/// The IMF-fixdate of a Unix time: `Sun, 06 Nov 1994 08:49:37 GMT`.
pub fn format(unix: u64) -> String {
    let days = (unix / 86_400) as i64;
    let (year, month, day) = civil_from_days(days);
    let seconds = unix % 86_400;
    format!(
        "{}, {day:02} {} {year:04} {:02}:{:02}:{:02} GMT",
        WEEKDAYS[(days + 3).rem_euclid(7) as usize],
        MONTHS[month as usize - 1],
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60,
    )
}

/// Digits only (no sign, no spaces), as a number.
fn number(digits: &str) -> Option<i64> {
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

fn month_number(name: &str) -> Option<u32> {
    let index = MONTHS.iter().position(|m| *m == name)?;
    u32::try_from(index + 1).ok()
}

/// `HH:MM:SS` as seconds since midnight (a leap second, `:60`, is accepted).
fn clock_time(time: &str) -> Option<u64> {
    let mut parts = time.split(':');
    let (hours, minutes, seconds) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || [hours, minutes, seconds].iter().any(|p| p.len() != 2) {
        return None;
    }
    let (hours, minutes, seconds) = (number(hours)?, number(minutes)?, number(seconds)?);
    if hours > 23 || minutes > 59 || seconds > 60 {
        return None;
    }
    u64::try_from(hours * 3600 + minutes * 60 + seconds).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_three_forms_of_rfc_9110s_example() {
        // RFC 9110's example instant, 1994-11-06 08:49:37 UTC.
        let instant = 784_111_777;
        assert_eq!(parse("Sun, 06 Nov 1994 08:49:37 GMT"), Some(instant));
        assert_eq!(parse("Sunday, 06-Nov-94 08:49:37 GMT"), Some(instant));
        assert_eq!(parse("Sun Nov  6 08:49:37 1994"), Some(instant));
        assert_eq!(parse(" Sun, 06 Nov 1994 08:49:37 GMT "), Some(instant));
        assert_eq!(format(instant), "Sun, 06 Nov 1994 08:49:37 GMT");
    }

    #[test]
    fn writes_what_it_reads() {
        for unix in (0..4_102_444_800u64).step_by(86_400 * 97 + 3_607) {
            assert_eq!(parse(&format(unix)), Some(unix), "{}", format(unix));
        }
        assert_eq!(parse("Sat, 05 Dec 2026 14:11:39 GMT"), Some(1_796_479_899));
    }

    #[test]
    fn refuses_what_is_not_a_date() {
        for text in [
            "",
            "GMT",
            "Sun,",
            "Mon, 06 Nov 1994 08:49:37 GMT", // the wrong weekday
            "Sun, 06 Nov 1994 08:49:37 UTC", // not GMT
            "Sun, 6 Nov 1994 08:49:37 GMT",  // the day not two digits
            "Thu, 31 Apr 2025 08:49:37 GMT", // no such day
            "Sun, 06 Nov 1994 24:00:00 GMT",
            "Sun, 06 Nov 1994 08:49 GMT",
            "Sun, 06 Nov 1994 08:49:37:00 GMT",
            "Sun, 06 Nov +994 08:49:37 GMT",
            "Sun, 06 Foo 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 08:49:37 GMT extra",
            "Sunday, 06-Nov-1994 08:49:37 GMT",
            "Sun Nov  6 08:49:37 94",
            "Wed, 31 Dec 1969 23:59:59 GMT", // before 1970
            "1796479899",
            "Sun, 06 Nov 1994 08:49:-7 GMT",
        ] {
            assert_eq!(parse(text), None, "{text:?}");
        }
    }
}
