//! Delivery ids, kept inline so that a verified delivery owns its id without allocating.

use std::fmt;

const MAX_LEN: usize = 128;

/// A signed delivery id such as Standard Webhooks' `webhook-id`: 1 to 128 visible ASCII
/// characters.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct EventId {
    bytes: [u8; MAX_LEN],
    len: u8,
}

impl EventId {
    /// Parses an id as it appears in a header.
    ///
    /// # Errors
    ///
    /// A short description of the problem: empty, longer than 128 bytes, or not visible ASCII.
    ///
    /// # Example
    ///
    /// ```
    /// use hookwarden::EventId;
    ///
    /// assert_eq!(EventId::parse(b"msg_2b8").unwrap().as_str(), "msg_2b8");
    /// assert!(EventId::parse(b"has space").is_err());
    /// ```
    pub fn parse(raw: &[u8]) -> Result<Self, &'static str> {
        if raw.is_empty() {
            return Err("id is empty");
        }
        if raw.len() > MAX_LEN {
            return Err("id is longer than 128 bytes");
        }
        if !raw.iter().all(u8::is_ascii_graphic) {
            return Err("id is not visible ASCII");
        }
        let mut bytes = [0; MAX_LEN];
        bytes[..raw.len()].copy_from_slice(raw);
        // The length fits: it was checked against MAX_LEN above.
        Ok(Self { bytes, len: raw.len() as u8 })
    }

    /// The id's bytes, without the UTF-8 check of [`as_str`](Self::as_str): the signed
    /// content is fed from here on every request.
    pub(crate) fn as_bytes(&self) -> &[u8] {
        &self.bytes[..usize::from(self.len)]
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        // Only visible ASCII is ever stored, so this cannot fail.
        std::str::from_utf8(&self.bytes[..usize::from(self.len)]).unwrap_or_default()
    }
}

impl fmt::Debug for EventId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for EventId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
