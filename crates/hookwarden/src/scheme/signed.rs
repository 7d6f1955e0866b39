//! What a scheme read out of a request: the candidate signatures and the signed metadata.

use crate::mac::Tag;
use crate::scheme::EventId;
use crate::timestamp::Timestamp;

/// The most signatures read from one request. Every signature is tried against every key, so
/// this bounds the work a request can cause; a request with more is malformed.
pub const MAX_SIGNATURES: usize = 8;

/// The signatures, timestamp and id of one request, as a [`Scheme`](crate::Scheme) parsed them.
///
/// Everything lives on the stack: parsing a request allocates nothing.
#[derive(Debug, Clone)]
pub struct Signed<'r> {
    id: Option<EventId>,
    timestamp: Option<Timestamp<'r>>,
    signatures: [Option<Tag>; MAX_SIGNATURES],
    count: usize,
}

impl<'r> Signed<'r> {
    pub(crate) fn new() -> Self {
        Self { id: None, timestamp: None, signatures: [None; MAX_SIGNATURES], count: 0 }
    }

    pub(crate) fn for_signing(id: Option<EventId>, timestamp: Timestamp<'r>) -> Self {
        Self { id, timestamp: Some(timestamp), ..Self::new() }
    }

    /// Records the delivery id. Set it only when the scheme signs the id.
    pub fn set_id(&mut self, id: EventId) {
        self.id = Some(id);
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
    pub fn id(&self) -> Option<&EventId> {
        self.id.as_ref()
    }

    /// The id's bytes, or nothing.
    pub fn id_bytes(&self) -> &[u8] {
        self.id.as_ref().map_or(&[], |id| id.as_str().as_bytes())
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

    /// How many candidate signatures were read.
    pub fn signature_count(&self) -> usize {
        self.count
    }
}
