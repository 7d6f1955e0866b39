//! Exit codes, one per outcome (listed in `--help`, see `cli::EXIT_CODES`).

use std::fmt;
use std::process::ExitCode;

use hookwarden::{ConfigError, VerifyError};

/// How a command ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Code {
    /// Verified, or the command did what it was asked.
    Ok = 0,
    /// A file could not be read, a server could not be reached.
    Io = 1,
    /// A flag is missing, unknown or conflicting (clap uses 2 as well).
    Usage = 2,
    /// The secret or the scheme's configuration is unusable.
    Config = 3,
    /// The request cannot be parsed, or a header is missing, repeated or malformed.
    Malformed = 4,
    /// The signed timestamp is outside the window.
    Stale = 5,
    /// No signature matches any secret.
    Mismatch = 6,
    /// The receiver answered a sent delivery with a non-2xx status.
    Rejected = 7,
}

impl Code {
    /// The code for a rejected delivery.
    pub(crate) fn of(error: &VerifyError) -> Self {
        match error {
            VerifyError::TimestampTooOld { .. } | VerifyError::TimestampTooNew { .. } => Self::Stale,
            VerifyError::NoMatchingSignature { .. } => Self::Mismatch,
            VerifyError::UrlUnknown | VerifyError::MethodUnknown => Self::Usage,
            _ => Self::Malformed,
        }
    }
}

impl From<Code> for ExitCode {
    fn from(code: Code) -> Self {
        ExitCode::from(code as u8)
    }
}

/// A command that could not finish: its exit code and a message for standard error.
#[derive(Debug)]
pub(crate) struct Failure {
    pub(crate) code: Code,
    pub(crate) message: String,
}

impl Failure {
    pub(crate) fn new(code: Code, message: impl Into<String>) -> Self {
        Self { code, message: message.into() }
    }

    pub(crate) fn io(message: impl Into<String>) -> Self {
        Self::new(Code::Io, message)
    }

    /// A scheme or verifier that could not be built. The message names the key, never the secret.
    pub(crate) fn config(error: &ConfigError) -> Self {
        Self::new(Code::Config, error.to_string())
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}
