//! What a scheme read out of a request: the candidate signatures and the signed metadata.

use std::fmt;

use crate::mac::Tag;
use crate::scheme::EventId;
use crate::timestamp::Timestamp;

/// The most signatures read from one request. Every signature is tried against every key, so
/// this bounds the work a request can cause; a request with more is malformed.
pub const MAX_SIGNATURES: usize = 8;

/// The most variants of the signed content a scheme may ask to try (Twilio's URL with and
/// without its port).
pub const MAX_VARIANTS: usize = 4;

/// The signatures, timestamp and id of one request, as a [`Scheme`](crate::Scheme) parsed them,
/// and the other request parts a scheme signs (URL, method).
///
/// Everything lives on the stack or borrows from the request: parsing allocates nothing.
#[derive(Clone)]
pub struct Signed<'r> {
    /// Checked by [`EventId::check`]: visible ASCII.
    id: Option<&'r [u8]>,
    timestamp: Option<Timestamp<'r>>,
    signatures: [Option<Tag>; MAX_SIGNATURES],
    count: usize,
    token: Option<&'r [u8]>,
    url: Option<&'r str>,
    method: Option<&'r str>,
    variants: usize,
    variant: usize,
}

impl<'r> Signed<'r> {
    pub(crate) fn new() -> Self {
        Self {
            id: None,
            timestamp: None,
            signatures: [None; MAX_SIGNATURES],
            count: 0,
            token: None,
            url: None,
            method: None,
            variants: 1,
            variant: 0,
        }
    }

    pub(crate) fn for_signing(id: Option<&'r [u8]>, timestamp: Timestamp<'r>) -> Self {
        Self { id, timestamp: Some(timestamp), ..Self::new() }
    }

    /// Records the delivery id. Set it only when the scheme signs the id.
    ///
    /// # Errors
    ///
    /// When `id` is not 1 to 128 visible ASCII characters (see [`EventId`]).
    pub fn set_id(&mut self, id: &'r [u8]) -> Result<(), &'static str> {
        self.id = Some(EventId::check(id)?);
        Ok(())
    }

    /// Records the signed timestamp.
    pub fn set_timestamp(&mut self, timestamp: Timestamp<'r>) {
        self.timestamp = Some(timestamp);
    }

    /// Adds a candidate signature.
    ///
    /// # Errors
    ///
    /// When the request already carried [`MAX_SIGNATURES`].
    pub fn push_signature(&mut self, tag: Tag) -> Result<(), &'static str> {
        let slot = self.signatures.get_mut(self.count).ok_or("too many signatures")?;
        *slot = Some(tag);
        self.count += 1;
        Ok(())
    }

    /// The signed delivery id, if the scheme has one.
    pub fn id(&self) -> Option<&'r str> {
        // Visible ASCII, so always UTF-8.
        self.id.and_then(|id| std::str::from_utf8(id).ok())
    }

    /// The id's bytes, or nothing.
    pub fn id_bytes(&self) -> &'r [u8] {
        self.id.unwrap_or_default()
    }

    /// The signed timestamp, if the scheme has one.
    pub fn timestamp(&self) -> Option<Timestamp<'r>> {
        self.timestamp
    }

    /// The timestamp's bytes as received, or nothing.
    pub fn timestamp_bytes(&self) -> &'r [u8] {
        self.timestamp.map_or(&[], |t| t.raw())
    }

    /// The candidate signatures.
    pub fn signatures(&self) -> impl Iterator<Item = &Tag> {
        self.signatures[..self.count].iter().flatten()
    }

    /// How many candidate signatures (and tokens) were read.
    pub fn signature_count(&self) -> usize {
        self.count + usize::from(self.token.is_some())
    }

    /// Records the shared token a request carries, for [`Algorithm::Token`](crate::Algorithm::Token)
    /// schemes. When signing, the verifier sets it to the key's token.
    pub fn set_token(&mut self, token: &'r [u8]) {
        self.token = Some(token);
    }

    /// The token the request carries.
    pub fn token(&self) -> Option<&'r [u8]> {
        self.token
    }

    /// Records the public URL the provider called, for schemes that sign it.
    pub fn set_url(&mut self, url: &'r str) {
        self.url = Some(url);
    }

    /// The URL the provider called, if the scheme recorded it.
    pub fn url(&self) -> Option<&'r str> {
        self.url
    }

    /// Records the HTTP method, for schemes that sign it.
    pub fn set_method(&mut self, method: &'r str) {
        self.method = Some(method);
    }

    /// The HTTP method, if the scheme recorded it.
    pub fn method(&self) -> Option<&'r str> {
        self.method
    }

    /// Asks the verifier to try `count` variants of the signed content (at most
    /// [`MAX_VARIANTS`]), for providers whose SDKs accept several spellings of what was
    /// signed. [`Scheme::signed_content`](crate::Scheme::signed_content) reads
    /// [`variant`](Self::variant) to know which one to feed. Variant 0 is what the request
    /// says literally, and the only one used for signing and for replay keys.
    ///
    /// # Errors
    ///
    /// When `count` is zero or above [`MAX_VARIANTS`].
    pub fn set_variants(&mut self, count: usize) -> Result<(), &'static str> {
        if !(1..=MAX_VARIANTS).contains(&count) {
            return Err("a scheme may ask for 1 to 4 variants of its signed content");
        }
        self.variants = count;
        Ok(())
    }

    /// How many variants of the signed content to try.
    pub fn variants(&self) -> usize {
        self.variants
    }

    /// The variant of the signed content being computed.
    pub fn variant(&self) -> usize {
        self.variant
    }

    /// The same, as its first variant, without the timestamp: what stays the same when the
    /// provider re-signs a retry.
    pub fn without_timestamp(&self) -> Self {
        Self { timestamp: None, variant: 0, ..self.clone() }
    }

    pub(crate) fn select_variant(&mut self, variant: usize) {
        self.variant = variant;
    }
}

impl fmt::Debug for Signed<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The token is a secret: only whether one was read is shown.
        f.debug_struct("Signed")
            .field("id", &self.id)
            .field("timestamp", &self.timestamp)
            .field("signatures", &self.count)
            .field("token", &self.token.map(|_| "<redacted>"))
            .field("url", &self.url)
            .field("method", &self.method)
            .field("variant", &self.variant)
            .finish()
    }
}
