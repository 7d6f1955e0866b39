//! Strict parsing of signed timestamps.

/// A signed timestamp: its bytes exactly as received (they are part of the signed content) and
/// its value in Unix seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timestamp<'a> {
    raw: &'a [u8],
    unix: i64,
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

#[cfg(test)]
mod tests {
    use super::*;

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
