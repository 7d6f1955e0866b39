//! `application/x-www-form-urlencoded` bodies, read without allocating: Twilio signs the
//! decoded parameters, sorted, so they are checked once, then sorted and decoded on the fly.

use std::cmp::Ordering;

/// The most parameters read from one body. Twilio's richest webhooks (messages with ten media
/// attachments) send about fifty; a body with more is refused before any MAC work.
pub(super) const MAX_PARAMS: usize = 128;

/// One `name=value` pair, still encoded.
pub(super) type Param<'a> = (&'a [u8], &'a [u8]);

/// Splits `body` into encoded pairs (empty segments are skipped, a segment without `=` is a
/// name with an empty value) and checks every `%` escape.
///
/// # Errors
///
/// A short description of the problem: too many parameters or a broken `%` escape.
pub(super) fn params(body: &[u8]) -> Result<([Param<'_>; MAX_PARAMS], usize), &'static str> {
    let mut out: [Param<'_>; MAX_PARAMS] = [(&[], &[]); MAX_PARAMS];
    let mut count = 0;
    for segment in body.split(|&b| b == b'&').filter(|s| !s.is_empty()) {
        let slot = out.get_mut(count).ok_or("the form has more than 128 parameters")?;
        *slot = match segment.iter().position(|&b| b == b'=') {
            Some(eq) => (&segment[..eq], &segment[eq + 1..]),
            None => (segment, &[]),
        };
        if decoded(slot.0).chain(decoded(slot.1)).any(|b| b.is_none()) {
            return Err("the form has a broken `%` escape");
        }
        count += 1;
    }
    Ok((out, count))
}

/// The bytes `encoded` stands for (`+` is a space, `%XX` a byte); `None` marks a broken
/// escape, which [`params`] refused already.
pub(super) fn decoded(encoded: &[u8]) -> impl Iterator<Item = Option<u8>> + '_ {
    let mut rest = encoded;
    std::iter::from_fn(move || {
        let (&first, tail) = rest.split_first()?;
        rest = tail;
        Some(match first {
            b'+' => Some(b' '),
            b'%' => {
                let hex = |b: u8| char::from(b).to_digit(16);
                let byte = match rest {
                    [hi, lo, ..] => hex(*hi).zip(hex(*lo)).map(|(hi, lo)| (hi * 16 + lo) as u8),
                    _ => None,
                };
                rest = rest.get(2..).unwrap_or_default();
                byte
            }
            other => Some(other),
        })
    })
}

/// Orders pairs by decoded name, then decoded value, as Twilio's SDKs sort them.
pub(super) fn compare(a: &Param<'_>, b: &Param<'_>) -> Ordering {
    decoded(a.0).cmp(decoded(b.0)).then_with(|| decoded(a.1).cmp(decoded(b.1)))
}

/// Feeds the decoded bytes of `encoded`, a stack buffer at a time.
pub(super) fn feed_decoded(encoded: &[u8], feed: &mut dyn FnMut(&[u8])) {
    let mut buffer = [0; 64];
    let mut len = 0;
    for byte in decoded(encoded).flatten() {
        buffer[len] = byte;
        len += 1;
        if len == buffer.len() {
            feed(&buffer);
            len = 0;
        }
    }
    feed(&buffer[..len]);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(encoded: &str) -> Vec<u8> {
        let mut out = Vec::new();
        feed_decoded(encoded.as_bytes(), &mut |piece| out.extend_from_slice(piece));
        out
    }

    #[test]
    fn decodes_plus_and_escapes() {
        assert_eq!(decode("%2B14158675309"), b"+14158675309");
        assert_eq!(decode("hello+world%21%e2%82%ac"), "hello world!€".as_bytes());
        assert_eq!(decode(&"a".repeat(200)), "a".repeat(200).as_bytes());
    }

    #[test]
    fn splits_and_checks_pairs() {
        let (pairs, count) = params(b"b=2&&a&c=%41").unwrap();
        assert_eq!(&pairs[..count], &[(&b"b"[..], &b"2"[..]), (b"a", b""), (b"c", b"%41")]);
        assert!(params(b"a=%4").is_err());
        assert!(params(b"a=%zz").is_err());
        assert!(params("a=1&".repeat(129).as_bytes()).is_err());
        assert_eq!(compare(&(b"A", b"%62"), &(b"%41", b"a")), Ordering::Greater);
    }
}
