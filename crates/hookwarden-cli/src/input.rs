//! Reading what the user gives: bodies, raw HTTP captures, header flags and secrets.

use std::fs;
use std::io::Read;
use std::path::Path;

use crate::cli::SecretArgs;
use crate::exit::{Code, Failure};

/// A request as received: headers in order (names as written, values as bytes) and the body.
#[derive(Debug, Default, Clone)]
pub(crate) struct Delivery {
    /// `METHOD target`, when the capture has a request line.
    pub(crate) request_line: Option<String>,
    pub(crate) headers: Vec<(String, Vec<u8>)>,
    pub(crate) body: Vec<u8>,
    /// Where it came from, for the explanation.
    pub(crate) source: String,
    /// The capture's header section used CRLF line endings.
    pub(crate) crlf: bool,
    /// `Transfer-Encoding: chunked` was decoded.
    pub(crate) dechunked: bool,
}

impl Delivery {
    /// The value of the first header called `name`, ignoring case.
    pub(crate) fn header(&self, name: &str) -> Option<&[u8]> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_slice())
    }

    /// The declared `Content-Length`, if it is a number.
    pub(crate) fn content_length(&self) -> Option<usize> {
        std::str::from_utf8(self.header("content-length")?).ok()?.trim().parse().ok()
    }
}

/// Where a body comes from: `@FILE`, `@-` for standard input, or the text itself.
#[derive(Debug, Clone)]
pub(crate) struct Body {
    pub(crate) bytes: Vec<u8>,
    /// The file it was read from, for `curl --data-binary @FILE`.
    pub(crate) file: Option<String>,
}

/// Reads `--body`.
pub(crate) fn read_body(spec: &str) -> Result<Body, Failure> {
    match spec.strip_prefix('@') {
        Some("-") => Ok(Body { bytes: read_stdin()?, file: None }),
        Some(path) => {
            let bytes = fs::read(path)
                .map_err(|e| Failure::io(format!("cannot read the body from `{path}`: {e}")))?;
            Ok(Body { bytes, file: Some(path.to_owned()) })
        }
        None => Ok(Body { bytes: spec.as_bytes().to_vec(), file: None }),
    }
}

fn read_stdin() -> Result<Vec<u8>, Failure> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .read_to_end(&mut bytes)
        .map_err(|e| Failure::io(format!("cannot read standard input: {e}")))?;
    Ok(bytes)
}

/// The secrets of `--secret` and `--secret-file`, with their key ids.
pub(crate) fn secrets(args: &SecretArgs) -> Result<Vec<(String, Vec<u8>)>, Failure> {
    let mut secrets: Vec<Vec<u8>> = args.secret.iter().map(|s| s.as_bytes().to_vec()).collect();
    for path in &args.secret_file {
        let mut bytes = fs::read(path)
            .map_err(|e| Failure::io(format!("cannot read the secret from `{}`: {e}", path.display())))?;
        if bytes.ends_with(b"\n") {
            bytes.pop();
            if bytes.ends_with(b"\r") {
                bytes.pop();
            }
        }
        secrets.push(bytes);
    }
    match secrets.len() {
        0 => Err(Failure::new(
            Code::Usage,
            "no secret given: use --secret, --secret-file or the HOOKWARDEN_SECRET environment variable",
        )),
        1 => Ok(secrets.into_iter().map(|s| ("default".to_owned(), s)).collect()),
        _ => Ok(secrets.into_iter().enumerate().map(|(i, s)| (format!("key-{}", i + 1), s)).collect()),
    }
}

/// Reads `--request`: a file, or `-` for standard input.
pub(crate) fn read_capture(path: &Path) -> Result<Delivery, Failure> {
    let (bytes, source) = if path.as_os_str() == "-" {
        (read_stdin()?, "standard input".to_owned())
    } else {
        let bytes = fs::read(path)
            .map_err(|e| Failure::io(format!("cannot read the request from `{}`: {e}", path.display())))?;
        (bytes, format!("`{}`", path.display()))
    };
    let mut delivery = parse_capture(&bytes).map_err(|problem| {
        Failure::new(Code::Malformed, format!("the request in {source} cannot be parsed: {problem}"))
    })?;
    delivery.source = source;
    Ok(delivery)
}

/// Builds a delivery from `--header` flags and a body.
pub(crate) fn from_flags(headers: &[String], body: Vec<u8>, body_source: &str) -> Result<Delivery, Failure> {
    let mut delivery = Delivery { body, source: body_source.to_owned(), ..Delivery::default() };
    for header in headers {
        let (name, value) = split_header(header.as_bytes()).map_err(|problem| {
            Failure::new(Code::Usage, format!("--header `{header}` is not `Name: value`: {problem}"))
        })?;
        delivery.headers.push((name, value));
    }
    Ok(delivery)
}

