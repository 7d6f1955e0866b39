//! Finds one field of a JSON object in the raw bytes, for event ids that travel inside the body.
//!
//! It reads only as far as the field: members before it are skipped without being parsed
//! (strings by `memchr` to their closing quote, nested objects and arrays by counting their
//! brackets outside strings). Skipping costs a `memchr` call per string, whatever its length,
//! so the top-level object is read from the front only up to its first object or array value,
//! and from the back after that: Stripe's leading `id` costs a few nanoseconds, and Slack's
//! `event_id`, which follows a nested `event` object of some forty strings, is reached from
//! the back without skipping it. It allocates nothing and never panics; a body that is not a
//! JSON object, or whose path is missing, gives `None`, and the caller falls back to a digest
//! of the signed content.

/// The raw value of the member at `path` (names joined by `.`, such as `event.id`): a string's
/// bytes between its quotes, escapes left as they are, or a number's text. Objects, arrays,
/// `true`, `false` and `null` give `None`. When a nested object repeats a name, the first one
/// counts; when the top-level object does, the first one before its first object or array
/// value, else the last one after it. Either way the same bytes always give the same answer,
/// which is what an identity needs; no provider repeats a name.
pub(crate) fn field<'b>(body: &'b [u8], path: &str) -> Option<&'b [u8]> {
    let mut value = skip_space(body, 0);
    let mut names = path.split('.').peekable();
    let mut top_level = true;
    while let Some(name) = names.next() {
        let found = if std::mem::take(&mut top_level) {
            top_level_member(body, value, name.as_bytes())?
        } else {
            member(body, value, name.as_bytes())?
        };
        if names.peek().is_none() {
            return scalar(body, found);
        }
        value = found;
    }
    None
}

/// Where the value of the member `name` starts in the object at `at`.
fn member(body: &[u8], at: usize, name: &[u8]) -> Option<usize> {
    if body.get(at) != Some(&b'{') {
        return None;
    }
    let mut at = skip_space(body, at + 1);
    loop {
        if body.get(at) != Some(&b'"') {
            return None;
        }
        let key_end = string_end(body, at)?;
        let key = &body[at + 1..key_end - 1];
        at = skip_space(body, key_end);
        if body.get(at) != Some(&b':') {
            return None;
        }
        let value = skip_space(body, at + 1);
        if key == name {
            return Some(value);
        }
        at = skip_space(body, value_end(body, value)?);
        match body.get(at) {
            Some(b',') => at = skip_space(body, at + 1),
            _ => return None,
        }
    }
}

/// [`member`] for the top-level object at `at`, whose closing brace is the body's last byte
/// that is not white space. Its members are read from the front up to the first whose value
/// is an object or an array, then from the back down to that one: a name after a large
/// nested value is found without skipping the value, which is skipped only when the name is
/// not after it.
fn top_level_member(body: &[u8], at: usize, name: &[u8]) -> Option<usize> {
    if body.get(at) != Some(&b'{') {
        return None;
    }
    let mut at = skip_space(body, at + 1);
    loop {
        if body.get(at) != Some(&b'"') {
            return None;
        }
        let key_end = string_end(body, at)?;
        let colon = skip_space(body, key_end);
        if body.get(colon) != Some(&b':') {
            return None;
        }
        let value = skip_space(body, colon + 1);
        if &body[at + 1..key_end - 1] == name {
            return Some(value);
        }
        if matches!(body.get(value), Some(b'{' | b'[')) {
            return member_from_end(body, at, name);
        }
        at = skip_space(body, value_end(body, value)?);
        match body.get(at) {
            Some(b',') => at = skip_space(body, at + 1),
            _ => return None,
        }
    }
}

/// Where the value of the member `name` starts, among the top-level members from the one
/// whose name opens at `first` (already compared) to the last, read from the last one back.
/// Nothing before `first` is read.
fn member_from_end(body: &[u8], first: usize, name: &[u8]) -> Option<usize> {
    let end = skip_space_back(body, first, body.len());
    if end == first || body[end - 1] != b'}' {
        return None;
    }
    let mut end = skip_space_back(body, first, end - 1);
    loop {
        let value = value_start(body, first, end)?;
        let colon = skip_space_back(body, first, value);
        if colon == first || body[colon - 1] != b':' {
            return None;
        }
        let key_end = skip_space_back(body, first, colon - 1);
        if key_end == first || body[key_end - 1] != b'"' {
            return None;
        }
        let key_start = string_start(body, first, key_end)?;
        let comma = skip_space_back(body, first, key_start);
        if key_start == first || comma == first || body[comma - 1] != b',' {
            return None;
        }
        if &body[key_start + 1..key_end - 1] == name {
            return Some(value);
        }
        end = skip_space_back(body, first, comma - 1);
    }
}

