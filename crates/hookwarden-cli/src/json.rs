//! Just enough JSON to re-serialise a body the ways common libraries do, so `verify` can tell
//! whether a signature matches a re-serialised version of the body it was given.
//!
//! The tree keeps key order and the exact text of numbers; strings are decoded so they can be
//! re-escaped in each library's style.

use std::fmt::Write as _;

/// The most nesting parsed; deeper documents are treated as "not JSON".
const MAX_DEPTH: usize = 128;

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Json {
    /// `null`, `true`, `false` or a number, as written.
    Literal(String),
    String(String),
    Array(Vec<Json>),
    Object(Vec<(String, Json)>),
}

/// Parses `bytes` as one JSON document (surrounding whitespace allowed).
pub(crate) fn parse(bytes: &[u8]) -> Option<Json> {
    let text = std::str::from_utf8(bytes).ok()?;
    let mut parser = Parser { text: text.as_bytes(), at: 0 };
    let value = parser.value(0)?;
    parser.skip_whitespace();
    (parser.at == parser.text.len()).then_some(value)
}

struct Parser<'a> {
    text: &'a [u8],
    at: usize,
}

impl Parser<'_> {
    fn skip_whitespace(&mut self) {
        while self.text.get(self.at).is_some_and(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    fn eat(&mut self, byte: u8) -> bool {
        self.skip_whitespace();
        if self.text.get(self.at) == Some(&byte) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn value(&mut self, depth: usize) -> Option<Json> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.skip_whitespace();
        match self.text.get(self.at)? {
            b'{' => {
                self.at += 1;
                let mut members = Vec::new();
                if self.eat(b'}') {
                    return Some(Json::Object(members));
                }
                loop {
                    self.skip_whitespace();
                    let key = self.string()?;
                    if !self.eat(b':') {
                        return None;
                    }
                    members.push((key, self.value(depth + 1)?));
                    if self.eat(b'}') {
                        return Some(Json::Object(members));
                    }
                    if !self.eat(b',') {
                        return None;
                    }
                }
            }
            b'[' => {
                self.at += 1;
                let mut items = Vec::new();
                if self.eat(b']') {
                    return Some(Json::Array(items));
                }
                loop {
                    items.push(self.value(depth + 1)?);
                    if self.eat(b']') {
                        return Some(Json::Array(items));
                    }
                    if !self.eat(b',') {
                        return None;
                    }
                }
            }
            b'"' => self.string().map(Json::String),
            _ => self.literal().map(Json::Literal),
        }
    }

    fn literal(&mut self) -> Option<String> {
        let start = self.at;
        for word in ["null", "true", "false"] {
            if self.text[start..].starts_with(word.as_bytes()) {
                self.at += word.len();
                return Some(word.to_owned());
            }
        }
        // -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
        let digits = |p: &mut Self| {
            let from = p.at;
            while p.text.get(p.at).is_some_and(u8::is_ascii_digit) {
                p.at += 1;
            }
            p.at > from
        };
        if self.text.get(self.at) == Some(&b'-') {
            self.at += 1;
        }
        let int_start = self.at;
        if !digits(self) || (self.text[int_start] == b'0' && self.at - int_start > 1) {
            return None;
        }
        if self.text.get(self.at) == Some(&b'.') {
            self.at += 1;
            if !digits(self) {
                return None;
            }
        }
        if matches!(self.text.get(self.at), Some(b'e' | b'E')) {
            self.at += 1;
            if matches!(self.text.get(self.at), Some(b'+' | b'-')) {
                self.at += 1;
            }
            if !digits(self) {
                return None;
            }
        }
        Some(String::from_utf8_lossy(&self.text[start..self.at]).into_owned())
    }

    fn string(&mut self) -> Option<String> {
        if self.text.get(self.at) != Some(&b'"') {
            return None;
        }
        self.at += 1;
        let mut out = String::new();
        loop {
            let start = self.at;
            while self.text.get(self.at).is_some_and(|&b| b != b'"' && b != b'\\' && b >= 0x20) {
                self.at += 1;
            }
            out.push_str(std::str::from_utf8(&self.text[start..self.at]).ok()?);
            match self.text.get(self.at)? {
                b'"' => {
                    self.at += 1;
                    return Some(out);
                }
                b'\\' => {
                    self.at += 1;
                    let escape = *self.text.get(self.at)?;
                    self.at += 1;
                    match escape {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => {
                            let high = self.hex4()?;
                            let c = if (0xD800..0xDC00).contains(&high) {
                                if !self.text[self.at..].starts_with(b"\\u") {
                                    return None;
                                }
                                self.at += 2;
                                let low = self.hex4()?;
                                if !(0xDC00..0xE000).contains(&low) {
                                    return None;
                                }
                                char::from_u32(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))?
                            } else {
                                char::from_u32(high)?
                            };
                            out.push(c);
                        }
                        _ => return None,
                    }
                }
                _ => return None, // a control character
            }
        }
    }

    fn hex4(&mut self) -> Option<u32> {
        let digits = self.text.get(self.at..self.at + 4)?;
        let value = u32::from_str_radix(std::str::from_utf8(digits).ok()?, 16).ok()?;
        self.at += 4;
        Some(value)
    }
}

