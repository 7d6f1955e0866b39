//! Output helpers: colour (only on a terminal), times, hashes and safe previews.

use std::fmt::{self, Write as _};

use anstyle::{AnsiColor, Style};
use sha2::{Digest, Sha256};

pub(crate) const GOOD: Style = AnsiColor::Green.on_default().bold();
pub(crate) const BAD: Style = AnsiColor::Red.on_default().bold();
pub(crate) const WARN: Style = AnsiColor::Yellow.on_default().bold();
pub(crate) const LABEL: Style = Style::new().bold();
pub(crate) const DIM: Style = Style::new().dimmed();

/// `text` in `style`. The ANSI codes are stripped by `anstream` when not writing to a terminal.
pub(crate) fn paint(style: Style, text: impl fmt::Display) -> String {
    format!("{style}{text}{style:#}")
}

/// Lowercase hex of the SHA-256 of `bytes`.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        let _ = write!(out, "{byte:02x}");
    }
    out
}

/// A Unix time as RFC 3339 in UTC, such as `2023-11-14T22:13:20Z`.
pub(crate) fn rfc3339(unix: i64) -> String {
    let days = unix.div_euclid(86_400);
    let secs = unix.rem_euclid(86_400);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z", secs / 3600, secs / 60 % 60, secs % 60)
}

/// A duration in seconds for people: `42s`, `5m 3s`, `2h 0m`, `3d 4h`.
pub(crate) fn human_secs(secs: u64) -> String {
    match secs {
        0..60 => format!("{secs}s"),
        60..3600 => format!("{}m {}s", secs / 60, secs % 60),
        3600..86_400 => format!("{}h {}m", secs / 3600, secs / 60 % 60),
        _ => format!("{}d {}h", secs / 86_400, secs / 3600 % 24),
    }
}

/// A received value for display: control characters escaped, cut at `max` characters.
pub(crate) fn preview(bytes: &[u8], max: usize) -> String {
    let text = String::from_utf8_lossy(bytes);
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        if i == max {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// Whether a header's value is kept out of the inspector: it carries a signature, a token, a
/// credential or a session (judged by its name), or it is one of the preset's `token_headers`.
pub(crate) fn is_sensitive_header(lowercase_name: &str, token_headers: &[String]) -> bool {
    const WORDS: &[&str] =
        &["signature", "hmac", "sig", "token", "secret", "auth", "key", "cookie", "password"];
    WORDS.iter().any(|word| lowercase_name.contains(word))
        || token_headers.iter().any(|h| h == lowercase_name)
}

/// The shape of a secret, never its content: a known prefix and the length.
pub(crate) fn secret_shape(secret: &[u8]) -> String {
    const PREFIXES: &[&str] = &["whsec_", "sk_live_", "sk_test_", "rk_live_", "rk_test_", "shpss_", "shpat_"];
    match PREFIXES.iter().find(|p| secret.starts_with(p.as_bytes())) {
        Some(prefix) => format!("`{prefix}` + {} characters", secret.len() - prefix.len()),
        None => format!("{} characters", secret.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_formatted_in_utc() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_700_000_000), "2023-11-14T22:13:20Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339(-1), "1969-12-31T23:59:59Z");
    }

    #[test]
    fn previews_escape_and_cut() {
        assert_eq!(preview(b"a\nb", 10), "a\\nb");
        assert_eq!(preview(b"abcdef", 3), "abc…");
    }

    #[test]
    fn signature_headers_are_sensitive() {
        for name in [
            "x-hub-signature-256",
            "stripe-signature",
            "x-shopify-hmac-sha256",
            "authorization",
            "x-gitlab-token",
        ] {
            assert!(is_sensitive_header(name, &[]), "{name}");
        }
        assert!(!is_sensitive_header("x-github-delivery", &[]));
        assert!(is_sensitive_header("x-custom", &["x-custom".to_owned()]));
    }

    #[test]
    fn shapes_never_show_the_secret() {
        assert_eq!(secret_shape(b"whsec_abcdef"), "`whsec_` + 6 characters");
        assert_eq!(secret_shape(b"hunter2hunter2"), "14 characters");
    }
}
