//! The committed seeds still read back as the conformance vectors they were written from: a
//! vector expected to verify still verifies through the fuzzers' request format.

use std::fs;

use arbitrary::{Arbitrary, Unstructured};
use hookwarden_fuzz::presets;
use hookwarden_fuzz::request::FuzzRequest;

#[test]
fn valid_vectors_verify_from_their_seeds() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/seeds/requests");
    let mut valid = 0;
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let bytes = fs::read(&path).unwrap();
        let request = FuzzRequest::arbitrary_take_rest(Unstructured::new(&bytes)).unwrap();
        // Vector names say what they are; the ones called `valid` must verify.
        if !name.ends_with("-valid") {
            continue;
        }
        let secret = String::from_utf8_lossy(&request.secret);
        let verifier = presets::verifier(request.preset, &secret, request.now)
            .unwrap_or_else(|| panic!("{name}: the secret is refused"));
        let verdict = request.with(|r| verifier.verify_request(r));
        assert!(verdict.is_ok(), "{name}: {verdict:?}");
        valid += 1;
    }
    assert!(valid >= 10, "only {valid} valid seeds");
}