/// How strings are escaped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Escape {
    /// Only what JSON requires (JavaScript's `JSON.stringify`, `serde_json`, Go without HTML escaping).
    Minimal,
    /// Non-ASCII as `\uXXXX` (Python's `json.dumps` by default).
    Ascii,
    /// Non-ASCII as `\uXXXX` and `/` as `\/` (PHP's `json_encode` by default).
    Php,
}

/// One way of writing JSON.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Style {
    /// Spaces per level, or `None` for one line.
    pub(crate) indent: Option<usize>,
    /// Between items on one line: `,` or `, `.
    pub(crate) item_separator: &'static str,
    /// Between a key and its value: `:` or `: `.
    pub(crate) key_separator: &'static str,
    pub(crate) sort_keys: bool,
    pub(crate) escape: Escape,
}

impl Style {
    pub(crate) const COMPACT: Self = Self {
        indent: None,
        item_separator: ",",
        key_separator: ":",
        sort_keys: false,
        escape: Escape::Minimal,
    };
}

/// Writes `value` in `style`.
pub(crate) fn write(value: &Json, style: &Style) -> String {
    let mut out = String::new();
    write_value(value, style, 0, &mut out);
    out
}

fn write_value(value: &Json, style: &Style, depth: usize, out: &mut String) {
    match value {
        Json::Literal(text) => out.push_str(text),
        Json::String(text) => write_string(text, style.escape, out),
        Json::Array(items) => {
            write_container(out, style, depth, ('[', ']'), items.iter(), |item, out| {
                write_value(item, style, depth + 1, out);
            });
        }
        Json::Object(members) => {
            let mut members: Vec<&(String, Json)> = members.iter().collect();
            if style.sort_keys {
                members.sort_by(|a, b| a.0.cmp(&b.0));
            }
            write_container(out, style, depth, ('{', '}'), members.into_iter(), |(key, value), out| {
                write_string(key, style.escape, out);
                out.push_str(style.key_separator);
                write_value(value, style, depth + 1, out);
            });
        }
    }
}

fn write_container<T>(
    out: &mut String,
    style: &Style,
    depth: usize,
    (open, close): (char, char),
    items: impl ExactSizeIterator<Item = T>,
    mut write_item: impl FnMut(T, &mut String),
) {
    out.push(open);
    if items.len() == 0 {
        out.push(close);
        return;
    }
    let newline = |out: &mut String, level: usize| {
        if let Some(indent) = style.indent {
            out.push('\n');
            out.extend(std::iter::repeat_n(' ', indent * level));
        }
    };
    for (i, item) in items.enumerate() {
        if i > 0 {
            // Pretty printers end lines with a bare `,`.
            out.push_str(if style.indent.is_some() { "," } else { style.item_separator });
        }
        newline(out, depth + 1);
        write_item(item, out);
    }
    newline(out, depth);
    out.push(close);
}

fn write_string(text: &str, escape: Escape, out: &mut String) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '/' if escape == Escape::Php => out.push_str("\\/"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c if !c.is_ascii() && escape != Escape::Minimal => {
                let mut units = [0; 2];
                for unit in c.encode_utf16(&mut units) {
                    let _ = write!(out, "\\u{unit:04x}");
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_keep_order_numbers_and_strings() {
        let text = r#"{"b":1.50,"a":[true,null,-0.1e+5],"s":"é\"\\\/\u00e9😀"}"#;
        let value = parse(text.as_bytes()).unwrap();
        assert_eq!(write(&value, &Style::COMPACT), r#"{"b":1.50,"a":[true,null,-0.1e+5],"s":"é\"\\/é😀"}"#);
        let python = Style {
            item_separator: ", ",
            key_separator: ": ",
            sort_keys: true,
            escape: Escape::Ascii,
            ..Style::COMPACT
        };
        assert_eq!(
            write(&value, &python),
            r#"{"a": [true, null, -0.1e+5], "b": 1.50, "s": "\u00e9\"\\/\u00e9\ud83d\ude00"}"#
        );
        let php = Style { escape: Escape::Php, ..Style::COMPACT };
        assert!(write(&value, &php).contains(r#"\\\/"#));
    }

    #[test]
    fn pretty_printing_matches_json_stringify() {
        let value = parse(br#"{"a":[1,2],"b":{},"c":[]}"#).unwrap();
        let pretty = Style { indent: Some(2), key_separator: ": ", ..Style::COMPACT };
        assert_eq!(
            write(&value, &pretty),
            "{\n  \"a\": [\n    1,\n    2\n  ],\n  \"b\": {},\n  \"c\": []\n}"
        );
    }

    #[test]
    fn invalid_documents_are_refused() {
        for bad in
            [&b"{"[..], b"{\"a\" 1}", b"[1,]", b"01", b"\"\x01\"", b"1 2", b"nul", b"\xff", b"\"\\ud800\""]
        {
            assert_eq!(parse(bad), None, "{}", String::from_utf8_lossy(bad));
        }
        assert_eq!(parse(&[b'['; 1000]), None);
        assert!(parse(b" [1] \n").is_some());
    }
}
