//! The shape most providers share: one header holding one MAC, behind an optional prefix, in
//! hex or base64. Presets describe their header with a [`SignatureHeader`] and keep only what
//! is theirs (what is signed, their documentation, their tests).

use crate::error::VerifyError;
use crate::headers::HeaderName;
use crate::mac::{Algorithm, Tag};
use crate::scheme::{self, Encoding, Request, Signed};
use crate::sign::SignedHeaders;

/// One signature header: `{name}: {prefix}{encoded MAC}`.
#[derive(Debug)]
pub(super) struct SignatureHeader {
    /// The header, for lookups.
    pub(super) name: HeaderName,
    /// The header as the provider spells it, for signing.
    pub(super) display: &'static str,
    /// Text before the MAC, such as `sha256=`.
    pub(super) prefix: &'static str,
    pub(super) encoding: Encoding,
    pub(super) algorithm: Algorithm,
}

impl SignatureHeader {
    /// Reads the header (required, once) into `signed`.
    pub(super) fn parse<'r>(
        &self,
        request: &Request<'r>,
        signed: &mut Signed<'r>,
    ) -> Result<(), VerifyError> {
        let value = scheme::required(request, &self.name)?;
        self.push(value, signed)
    }

    /// Decodes one `{prefix}{encoded MAC}` value into `signed`.
    pub(super) fn push(&self, value: &[u8], signed: &mut Signed<'_>) -> Result<(), VerifyError> {
        let malformed = |problem| scheme::malformed(&self.name, problem);
        let encoded = value
            .strip_prefix(self.prefix.as_bytes())
            .ok_or_else(|| malformed("signature lacks its prefix"))?;
        let tag = match self.encoding {
            Encoding::Hex => Tag::from_hex(encoded, self.algorithm),
            Encoding::Base64 => Tag::from_base64(encoded, self.algorithm),
        };
        signed.push_signature(tag.map_err(malformed)?).map_err(malformed)
    }

    /// The header's value for `tag`.
    pub(super) fn value(&self, tag: &Tag) -> String {
        let encoded = match self.encoding {
            Encoding::Hex => scheme::hex(tag),
            Encoding::Base64 => scheme::base64(tag),
        };
        format!("{}{encoded}", self.prefix)
    }

    /// Writes the header for `tag`.
    pub(super) fn write(&self, tag: &Tag, out: &mut SignedHeaders) {
        out.push(self.display, self.value(tag));
    }
}

/// Reads a timestamp header (required, once) into `signed`, in Unix seconds.
pub(super) fn timestamp_seconds<'r>(
    request: &Request<'r>,
    name: &HeaderName,
    signed: &mut Signed<'r>,
) -> Result<(), VerifyError> {
    let raw = scheme::required(request, name)?;
    let timestamp =
        crate::Timestamp::parse_seconds(raw).map_err(|problem| scheme::malformed(name, problem))?;
    signed.set_timestamp(timestamp);
    Ok(())
}

/// The timestamp's text, for writing it back as a header.
pub(super) fn timestamp_text(signed: &Signed<'_>) -> String {
    String::from_utf8_lossy(signed.timestamp_bytes()).into_owned()
}

/// Reads `t=<unix seconds>,v1=<hex>[,v1=<hex>...]` (Mux, Calendly: Stripe's format), ignoring
/// other keys as Stripe does for its `v0` decoy.
pub(super) fn parse_t_v1<'r>(
    request: &Request<'r>,
    name: &HeaderName,
    signed: &mut Signed<'r>,
) -> Result<(), VerifyError> {
    let malformed = |problem| scheme::malformed(name, problem);
    let header = scheme::required(request, name)?;
    let mut timestamp = None;
    for item in scheme::split(header, b',') {
        let eq = item.iter().position(|&b| b == b'=').ok_or_else(|| malformed("item is not `key=value`"))?;
        let (key, value) = (&item[..eq], &item[eq + 1..]);
        match key {
            b"t" if timestamp.is_some() => return Err(malformed("more than one `t`")),
            b"t" => timestamp = Some(crate::Timestamp::parse_seconds(value).map_err(malformed)?),
            b"v1" => signed
                .push_signature(Tag::from_hex(value, Algorithm::HmacSha256).map_err(malformed)?)
                .map_err(malformed)?,
            _ => {}
        }
    }
    signed.set_timestamp(timestamp.ok_or_else(|| malformed("no `t` timestamp"))?);
    Ok(())
}
