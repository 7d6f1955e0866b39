//! Strict parsing of signed timestamps.

/// A signed timestamp: its bytes exactly as received (they are part of the signed content) and
/// its value in Unix seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timestamp<'a> {
    raw: &'a [u8],
    unix: i64,
}

/// How a scheme writes its timestamps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum TimestampFormat {
    /// Whole Unix seconds as a decimal, what most providers send.
    #[default]
    Seconds,
    /// Whole Unix milliseconds as a decimal (HubSpot, Linear).
    Millis,
    /// An RFC 3339 date-time in UTC (Twitch).
    Rfc3339,
}

impl TimestampFormat {
    /// Writes `unix` seconds the way a sender in this format would, for signing.
    pub(crate) fn render(self, unix: i64) -> String {
        match self {
            Self::Seconds => unix.to_string(),
            Self::Millis => unix.saturating_mul(1000).to_string(),
            Self::Rfc3339 => rfc3339::format(unix),
        }
    }
}

/// The longest canonical decimal of an `i64`.
const MAX_DIGITS: usize = 19;

impl<'a> Timestamp<'a> {
    /// Parses whole Unix seconds written as a canonical decimal: ASCII digits only, no sign, no
    /// leading zeros, no spaces, at most `i64::MAX`.
    ///
    /// Canonical form matters: the providers' SDKs re-format the number before computing the
    /// MAC, so `+1700000000` or `01700000000` would be signed differently than it is read.
    ///
    /// # Errors
    ///
    /// A short description of the problem.
    ///
    /// # Example
    ///
    /// ```
    /// use hookwarden::Timestamp;
    ///
    /// assert_eq!(Timestamp::parse_seconds(b"1700000000").unwrap().unix(), 1_700_000_000);
    /// assert!(Timestamp::parse_seconds(b"+1700000000").is_err());
    /// assert!(Timestamp::parse_seconds(b"99999999999999999999").is_err());
    /// ```
    pub fn parse_seconds(raw: &'a [u8]) -> Result<Self, &'static str> {
        let unix = parse_decimal(raw)?;
        Ok(Self { raw, unix })
    }

    /// Parses whole Unix **milliseconds** written as a canonical decimal (HubSpot's
    /// `X-HubSpot-Request-Timestamp`, Linear's `webhookTimestamp`), with the same rules as
    /// [`parse_seconds`](Self::parse_seconds). The value is kept in whole seconds, rounded
    /// down: tolerances are whole seconds.
    ///
    /// # Errors
    ///
    /// A short description of the problem.
    ///
    /// # Example
    ///
    /// ```
    /// use hookwarden::Timestamp;
    ///
    /// assert_eq!(Timestamp::parse_millis(b"1700000000999").unwrap().unix(), 1_700_000_000);
    /// assert!(Timestamp::parse_millis(b"1.7e12").is_err());
    /// ```
    pub fn parse_millis(raw: &'a [u8]) -> Result<Self, &'static str> {
        let millis = parse_decimal(raw)?;
        Ok(Self { raw, unix: millis.div_euclid(1000) })
    }

    /// Parses an RFC 3339 date-time (Twitch EventSub): `YYYY-MM-DDTHH:MM:SS`, an optional
    /// fraction of 1 to 9 digits, then `Z` or an offset `±HH:MM`. Uppercase `T` and `Z` only,
    /// no leap seconds, years 0000 to 9999. The value is kept in whole seconds (the fraction
    /// is dropped).
    ///
    /// # Errors
    ///
    /// A short description of the problem.
    ///
    /// # Example
    ///
    /// ```
    /// use hookwarden::Timestamp;
    ///
    /// let t = Timestamp::parse_rfc3339(b"2023-11-14T22:13:20.123456789Z").unwrap();
    /// assert_eq!(t.unix(), 1_700_000_000);
    /// assert_eq!(Timestamp::parse_rfc3339(b"2023-11-14T23:13:20+01:00").unwrap().unix(), 1_700_000_000);
    /// assert!(Timestamp::parse_rfc3339(b"2023-11-14 22:13:20Z").is_err());
    /// ```
    pub fn parse_rfc3339(raw: &'a [u8]) -> Result<Self, &'static str> {
        Ok(Self { raw, unix: rfc3339::parse(raw)? })
    }

    /// Parses `raw` in `format`.
    ///
    /// # Errors
    ///
    /// A short description of the problem.
    pub fn parse(format: TimestampFormat, raw: &'a [u8]) -> Result<Self, &'static str> {
        match format {
            TimestampFormat::Seconds => Self::parse_seconds(raw),
            TimestampFormat::Millis => Self::parse_millis(raw),
            TimestampFormat::Rfc3339 => Self::parse_rfc3339(raw),
        }
    }

    /// The timestamp's bytes as received.
    pub fn raw(&self) -> &'a [u8] {
        self.raw
    }

    /// Whole seconds since the Unix epoch.
    pub fn unix(&self) -> i64 {
        self.unix
    }
}

fn parse_decimal(raw: &[u8]) -> Result<i64, &'static str> {
    match raw {
        [] => return Err("timestamp is empty"),
        [b'0', _, ..] => return Err("timestamp has a leading zero"),
        _ if raw.len() > MAX_DIGITS => return Err("timestamp is out of range"),
        _ => {}
    }
    let mut value: i64 = 0;
    for &byte in raw {
        if !byte.is_ascii_digit() {
            return Err("timestamp is not a decimal number of seconds");
        }
        value = value
            .checked_mul(10)
            .and_then(|v| v.checked_add(i64::from(byte - b'0')))
            .ok_or("timestamp is out of range")?;
    }
    Ok(value)
}

/// A small, strict RFC 3339 reader and writer: a dependency on a date-time crate for one
/// header format is not worth it, and strictness is easier to see in forty lines.
mod rfc3339 {
    const SECONDS_PER_DAY: i64 = 86_400;

    /// Reads exactly `N` ASCII digits at `at`.
    fn digits<const N: usize>(raw: &[u8], at: usize) -> Result<i64, &'static str> {
        let field = raw.get(at..at + N).ok_or("timestamp is not an RFC 3339 date-time")?;
        field.iter().try_fold(0, |value, &b| {
            if b.is_ascii_digit() {
                Ok(value * 10 + i64::from(b - b'0'))
            } else {
                Err("timestamp is not an RFC 3339 date-time")
            }
        })
    }

    fn expect(raw: &[u8], at: usize, byte: u8) -> Result<(), &'static str> {
        match raw.get(at) {
            Some(&b) if b == byte => Ok(()),
            _ => Err("timestamp is not an RFC 3339 date-time"),
        }
    }

