//! Validation time: an input, never read from a clock inside the library.

use std::fmt;

use time::{OffsetDateTime, format_description::well_known::Rfc3339};

/// An instant, to the second, in UTC: the validation time at which signatures and
/// certificates are judged (ETSI EN 319 102-1 §5.2.1), and every time a report states
/// (signing time, proof of existence, certificate validity, revocation). The core never
/// reads the clock: callers pass "now" explicitly, or any past or future instant they want the
/// answer for. Reports serialize it as RFC 3339 text (`2030-03-17T17:46:40Z`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ValidationTime(i64);

/// Why a time value was rejected.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TimeError {
    /// The Unix time is outside years 0000–9999 (what a four-digit year, and so X.509's
    /// GeneralizedTime and RFC 3339, can express).
    #[error("unix time {0} is outside years 0000..=9999")]
    OutOfRange(i64),
    /// The text is not an RFC 3339 date-time such as `2026-01-31T09:00:00+07:00`.
    #[error("not an RFC 3339 date-time: {text:?}")]
    Rfc3339 {
        /// The rejected text.
        text: String,
    },
}

/// 0000-01-01T00:00:00Z: the earliest instant a four-digit year can express.
const MIN_UNIX: i64 = -62_167_219_200;
/// 9999-12-31T23:59:59Z: the latest instant a GeneralizedTime with four-digit year can express.
const MAX_UNIX: i64 = 253_402_300_799;

impl ValidationTime {
    /// An instant from seconds since 1970-01-01T00:00:00Z.
    ///
    /// # Errors
    /// [`TimeError::OutOfRange`] outside years 0000–9999.
    pub fn from_unix(secs: i64) -> Result<Self, TimeError> {
        if (MIN_UNIX..=MAX_UNIX).contains(&secs) {
            Ok(Self(secs))
        } else {
            Err(TimeError::OutOfRange(secs))
        }
    }

    /// An instant from RFC 3339 text, e.g. `2030-03-17T17:46:40Z`.
    ///
    /// # Errors
    /// [`TimeError::Rfc3339`] when the text does not parse, [`TimeError::OutOfRange`] when it is
    /// outside years 0000–9999.
    pub fn from_rfc3339(text: &str) -> Result<Self, TimeError> {
        let parsed = OffsetDateTime::parse(text, &Rfc3339).map_err(|_| TimeError::Rfc3339 {
            text: text.to_owned(),
        })?;
        Self::from_unix(parsed.unix_timestamp())
    }

    /// An instant from a Unix time read from an ASN.1 or PDF date (four-digit years, so in
    /// range); clamped to years 0000–9999 otherwise.
    pub(crate) fn clamped(secs: i64) -> Self {
        Self(secs.clamp(MIN_UNIX, MAX_UNIX))
    }

    /// Seconds since 1970-01-01T00:00:00Z.
    pub fn unix(self) -> i64 {
        self.0
    }
}

impl serde::Serialize for ValidationTime {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl fmt::Display for ValidationTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&rfc3339(self.0))
    }
}

/// RFC 3339 UTC text (`2030-03-17T17:46:40Z`) for a Unix time; the raw number if out of range.
pub(crate) fn rfc3339(secs: i64) -> String {
    OffsetDateTime::from_unix_timestamp(secs)
        .ok()
        .and_then(|t| t.format(&Rfc3339).ok())
        .unwrap_or_else(|| format!("@{secs}"))
}

/// Unix time of a calendar date-time in UTC, if it exists.
fn unix(year: i32, month: u8, day: u8, hour: u8, minute: u8, second: u8) -> Option<i64> {
    let month = time::Month::try_from(month).ok()?;
    let date = time::Date::from_calendar_date(year, month, day).ok()?;
    let time = time::Time::from_hms(hour, minute, second).ok()?;
    Some(date.with_time(time).assume_utc().unix_timestamp())
}

/// Parses `n` ASCII digits at the start of `s`.
fn digits(s: &[u8], n: usize) -> Option<u32> {
    let d = s.get(..n)?;
    d.iter().try_fold(0u32, |acc, b| {
        b.is_ascii_digit().then(|| acc * 10 + u32::from(b - b'0'))
    })
}

