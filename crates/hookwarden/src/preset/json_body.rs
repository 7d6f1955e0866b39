//! Writing a signature into a JSON body without re-serialising it, for the presets whose
//! signature travels in the body (Mailgun, Adyen's classic notifications).

use serde_json::value::RawValue;

use crate::error::SignError;

/// Where `inner` (a slice borrowed from `outer`, as serde hands out `&RawValue`s) starts in
/// `outer`.
pub(super) fn offset_in(outer: &[u8], inner: &RawValue) -> usize {
    inner.get().as_ptr() as usize - outer.as_ptr() as usize
}

/// `body` with `member` (such as `"signature":{...}`) inserted as the first member of the JSON
/// object that starts at `at` (its `{`). Every other byte is kept as it is.
///
/// The caller parsed `body` already, so `at` is an object's `{`.
pub(super) fn insert_first_member(body: &[u8], at: usize, member: &str) -> Result<Vec<u8>, SignError> {
    if body.get(at) != Some(&b'{') {
        return Err(SignError::UnsignableBody { problem: "not a JSON object" });
    }
    let after = &body[at + 1..];
    let empty = after.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'}');
    let mut out = Vec::with_capacity(body.len() + member.len() + 1);
    out.extend_from_slice(&body[..=at]);
    out.extend_from_slice(member.as_bytes());
    if !empty {
        out.push(b',');
    }
    out.extend_from_slice(after);
    Ok(out)
}

/// `text` as a JSON string literal.
pub(super) fn string(text: &str) -> String {
    serde_json::Value::from(text).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inserts_into_empty_and_filled_objects_keeping_every_byte() {
        assert_eq!(insert_first_member(b"{}", 0, r#""a":1"#).unwrap(), br#"{"a":1}"#);
        assert_eq!(insert_first_member(b" { } ", 1, r#""a":1"#).unwrap(), br#" {"a":1 } "#);
        assert_eq!(insert_first_member(b"{ \"b\" : 2 }", 0, r#""a":1"#).unwrap(), b"{\"a\":1, \"b\" : 2 }");
        assert!(insert_first_member(b"[]", 0, r#""a":1"#).is_err());
        assert_eq!(string("a\"b"), r#""a\"b""#);
    }
}
