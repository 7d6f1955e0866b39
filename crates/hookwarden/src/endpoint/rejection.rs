//! A refused delivery: the status to answer, and why.

use std::error::Error;
use std::fmt;

use crate::error::VerifyError;

/// How long a copy of a delivery still being processed is told to wait, in seconds.
const RETRY_AFTER_SECONDS: u32 = 5;

/// What an [`Endpoint`](crate::Endpoint) answers a delivery it refuses: the status (the error's
/// own, or the configured one for duplicates), a `Retry-After` for copies in flight, and the
/// reason. Adapters turn it into their framework's response; [`json_body`](Self::json_body) is
/// the default body, and nothing in it echoes a secret, a MAC, a header or the body.
///
/// ```
/// use hookwarden::VerifyError;
/// use hookwarden::endpoint::Rejection;
///
/// let rejection = Rejection::new(VerifyError::InFlight);
/// assert_eq!((rejection.status(), rejection.retry_after()), (409, Some(5)));
/// assert_eq!(rejection.json_body(), br#"{"reason":"in_flight"}"#);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    error: VerifyError,
    status: u16,
}

impl Rejection {
    /// The rejection for `error`, with its own status.
    pub fn new(error: VerifyError) -> Self {
        let status = error.status();
        Self { error, status }
    }

    /// The same, answered with `status` instead.
    #[must_use]
    pub fn with_status(mut self, status: u16) -> Self {
        self.status = status;
        self
    }

    /// The HTTP status to answer.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The stable reason code, such as `no_matching_signature`.
    pub fn reason(&self) -> &'static str {
        self.error.reason()
    }

    /// The error, with its details for the logs.
    pub fn error(&self) -> &VerifyError {
        &self.error
    }

    /// The error, by value.
    pub fn into_error(self) -> VerifyError {
        self.error
    }

    /// Seconds for a `Retry-After` header: for a copy of a delivery still being processed.
    pub fn retry_after(&self) -> Option<u32> {
        (self.error == VerifyError::InFlight).then_some(RETRY_AFTER_SECONDS)
    }

    /// `{"reason":"<code>"}`, the default body (`application/json`).
    pub fn json_body(&self) -> Vec<u8> {
        let reason = self.reason();
        let mut body = Vec::with_capacity(reason.len() + 13);
        body.extend_from_slice(br#"{"reason":""#);
        body.extend_from_slice(reason.as_bytes());
        body.extend_from_slice(br#""}"#);
        body
    }
}

impl From<VerifyError> for Rejection {
    fn from(error: VerifyError) -> Self {
        Self::new(error)
    }
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.error, f)
    }
}

impl Error for Rejection {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        Some(&self.error)
    }
}
