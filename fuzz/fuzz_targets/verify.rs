//! The whole verify path: a preset, a secret, a clock, headers, a body, a method and a URL, all
//! from the input (seeded with the conformance vectors, which verify). Beyond not panicking:
//! a verdict is the same twice, an accepted delivery is inside the tolerance, its replay key is
//! printable ASCII and the same twice, and flipping a bit of the body then makes it fail (where all of it is
//! signed).

#![no_main]

use hookwarden_fuzz::presets::{self, BODY_NOT_ALL_SIGNED};
use hookwarden_fuzz::request::FuzzRequest;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|request: FuzzRequest| {
    let secret = String::from_utf8_lossy(&request.secret);
    let Some(verifier) = presets::verifier(request.preset, &secret, request.now) else {
        return; // a refused secret is the builder's business, tested elsewhere
    };
    let verdict = request.with(|r| verifier.verify_request(r));
    assert_eq!(verdict, request.with(|r| verifier.verify_request(r)), "not deterministic");
    let mut verified = match verdict {
        Ok(verified) => verified,
        // The secret is the fuzzer's choice here, and may well be a word of some message: the
        // check that messages never show it is `preset_headers`'s, with distinctive secrets.
        Err(error) => return hookwarden_fuzz::check_rejection(&error, &request),
    };

    if let (Some(timestamp), Some(tolerance)) = (verified.timestamp(), verifier.tolerance()) {
        let skew = i128::from(request.now) - i128::from(timestamp);
        assert!(skew <= i128::from(tolerance.past().as_secs()), "accepted {skew}s old");
        assert!(-skew <= i128::from(tolerance.future().as_secs()), "accepted {}s ahead", -skew);
    }
    request.with(|r| verifier.identify(r, &mut verified));
    let key = verified.replay_key().expect("identified");
    assert!(key.as_str().bytes().all(|b| b.is_ascii_graphic()), "replay key {key:?}");
    let mut again = verified.clone();
    request.with(|r| verifier.identify(r, &mut again));
    assert_eq!(again.replay_key(), Some(key), "identity not deterministic");
    if let Some(id) = verified.id() {
        assert!(!id.is_empty() && id.bytes().all(|b| b.is_ascii_graphic()), "id {id:?}");
    }

    // A scheme that signs the whole body must notice any change to it.
    if !BODY_NOT_ALL_SIGNED.contains(&verifier.scheme()) && !request.body.is_empty() {
        let mut tampered = request.clone();
        *tampered.body.last_mut().unwrap() ^= 1;
        assert!(
            tampered.with(|r| verifier.verify_request(r)).is_err(),
            "{} accepted a tampered body",
            verifier.scheme()
        );
    }
});