/// A string's or a number's text, for the value at `at`.
fn scalar(body: &[u8], at: usize) -> Option<&[u8]> {
    match body.get(at)? {
        b'"' => Some(&body[at + 1..string_end(body, at)? - 1]),
        b'-' | b'0'..=b'9' => Some(&body[at..value_end(body, at)?]),
        _ => None,
    }
}

/// Just past the value that starts at `at`.
fn value_end(body: &[u8], at: usize) -> Option<usize> {
    match body.get(at)? {
        b'"' => string_end(body, at),
        b'{' => nested_end(body, at, b'{', b'}'),
        b'[' => nested_end(body, at, b'[', b']'),
        // A number, `true`, `false` or `null`: up to the next delimiter.
        _ => {
            let len = body[at..]
                .iter()
                .position(|&b| matches!(b, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r'))
                .unwrap_or(body.len() - at);
            (len > 0).then_some(at + len)
        }
    }
}

/// Just past the closing quote of the string whose opening quote is at `at`.
fn string_end(body: &[u8], at: usize) -> Option<usize> {
    let mut at = at + 1;
    loop {
        at += memchr::memchr2(b'"', b'\\', body.get(at..)?)?;
        if body[at] == b'"' {
            return Some(at + 1);
        }
        // A backslash escapes the next byte, whatever it is (`\"`, `\\`, `\u`...).
        at += 2;
    }
}

/// Just past the bracket that closes the object or array opened at `at`. Only `open` and
/// `close` are counted: brackets of the other kind are balanced within it anyway.
fn nested_end(body: &[u8], at: usize, open: u8, close: u8) -> Option<usize> {
    let mut depth = 0usize;
    let mut at = at;
    loop {
        at += memchr::memchr3(b'"', open, close, body.get(at..)?)?;
        match body[at] {
            b'"' => at = string_end(body, at)?,
            byte if byte == open => {
                depth += 1;
                at += 1;
            }
            _ => {
                depth -= 1;
                at += 1;
                if depth == 0 {
                    return Some(at);
                }
            }
        }
    }
}

/// Where the value that ends just before `end` starts, at `floor` or after.
fn value_start(body: &[u8], floor: usize, end: usize) -> Option<usize> {
    match body.get(end.checked_sub(1)?)? {
        b'"' => string_start(body, floor, end),
        b'}' => nested_start(body, floor, end, b'{', b'}'),
        b']' => nested_start(body, floor, end, b'[', b']'),
        // A number, `true`, `false` or `null`: back to the previous delimiter.
        _ => {
            let len = body[floor..end]
                .iter()
                .rev()
                .position(|&b| matches!(b, b',' | b':' | b'{' | b'[' | b' ' | b'\t' | b'\n' | b'\r'))
                .unwrap_or(end - floor);
            (len > 0).then_some(end - len)
        }
    }
}

/// The opening quote of the string whose closing quote is at `end - 1`, at `floor` or after:
/// the nearest quote before it that no backslash escapes (an even run of backslashes before
/// it, or none). Reading left to right, "a backslash escapes the next byte" agrees.
fn string_start(body: &[u8], floor: usize, end: usize) -> Option<usize> {
    let mut at = end.checked_sub(1)?;
    loop {
        at = floor + memchr::memrchr(b'"', body.get(floor..at)?)?;
        let backslashes = body[floor..at].iter().rev().take_while(|&&b| b == b'\\').count();
        if backslashes % 2 == 0 {
            return Some(at);
        }
    }
}

/// The bracket that opens the object or array whose closing bracket is at `end - 1`, at
/// `floor` or after. As in [`nested_end`], only `open` and `close` are counted.
fn nested_start(body: &[u8], floor: usize, end: usize, open: u8, close: u8) -> Option<usize> {
    let mut depth = 0usize;
    let mut at = end;
    loop {
        at = floor + memchr::memrchr3(b'"', open, close, body.get(floor..at)?)?;
        match body[at] {
            b'"' => at = string_start(body, floor, at + 1)?,
            byte if byte == close => depth += 1,
            _ => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(at);
                }
            }
        }
    }
}

/// Just past the last byte before `end` that is not white space, or `floor`.
fn skip_space_back(body: &[u8], floor: usize, mut end: usize) -> usize {
    while end > floor && matches!(body[end - 1], b' ' | b'\t' | b'\n' | b'\r') {
        end -= 1;
    }
    end
}