/// Parses a raw HTTP/1 request: an optional request line, header lines, a blank line, and the
/// body, which is every byte after the blank line. Lines may end in CRLF or LF.
pub(crate) fn parse_capture(bytes: &[u8]) -> Result<Delivery, String> {
    let mut delivery = Delivery::default();
    let mut rest = bytes;
    // Blank lines before the request are tolerated, as HTTP servers do.
    while let Some(after) = rest.strip_prefix(b"\r\n").or_else(|| rest.strip_prefix(b"\n")) {
        rest = after;
    }
    if rest.is_empty() {
        return Err("it is empty".to_owned());
    }
    let mut line_number = 0;
    let mut saw_crlf = false;
    let mut ended = false;
    while !rest.is_empty() {
        let (line, after, crlf) = match rest.iter().position(|&b| b == b'\n') {
            Some(end) => {
                let crlf = end > 0 && rest[end - 1] == b'\r';
                (&rest[..end - usize::from(crlf)], &rest[end + 1..], crlf)
            }
            None => (rest, &rest[rest.len()..], false),
        };
        rest = after;
        line_number += 1;
        saw_crlf |= crlf;
        if line.is_empty() {
            ended = true;
            break;
        }
        if line_number == 1 && is_request_line(line) {
            delivery.request_line = Some(request_line(line));
            continue;
        }
        if line.starts_with(b":") {
            // HTTP/2 pseudo-headers copied from browser tools (`:method: POST`).
            continue;
        }
        if line.starts_with(b" ") || line.starts_with(b"\t") {
            return Err(format!(
                "line {line_number} is a folded header continuation, which is not supported"
            ));
        }
        let (name, value) = split_header(line).map_err(|problem| format!("line {line_number}: {problem}"))?;
        delivery.headers.push((name, value));
    }
    if !ended && !rest.is_empty() {
        return Err("no blank line between the headers and the body".to_owned());
    }
    delivery.crlf = saw_crlf;
    delivery.body = rest.to_vec();
    let chunked = delivery
        .header("transfer-encoding")
        .is_some_and(|v| String::from_utf8_lossy(v).to_ascii_lowercase().contains("chunked"));
    if chunked {
        delivery.body = dechunk(&delivery.body).map_err(|problem| format!("chunked body: {problem}"))?;
        delivery.dechunked = true;
    }
    Ok(delivery)
}

fn is_request_line(line: &[u8]) -> bool {
    let text = String::from_utf8_lossy(line);
    let mut parts = text.split_ascii_whitespace();
    let method = parts.next().unwrap_or_default();
    let target = parts.next();
    !method.contains(':')
        && method.bytes().all(|b| b.is_ascii_uppercase())
        && target.is_some()
        && parts.next().is_none_or(|version| version.starts_with("HTTP/"))
}

fn request_line(line: &[u8]) -> String {
    let text = String::from_utf8_lossy(line);
    text.split_ascii_whitespace().take(2).collect::<Vec<_>>().join(" ")
}

fn split_header(line: &[u8]) -> Result<(String, Vec<u8>), String> {
    let colon = line.iter().position(|&b| b == b':').ok_or("no `:` between name and value")?;
    let name = std::str::from_utf8(&line[..colon]).map_err(|_| "the header name is not ASCII")?;
    if name.is_empty() || !name.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(format!("`{name}` is not a header name"));
    }
    let value = line[colon + 1..].trim_ascii();
    Ok((name.to_owned(), value.to_vec()))
}

/// Decodes a `Transfer-Encoding: chunked` body (CRLF or LF framing).
fn dechunk(mut rest: &[u8]) -> Result<Vec<u8>, String> {
    let mut body = Vec::new();
    loop {
        let end = rest.iter().position(|&b| b == b'\n').ok_or("a chunk size line has no end")?;
        let size_line = String::from_utf8_lossy(&rest[..end]);
        let size_text = size_line.trim().split(';').next().unwrap_or_default();
        let size =
            usize::from_str_radix(size_text, 16).map_err(|_| format!("`{size_text}` is not a chunk size"))?;
        rest = &rest[end + 1..];
        if size == 0 {
            return Ok(body);
        }
        let chunk = rest.get(..size).ok_or("a chunk is shorter than its size")?;
        body.extend_from_slice(chunk);
        rest = &rest[size..];
        rest = rest
            .strip_prefix(b"\r\n")
            .or_else(|| rest.strip_prefix(b"\n"))
            .ok_or("a chunk does not end with a line break")?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crlf_captures_keep_the_body_exactly() {
        let raw = b"POST /hooks HTTP/1.1\r\nHost: x\r\nX-Sig:  abc \r\n\r\n{\"a\":1}\r\n";
        let d = parse_capture(raw).unwrap();
        assert_eq!(d.request_line.as_deref(), Some("POST /hooks"));
        assert_eq!(d.headers, vec![("Host".into(), b"x".to_vec()), ("X-Sig".into(), b"abc".to_vec())]);
        assert_eq!(d.body, b"{\"a\":1}\r\n");
        assert!(d.crlf);
    }

    #[test]
    fn lf_captures_and_header_only_captures_parse() {
        let d = parse_capture(b"\nX-Sig: a\nX-Other: b:c\n\nbody").unwrap();
        assert_eq!(d.request_line, None);
        assert_eq!(d.header("x-other"), Some(&b"b:c"[..]));
        assert_eq!(d.body, b"body");
        assert!(!d.crlf);
        let d = parse_capture(b"POST / HTTP/1.1\nX-Sig: a\n").unwrap();
        assert!(d.body.is_empty());
    }

    #[test]
    fn malformed_captures_are_refused() {
        assert!(parse_capture(b"").is_err());
        assert!(parse_capture(b"POST / HTTP/1.1\nnot a header\n\n").is_err());
        assert!(parse_capture(b"X-A: 1\n folded\n\n").is_err());
    }

    #[test]
    fn chunked_bodies_are_decoded() {
        let d = parse_capture(
            b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;x=y\r\nde\r\n0\r\n\r\n",
        )
        .unwrap();
        assert_eq!(d.body, b"abcde");
        assert!(parse_capture(b"Transfer-Encoding: chunked\n\nzz\n").is_err());
    }
}
