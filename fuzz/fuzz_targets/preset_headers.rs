//! Every preset's header parsing: a preset picked by the first byte, arbitrary headers (mostly
//! with the names presets read), an arbitrary body, URL and method, against a verifier with a
//! valid secret. Nothing may panic, nothing forged may verify, and every rejection must be a
//! well-formed client error that does not show the secret.

#![no_main]

use hookwarden_fuzz::presets::{self, TOKEN_PRESETS};
use hookwarden_fuzz::request::FuzzRequest;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|request: FuzzRequest| {
    let (verifier, secret) = presets::fixed(request.preset);
    match request.with(|r| verifier.verify_request(r)) {
        // Only a token preset can be satisfied without the key: by sending the token itself.
        Ok(_) => assert!(
            TOKEN_PRESETS.contains(&verifier.scheme()),
            "{} accepted a request nobody signed: {request:?}",
            verifier.scheme()
        ),
        Err(error) => {
            hookwarden_fuzz::check_rejection(&error, &request);
            // The secrets in the table are long and distinctive: no message has them by chance.
            let shown = format!("{error} {error:?}");
            assert!(!shown.contains(secret), "the error shows the secret: {shown}");
        }
    }
});