fn skip_space(body: &[u8], mut at: usize) -> usize {
    while body.get(at).is_some_and(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r')) {
        at += 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::field;

    #[test]
    fn finds_top_level_and_nested_members() {
        let body =
            br#" {"object":"event", "data":{"id":"inner","list":[1,{"id":"x"}]}, "id" : "evt_1", "n": 42}"#;
        assert_eq!(field(body, "id"), Some(&b"evt_1"[..]));
        assert_eq!(field(body, "n"), Some(&b"42"[..]));
        assert_eq!(field(body, "data.id"), Some(&b"inner"[..]));
        assert_eq!(field(body, "data"), None, "an object is not an id");
        assert_eq!(field(body, "missing"), None);
        assert_eq!(field(body, "data.missing"), None);
    }

    #[test]
    fn strings_hide_brackets_quotes_and_names() {
        let body = br#"{"text":"a \"id\": \"fake\" } { [","event":{"t":"}\\","id":"nested"},"id":"real"}"#;
        assert_eq!(field(body, "id"), Some(&b"real"[..]));
        assert_eq!(field(body, "event.id"), Some(&b"nested"[..]));
        assert_eq!(field(br#"{"a\"id":"no","id":"yes"}"#, "id"), Some(&b"yes"[..]));
    }

    #[test]
    fn names_after_a_nested_value_are_read_from_the_back() {
        // Slack's shape: `event_id` after the `event` object, whose strings hide brackets,
        // quotes, backslashes and the name itself; more nested values after it.
        let body = br#"{"token":"t","event":{"text":"} \"event_id\":\"no\" { \\","blocks":[{"a":"]"}]},"event_id":"Ev1","auth":[{"x":"\\\"[","y":null}],"n":-1.5e3,"ok":false}"#;
        assert_eq!(field(body, "event_id"), Some(&b"Ev1"[..]));
        assert_eq!(field(body, "n"), Some(&b"-1.5e3"[..]));
        assert_eq!(field(body, "token"), Some(&b"t"[..]));
        assert_eq!(field(body, "event.text"), Some(&br#"} \"event_id\":\"no\" { \\"#[..]));
        assert_eq!(field(body, "ok"), None, "a literal is not an id");
        assert_eq!(field(body, "missing"), None);
        assert_eq!(field(b"{\n  \"a\": [1, {\"b\": 2}],\n  \"id\" : \"x\" \n}\n", "id"), Some(&b"x"[..]));
        // The member the front read stopped at is not read again.
        assert_eq!(field(br#"{"id":{"x":1},"other":2}"#, "id"), None);
    }

    #[test]
    fn the_first_of_repeated_names_counts_and_literals_are_not_ids() {
        assert_eq!(field(br#"{"id":"a","id":"b"}"#, "id"), Some(&b"a"[..]));
        assert_eq!(field(br#"{"e":{"id":"a","id":"b"}}"#, "e.id"), Some(&b"a"[..]));
        // After a nested value the top level is read from the back: the last one counts.
        assert_eq!(field(br#"{"e":{},"id":"a","id":"b"}"#, "id"), Some(&b"b"[..]));
        for literal in ["null", "true", "false", "[1]", "{}"] {
            assert_eq!(field(format!(r#"{{"id":{literal}}}"#).as_bytes(), "id"), None, "{literal}");
        }
    }

    #[test]
    fn what_is_not_a_json_object_gives_nothing() {
        for body in [
            &b""[..],
            b"[]",
            b"id=1",
            b"{",
            b"{\"id\"",
            b"{\"id\":",
            b"{\"id\":\"open",
            b"{\"a\":{\"b\":1",
            b"{\"a\":{},\"id\"}",
            b"{\"a\":{},\"id\":}",
            b"{\"a\":{},:\"x\"}",
            b"{\"a\":[],\"id\":\"x\"",
            b"{\"a\":{}\"id\":\"x\"}",
            b"{\"a\":{},\"id\":\"x\"]",
        ] {
            assert_eq!(field(body, "id"), None, "{:?}", String::from_utf8_lossy(body));
        }
    }

    proptest! {
        /// On any JSON object, what it finds is what a JSON parser finds.
        #[test]
        fn agrees_with_serde_json(
            value in prop::collection::btree_map(
                "[a-c]{1,2}",
                prop_oneof![
                    "[ -~]{0,6}".prop_map(serde_json::Value::from),
                    any::<i32>().prop_map(serde_json::Value::from),
                    Just(serde_json::json!({"id": "in{ner", "x": ["]", {"id": 1}]})),
                    Just(serde_json::Value::Null),
                ],
                0..6,
            ),
            pretty in any::<bool>(),
        ) {
            let value = serde_json::Value::Object(value.into_iter().collect());
            let body = if pretty { serde_json::to_vec_pretty(&value) } else { serde_json::to_vec(&value) }.unwrap();
            for name in ["a", "b", "ab", "c"] {
                let expected = match &value[name] {
                    serde_json::Value::String(s) => serde_json::to_string(s).ok().map(|q| q[1..q.len() - 1].to_owned()),
                    serde_json::Value::Number(n) => Some(n.to_string()),
                    _ => None,
                };
                let found = field(&body, name).map(|raw| String::from_utf8(raw.to_vec()).unwrap());
                prop_assert_eq!(found, expected);
            }
        }

        /// Any bytes at all: an answer or nothing, never a panic.
        #[test]
        fn never_panics(body in prop::collection::vec(prop::sample::select(b"{}[]\",:\\ ida1".to_vec()), 0..80)) {
            let _ = field(&body, "id");
            let _ = field(&body, "id.a");
        }
    }
}
