//! Presets that are only data, like `body_mac.rs`, for the next most common shape: the provider
//! MACs `{before}{timestamp}{between}{body}` (or the body then the timestamp), and sends the
//! timestamp and the MAC either in two headers or together in one.
//!
//! Such a provider differs from the next only in a few facts: where the timestamp and the MAC
//! travel ([`Carrier`]), the text around them in the signed content ([`Content`]), the
//! timestamp's format, the window, the key format and the body's event id. Its file holds those
//! facts, its documentation and one line, `stamped_scheme!(Preset => SPEC)`, which writes
//! `impl Scheme for Preset` as one-line methods calling the same method on `SPEC`: the only
//! logic is [`Stamped`]'s `impl Scheme`, here. (Why a forwarding macro rather than a blanket
//! impl or a constant: see `body_mac.rs`.)
//!
//! The tests of every stamped preset are rows of the second table of `tests/presets.rs`.

use std::time::Duration;

use super::signature_header::SignatureHeader;
use crate::error::{SignError, VerifyError};
use crate::headers::{HeaderName, Lookup};
use crate::key::KeyFormat;
use crate::mac::{Algorithm, Tag};
use crate::scheme::{self, Request, Scheme, Signed};
use crate::sign::SignedHeaders;
use crate::timestamp::{Timestamp, TimestampFormat};
use crate::tolerance::Tolerance;

/// A provider that MACs a timestamp and the raw body.
#[derive(Debug)]
pub(super) struct Stamped {
    /// [`Scheme::name`].
    pub(super) name: &'static str,
    /// Where the timestamp and the MAC travel; the MAC's algorithm is the scheme's.
    pub(super) carrier: Carrier,
    /// What surrounds the timestamp and the body in the signed content.
    pub(super) content: Content,
    pub(super) key_format: KeyFormat,
    pub(super) format: TimestampFormat,
    /// The window, in seconds into the past and into the future (a static cannot call
    /// [`Tolerance::new`]).
    pub(super) tolerance: (u64, u64),
    /// [`Scheme::event_id_field`].
    pub(super) event_id_field: Option<&'static str>,
    /// [`Scheme::retries_for`], where the provider documents how long it retries.
    pub(super) retries_for: Option<Duration>,
    /// Unsigned headers a real delivery carries and that the provider's SDKs insist on (Box's
    /// signature version and algorithm): signing writes them, verifying never reads them.
    pub(super) also_writes: &'static [(&'static str, &'static str)],
}

/// Where a [`Stamped`] provider puts its timestamp and its MAC.
#[derive(Debug)]
pub(super) enum Carrier {
    /// The timestamp alone in one header, the MAC in another (Zendesk, Webflow, Frame.io).
    Headers {
        timestamp: HeaderName,
        /// The timestamp header as the provider spells it, for signing.
        timestamp_display: &'static str,
        signature: SignatureHeader,
        /// A second, optional signature header, made with the provider's other key during a
        /// rotation (Box's `box-signature-secondary`). Either may match any configured key.
        second: Option<SignatureHeader>,
    },
    /// `{t}={timestamp}{separator}{s}={mac}[{separator}{s}={mac}...]` in one header (TikTok's
    /// `t=...,s=...`, WorkOS's `t=..., v1=...`). Items are split on `,` and stripped of spaces;
    /// items with other keys are skipped, as Stripe's parsers skip them.
    Inline {
        header: HeaderName,
        display: &'static str,
        timestamp_key: &'static str,
        /// Its MAC: the prefix here is the key with its `=` (`s=`).
        signature: SignatureHeader,
        /// Written between the items when signing.
        separator: &'static str,
    },
    /// `{timestamp},{mac}[,{mac}...]` in one header (Recurly): one MAC per active secret.
    Leading { header: HeaderName, display: &'static str, signature: SignatureHeader },
}

/// The signed content: `{before}{timestamp}{between}{body}`, or with `body_first`,
/// `{body}{timestamp}` (Box), `before` and `between` then being empty.
#[derive(Debug)]
pub(super) struct Content {
    pub(super) before: &'static [u8],
    pub(super) between: &'static [u8],
    pub(super) body_first: bool,
}

impl Carrier {
    fn signature(&self) -> &SignatureHeader {
        match self {
            Self::Headers { signature, .. }
            | Self::Inline { signature, .. }
            | Self::Leading { signature, .. } => signature,
        }
    }
}

impl Stamped {
    fn timestamp<'r>(&self, raw: &'r [u8], name: &HeaderName) -> Result<Timestamp<'r>, VerifyError> {
        Timestamp::parse(self.format, raw).map_err(|problem| scheme::malformed(name, problem))
    }
}

