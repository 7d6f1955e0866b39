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
        let mut id = Self::EMPTY;
        id.fill(Self::check(raw)?);
        Ok(id)
    }

    /// No id yet, to [`fill`](Self::fill) where it lies.
    pub(crate) const EMPTY: Self = Self { bytes: [0; MAX_LEN], len: 0 };

    /// Checks that `raw` is a valid id, without copying it: presets keep the request's bytes
    /// until a delivery is verified.
    pub(crate) fn check(raw: &[u8]) -> Result<&[u8], &'static str> {
        if raw.is_empty() {
            return Err("id is empty");
        }
        if raw.len() > MAX_LEN {
            return Err("id is longer than 128 bytes");
        }
        // Every byte is checked, without stopping at the first bad one, so the compiler checks
        // many at a time: this runs on every request.
        if !raw.iter().fold(true, |visible, byte| visible & byte.is_ascii_graphic()) {
            return Err("id is not visible ASCII");
        }
        Ok(raw)
    }

    /// Copies an id that [`check`](Self::check) accepted into this [empty](Self::EMPTY) one.
    ///
    /// [`Verified`](crate::Verified) fills its id in place: building an id and then moving its
    /// 129 bytes into place cost a measurable part of a verify.
    pub(crate) fn fill(&mut self, checked: &[u8]) {
        self.bytes[..checked.len()].copy_from_slice(checked);
        // The length fits: `check` refused anything longer than MAX_LEN.
        self.len = checked.len() as u8;
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