    /// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
    fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
        let y = if month <= 2 { year - 1 } else { year };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = (month + 9) % 12;
        let doy = (153 * mp + 2) / 5 + day - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    fn days_in_month(year: i64, month: i64) -> i64 {
        match month {
            2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        }
    }

    pub(super) fn parse(raw: &[u8]) -> Result<i64, &'static str> {
        let out_of_range = "timestamp has a field out of range";
        let (year, month, day) = (digits::<4>(raw, 0)?, digits::<2>(raw, 5)?, digits::<2>(raw, 8)?);
        expect(raw, 4, b'-')?;
        expect(raw, 7, b'-')?;
        expect(raw, 10, b'T')?;
        let (hour, minute, second) = (digits::<2>(raw, 11)?, digits::<2>(raw, 14)?, digits::<2>(raw, 17)?);
        expect(raw, 13, b':')?;
        expect(raw, 16, b':')?;
        if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
            return Err(out_of_range);
        }
        if hour > 23 || minute > 59 || second > 59 {
            return Err(out_of_range);
        }
        let mut at = 19;
        if raw.get(at) == Some(&b'.') {
            let fraction = raw[at + 1..].iter().take_while(|b| b.is_ascii_digit()).count();
            if !(1..=9).contains(&fraction) {
                return Err("timestamp fraction must have 1 to 9 digits");
            }
            at += 1 + fraction;
        }
        let offset = match raw.get(at..) {
            Some(b"Z") => 0,
            Some([sign @ (b'+' | b'-'), ..]) if raw.len() == at + 6 => {
                let (h, m) = (digits::<2>(raw, at + 1)?, digits::<2>(raw, at + 4)?);
                expect(raw, at + 3, b':')?;
                if h > 23 || m > 59 {
                    return Err(out_of_range);
                }
                let minutes = h * 60 + m;
                if *sign == b'+' { minutes } else { -minutes }
            }
            _ => return Err("timestamp must end in `Z` or an offset `+HH:MM`"),
        };
        // Four-digit years keep every intermediate value far from overflow.
        let days = days_from_civil(year, month, day);
        Ok(days * SECONDS_PER_DAY + hour * 3600 + minute * 60 + second - offset * 60)
    }

    /// `unix` as `YYYY-MM-DDTHH:MM:SSZ` (Howard Hinnant's `civil_from_days`).
    pub(super) fn format(unix: i64) -> String {
        let (days, secs) = (unix.div_euclid(SECONDS_PER_DAY), unix.rem_euclid(SECONDS_PER_DAY));
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z", secs / 3600, secs % 3600 / 60, secs % 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn milliseconds_round_down_to_seconds() {
        assert_eq!(Timestamp::parse_millis(b"0").unwrap().unix(), 0);
        assert_eq!(Timestamp::parse_millis(b"1700000000999").unwrap().unix(), 1_700_000_000);
        assert_eq!(Timestamp::parse_millis(b"9223372036854775807").unwrap().unix(), i64::MAX / 1000);
        for bad in [&b"01"[..], b"-1", b"1.0", b"", b"9223372036854775808"] {
            assert!(Timestamp::parse_millis(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn rfc3339_parses_strictly() {
        let ok = |raw: &str| rfc3339::parse(raw.as_bytes());
        assert_eq!(ok("1970-01-01T00:00:00Z"), Ok(0));
        assert_eq!(ok("2023-11-14T22:13:20Z"), Ok(1_700_000_000));
        assert_eq!(ok("2023-11-14T22:13:20.5Z"), Ok(1_700_000_000));
        assert_eq!(ok("2023-11-14T22:13:20.123456789Z"), Ok(1_700_000_000));
        assert_eq!(ok("2023-11-14T17:13:20-05:00"), Ok(1_700_000_000));
        assert_eq!(ok("2024-02-29T00:00:00Z"), Ok(1_709_164_800));
        assert_eq!(ok("1969-12-31T23:59:59Z"), Ok(-1));
        assert_eq!(ok("9999-12-31T23:59:59Z"), Ok(253_402_300_799));
        for bad in [
            "",
            "2023-11-14",
            "2023-11-14t22:13:20Z",
            "2023-11-14 22:13:20Z",
            "2023-11-14T22:13:20z",
            "2023-11-14T22:13:20",
            "2023-11-14T22:13:20.Z",
            "2023-11-14T22:13:20.1234567890Z",
            "2023-11-14T22:13:60Z",
            "2023-11-14T24:00:00Z",
            "2023-02-29T00:00:00Z",
            "2023-13-01T00:00:00Z",
            "2023-00-01T00:00:00Z",
            "2023-11-00T00:00:00Z",
            "2023-11-14T22:13:20+0100",
            "2023-11-14T22:13:20+01:00 ",
            "2023-11-14T22:13:20Z ",
            "+2023-11-14T22:13:20Z",
            "２023-11-14T22:13:20Z",
        ] {
            assert!(ok(bad).is_err(), "{bad:?} parsed");
        }
    }

    #[test]
    fn rendering_round_trips() {
        for unix in [0, 1_700_000_000, 1_709_164_800, -1, 253_402_300_799] {
            let text = TimestampFormat::Rfc3339.render(unix);
            assert_eq!(rfc3339::parse(text.as_bytes()), Ok(unix), "{text}");
        }
        assert_eq!(TimestampFormat::Millis.render(1_700_000_000), "1700000000000");
        assert_eq!(TimestampFormat::Millis.render(0), "0");
        assert_eq!(TimestampFormat::Rfc3339.render(1_700_000_000), "2023-11-14T22:13:20Z");
    }

    #[test]
    fn canonical_decimals_parse() {
        assert_eq!(parse_decimal(b"0"), Ok(0));
        assert_eq!(parse_decimal(b"1700000000"), Ok(1_700_000_000));
        assert_eq!(parse_decimal(b"9223372036854775807"), Ok(i64::MAX));
    }

    #[test]
    fn everything_else_is_refused() {
        for raw in [
            &b""[..],
            b"-1",
            b"+1",
            b"01",
            b" 1",
            b"1 ",
            b"1.5",
            b"1e9",
            b"0x10",
            b"9223372036854775808",
            b"-9223372036854775808",
            b"18446744073709551616",
            b"\xff",
            b"1\x00",
        ] {
            assert!(parse_decimal(raw).is_err(), "{raw:?} parsed");
        }
    }
}