impl Scheme for Stamped {
    fn name(&self) -> &'static str {
        self.name
    }

    fn algorithm(&self) -> Algorithm {
        self.carrier.signature().algorithm
    }

    fn key_format(&self) -> KeyFormat {
        self.key_format
    }

    fn tolerance(&self) -> Option<Tolerance> {
        let (past, future) = self.tolerance;
        Tolerance::new(Duration::from_secs(past), Duration::from_secs(future)).ok()
    }

    fn timestamp_format(&self) -> TimestampFormat {
        self.format
    }

    fn retries_for(&self) -> Option<Duration> {
        self.retries_for
    }

    fn event_id_field(&self) -> Option<&'static str> {
        self.event_id_field
    }

    fn parse<'r>(&self, request: &Request<'r>, signed: &mut Signed<'r>) -> Result<(), VerifyError> {
        match &self.carrier {
            Carrier::Headers { timestamp, signature, second, .. } => {
                let [raw, value] = scheme::required_each(request, [timestamp, &signature.name])?;
                signed.set_timestamp(self.timestamp(raw, timestamp)?);
                signature.push(value, signed)?;
                if let Some(second) = second {
                    match request.headers.lookup(&second.name) {
                        Lookup::Missing => {}
                        Lookup::One(value) => second.push(value, signed)?,
                        Lookup::Many => {
                            return Err(VerifyError::DuplicateHeader { header: second.name.clone() });
                        }
                    }
                }
                Ok(())
            }
            Carrier::Inline { header, timestamp_key, signature, .. } => {
                let malformed = |problem| scheme::malformed(header, problem);
                let value = scheme::required(request, header)?;
                let mut timestamp = None;
                for item in scheme::split(value, b',') {
                    let item = item.trim_ascii();
                    let eq = item
                        .iter()
                        .position(|&b| b == b'=')
                        .ok_or_else(|| malformed("item is not `key=value`"))?;
                    let key = &item[..eq];
                    if key == timestamp_key.as_bytes() {
                        if timestamp.is_some() {
                            return Err(malformed("more than one timestamp"));
                        }
                        timestamp = Some(self.timestamp(&item[eq + 1..], header)?);
                    } else if item.starts_with(signature.prefix.as_bytes()) {
                        signature.push(item, signed)?;
                    }
                }
                signed.set_timestamp(timestamp.ok_or_else(|| malformed("no timestamp"))?);
                if signed.signature_count() == 0 {
                    return Err(malformed("no signature"));
                }
                Ok(())
            }
            Carrier::Leading { header, signature, .. } => {
                let value = scheme::required(request, header)?;
                let mut items = scheme::split(value, b',');
                let raw = items.next().unwrap_or_default();
                signed.set_timestamp(self.timestamp(raw, header)?);
                let mut any = false;
                for item in items {
                    signature.push(item, signed)?;
                    any = true;
                }
                if any { Ok(()) } else { Err(scheme::malformed(header, "no signature")) }
            }
        }
    }

    fn signed_content(&self, signed: &Signed<'_>, body: &[u8], feed: &mut dyn FnMut(&[u8])) {
        if self.content.body_first {
            feed(body);
            feed(signed.timestamp_bytes());
        } else {
            feed(self.content.before);
            feed(signed.timestamp_bytes());
            feed(self.content.between);
            feed(body);
        }
    }

    fn identity_content(&self, _: &Signed<'_>, body: &[u8], feed: &mut dyn FnMut(&[u8])) {
        // Everything signed but the timestamp, which a retry changes.
        feed(body);
    }

    fn write_headers(
        &self,
        signed: &Signed<'_>,
        tag: &Tag,
        out: &mut SignedHeaders,
    ) -> Result<(), SignError> {
        let timestamp = String::from_utf8_lossy(signed.timestamp_bytes());
        for (name, value) in self.also_writes {
            out.push(name, *value);
        }
        match &self.carrier {
            Carrier::Headers { timestamp_display, signature, .. } => {
                out.push(timestamp_display, timestamp);
                signature.write(tag, out);
            }
            Carrier::Inline { display, timestamp_key, signature, separator, .. } => {
                out.push(display, format!("{timestamp_key}={timestamp}{separator}{}", signature.value(tag)));
            }
            Carrier::Leading { display, signature, .. } => {
                out.push(display, format!("{timestamp},{}", signature.value(tag)));
            }
        }
        Ok(())
    }
}

/// `stamped_scheme!(Preset => SPEC)` writes `impl Scheme for Preset`, each method calling the
/// same method on the [`Stamped`] `SPEC`.
macro_rules! stamped_scheme {
    ($preset:ty => $spec:path) => {
        impl $crate::scheme::Scheme for $preset {
            fn name(&self) -> &'static str {
                $crate::scheme::Scheme::name(&$spec)
            }

            fn algorithm(&self) -> $crate::mac::Algorithm {
                $crate::scheme::Scheme::algorithm(&$spec)
            }

            fn key_format(&self) -> $crate::key::KeyFormat {
                $crate::scheme::Scheme::key_format(&$spec)
            }

            fn tolerance(&self) -> Option<$crate::tolerance::Tolerance> {
                $crate::scheme::Scheme::tolerance(&$spec)
            }

            fn timestamp_format(&self) -> $crate::timestamp::TimestampFormat {
                $crate::scheme::Scheme::timestamp_format(&$spec)
            }

            fn retries_for(&self) -> Option<std::time::Duration> {
                $crate::scheme::Scheme::retries_for(&$spec)
            }

            fn event_id_field(&self) -> Option<&'static str> {
                $crate::scheme::Scheme::event_id_field(&$spec)
            }

            fn parse<'r>(
                &self,
                request: &$crate::scheme::Request<'r>,
                signed: &mut $crate::scheme::Signed<'r>,
            ) -> Result<(), $crate::error::VerifyError> {
                $crate::scheme::Scheme::parse(&$spec, request, signed)
            }

            fn signed_content(
                &self,
                signed: &$crate::scheme::Signed<'_>,
                body: &[u8],
                feed: &mut dyn FnMut(&[u8]),
            ) {
                $crate::scheme::Scheme::signed_content(&$spec, signed, body, feed)
            }

            fn identity_content(
                &self,
                signed: &$crate::scheme::Signed<'_>,
                body: &[u8],
                feed: &mut dyn FnMut(&[u8]),
            ) {
                $crate::scheme::Scheme::identity_content(&$spec, signed, body, feed)
            }

            fn write_headers(
                &self,
                signed: &$crate::scheme::Signed<'_>,
                tag: &$crate::mac::Tag,
                out: &mut $crate::sign::SignedHeaders,
            ) -> Result<(), $crate::error::SignError> {
                $crate::scheme::Scheme::write_headers(&$spec, signed, tag, out)
            }
        }
    };
}

pub(super) use stamped_scheme;
