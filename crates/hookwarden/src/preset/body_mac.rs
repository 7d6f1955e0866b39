//! Presets that are only data: the provider MACs the raw body and sends the MAC in one header,
//! with no timestamp, no URL and no handshake.
//!
//! Such a provider differs from the next only in a few facts: the header (its name, its
//! spelling, a prefix such as `sha256=`), hex or base64, the algorithm, the key format and,
//! where the body carries one, its event id. Its file holds just those facts, its
//! documentation and one line:
//!
//! ```text
//! /// [GitHub](...): HMAC-SHA256 over the raw body. ... (headers, secret, replay, an example)
//! #[derive(Debug, Clone, Copy, Default)]
//! pub struct GitHub;
//!
//! static SPEC: BodyMac = BodyMac { name: "github", signature: SignatureHeader { ... }, ... };
//!
//! body_mac_scheme!(GitHub => SPEC);
//! ```
//!
//! [`BodyMac`] implements [`Scheme`] once, here: that is the only logic. `body_mac_scheme!`
//! writes `impl Scheme for GitHub` as one-line methods that each call the same method on
//! `SPEC`, and nothing else. So the type, its documentation and its data stay plain Rust in the
//! preset's file, where a newcomer looks for them; the macro holds no decision to read; and
//! rustdoc shows an ordinary `impl Scheme for GitHub`. Why not the alternatives:
//!
//! - writing the forwarding impl out in every file is the ~30 identical lines this module exists
//!   to remove;
//! - a blanket `impl<P: BodyMacPreset> Scheme for P` puts a private trait in a public impl, and
//!   rustdoc would list a blanket impl instead of `impl Scheme for GitHub`;
//! - `pub const GitHub: BodyMac` would stop `GitHub` being a type users can name.
//!
//! A provider with anything more (several signature headers or header names, a list of
//! signatures, a timestamp, a URL, a handshake, a check on the secret) implements [`Scheme`] by
//! hand, as the other files here do, and may still read its header with a [`SignatureHeader`].
//! Shopify (a second header name for Events deliveries), PagerDuty (a list of `v1=` entries)
//! and DocuSign (numbered headers) sign only the body too, but are hand-written for that reason.
//!
//! The tests of every body-MAC preset, data or hand-written, are rows of one table in
//! `tests/presets.rs`: its vectors, and what each must refuse.

use super::signature_header::SignatureHeader;
use crate::error::{SignError, VerifyError};
use crate::headers::HeaderName;
use crate::key::KeyFormat;
use crate::mac::{Algorithm, Tag};
use crate::scheme::{Request, Scheme, Signed};
use crate::sign::SignedHeaders;
use crate::tolerance::Tolerance;

/// A provider that signs the raw body with one MAC in one header, and signs nothing else.
#[derive(Debug)]
pub(super) struct BodyMac {
    /// [`Scheme::name`]: stable and lowercase; it scopes replay keys.
    pub(super) name: &'static str,
    /// The header the MAC travels in (its algorithm is the scheme's).
    pub(super) signature: SignatureHeader,
    /// How the provider's secret string becomes key bytes.
    pub(super) key_format: KeyFormat,
    /// [`Scheme::event_id_field`]: where the provider puts its event id in the body, if it does.
    pub(super) event_id_field: Option<&'static str>,
    /// An **unsigned** header in which the provider names the delivery (`X-GitHub-Delivery`).
    /// Signing a [`Message`](crate::Message) that has an id writes it, so that a signed test
    /// delivery looks like a real one. Verifying never trusts it: it is
    /// [`Verified::delivery_id`](crate::Verified::delivery_id), for correlation only.
    pub(super) delivery_header: Option<DeliveryHeader>,
}

/// An unsigned header naming the delivery: its name for lookups, and its usual spelling for
/// the headers a signed test delivery carries.
#[derive(Debug)]
pub(super) struct DeliveryHeader {
    pub(super) name: HeaderName,
    pub(super) display: &'static str,
}

/// What every body-MAC preset does. `body_mac_scheme!` forwards exactly these methods: a method
/// overridden here must be forwarded there too.
impl Scheme for BodyMac {
    fn name(&self) -> &'static str {
        self.name
    }

    fn algorithm(&self) -> Algorithm {
        self.signature.algorithm
    }

    fn key_format(&self) -> KeyFormat {
        self.key_format
    }

    fn tolerance(&self) -> Option<Tolerance> {
        None
    }

    fn event_id_field(&self) -> Option<&'static str> {
        self.event_id_field
    }

    fn parse<'r>(&self, request: &Request<'r>, signed: &mut Signed<'r>) -> Result<(), VerifyError> {
        self.signature.parse(request, signed)
    }

    fn signed_content(&self, _: &Signed<'_>, body: &[u8], feed: &mut dyn FnMut(&[u8])) {
        feed(body);
    }

    fn write_headers(
        &self,
        signed: &Signed<'_>,
        tag: &Tag,
        out: &mut SignedHeaders,
    ) -> Result<(), SignError> {
        self.signature.write(tag, out);
        if let (Some(header), Some(id)) = (&self.delivery_header, signed.id()) {
            out.push(header.display, id);
        }
        Ok(())
    }
}

/// `body_mac_scheme!(Preset => SPEC)` writes `impl Scheme for Preset`, each method calling the
/// same method on the [`BodyMac`] `SPEC`.
macro_rules! body_mac_scheme {
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

            fn event_id_field(&self) -> Option<&'static str> {
                $crate::scheme::Scheme::event_id_field(&$spec)
            }

            fn delivery_id_header(&self) -> Option<&'static $crate::headers::HeaderName> {
                $spec.delivery_header.as_ref().map(|header| &header.name)
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

pub(super) use body_mac_scheme;