/// UTCTime (`YYMMDDHHMMSSZ`, RFC 5280 §4.1.2.5.1: years 50–99 are 19xx) or GeneralizedTime
/// (`YYYYMMDDHHMMSS[.f]Z`) content octets, as a Unix time.
pub(crate) fn asn1_time(utc: bool, s: &[u8]) -> Option<i64> {
    let (year, rest) = if utc {
        let yy = digits(s, 2)? as i32;
        (if yy >= 50 { 1900 + yy } else { 2000 + yy }, &s[2..])
    } else {
        (digits(s, 4)? as i32, &s[4..])
    };
    let field = |i: usize| digits(rest.get(i..)?, 2).and_then(|v| u8::try_from(v).ok());
    let secs = unix(year, field(0)?, field(2)?, field(4)?, field(6)?, field(8)?)?;
    let tail = &rest[10..];
    let tail = match tail.first() {
        Some(b'.') => {
            let frac = tail[1..].iter().take_while(|b| b.is_ascii_digit()).count();
            &tail[1 + frac..]
        }
        _ => tail,
    };
    (tail == b"Z").then_some(secs)
}

/// A PDF date (ISO 32000-2 §7.9.4, `D:YYYYMMDDHHmmSSOHH'mm`), missing fields defaulted, as a
/// Unix time.
#[cfg(feature = "pdf")]
pub(crate) fn pdf_date(s: &[u8]) -> Option<i64> {
    let s = s.strip_prefix(b"D:").unwrap_or(s);
    let year = digits(s, 4)? as i32;
    let mut fields = [1u8, 1, 0, 0, 0];
    let mut at = 4;
    for f in &mut fields {
        match digits(s.get(at..)?, 2) {
            Some(v) => {
                *f = u8::try_from(v).ok()?;
                at += 2;
            }
            None => break,
        }
    }
    let [month, day, hour, minute, second] = fields;
    let local = unix(year, month, day, hour, minute, second)?;
    let offset = match s.get(at) {
        Some(sign @ (b'+' | b'-')) => {
            let hh = i64::from(digits(s.get(at + 1..)?, 2)?);
            let mm = s
                .get(at + 3..)
                .map(|r| r.strip_prefix(b"'").unwrap_or(r))
                .and_then(|r| digits(r, 2))
                .map_or(0, i64::from);
            let secs = hh * 3600 + mm * 60;
            if *sign == b'+' { secs } else { -secs }
        }
        _ => 0,
    };
    Some(local - offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_round_trip_and_offsets() {
        let t = ValidationTime::from_rfc3339("2030-03-17T17:46:40Z").unwrap();
        assert_eq!(t.unix(), 1_900_000_000);
        assert_eq!(t.to_string(), "2030-03-17T17:46:40Z");
        let hanoi = ValidationTime::from_rfc3339("2030-03-18T00:46:40+07:00").unwrap();
        assert_eq!(hanoi, t);
    }

    #[test]
    fn asn1_and_pdf_dates() {
        assert_eq!(asn1_time(true, b"300317174640Z"), Some(1_900_000_000));
        assert_eq!(
            asn1_time(false, b"20300317174640.123Z"),
            Some(1_900_000_000)
        );
        assert_eq!(asn1_time(true, b"500101000000Z"), Some(-631_152_000));
        assert_eq!(asn1_time(true, b"301317174640Z"), None);
        assert_eq!(asn1_time(false, b"2030031717464"), None);
        assert_eq!(pdf_date(b"D:20300318004640+07'00'"), Some(1_900_000_000));
        assert_eq!(pdf_date(b"D:20300317174640Z"), Some(1_900_000_000));
        assert_eq!(pdf_date(b"D:2030"), unix(2030, 1, 1, 0, 0, 0));
        assert_eq!(pdf_date(b"garbage"), None);
    }

    #[test]
    fn rejects_garbage_and_out_of_range() {
        assert!(matches!(
            ValidationTime::from_rfc3339("yesterday"),
            Err(TimeError::Rfc3339 { .. })
        ));
        assert!(matches!(
            ValidationTime::from_unix(i64::MAX),
            Err(TimeError::OutOfRange(_))
        ));
        assert!(ValidationTime::from_unix(MAX_UNIX).is_ok());
    }
}
