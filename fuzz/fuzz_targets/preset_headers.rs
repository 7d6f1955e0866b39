//! Every preset's header parsing: a preset picked by the first byte, arbitrary headers (mostly
//! with the names presets read), an arbitrary body, URL and method, against a verifier with a
//! valid secret. Nothing may panic, nothing forged may verify, every rejection must be a
//! well-formed client error that does not show the secret, and the verdict must not depend on
//! whether the headers come as name/value pairs or in an `http::HeaderMap`.

#![no_main]

use hookwarden_fuzz::presets::{self, TOKEN_PRESETS};
use hookwarden_fuzz::request::FuzzRequest;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|request: FuzzRequest| {
    let (verifier, secret) = presets::fixed(request.preset);
    let verdict = request.with(|r| verifier.verify_request(r));
    // The same headers in an `http::HeaderMap` (looked up its own way, in one pass when small)
    // get the same verdict.
    if let Some(map) = request.header_map() {
        let again = request.with_headers(&map, |r| verifier.verify_request(r));
        assert_eq!(verdict, again, "name/value pairs and HeaderMap disagree: {request:?}");
    }
    match verdict {
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
