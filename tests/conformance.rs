//! Runs every vector produced by the providers' own SDKs (`conformance/generate.py`) through
//! the matching preset and checks hookwarden's verdict, including the reason code.

use tests::{VectorFile, vectors_dir, verifier};

#[test]
fn every_sdk_vector_gets_its_expected_verdict() {
    let mut files: Vec<_> = std::fs::read_dir(vectors_dir())
        .expect("vector folder")
        .map(|entry| entry.expect("dir entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    files.sort();
    assert!(files.len() >= 6, "expected a vector file per preset, found {files:?}");

    let mut failures = Vec::new();
    let mut checked = 0;
    for path in &files {
        let file: VectorFile = serde_json::from_slice(&std::fs::read(path).expect("read")).expect("parse");
        assert!(!file.vectors.is_empty(), "{} has no vectors", path.display());
        for vector in &file.vectors {
            checked += 1;
            let verifier = verifier(&file.preset, &vector.secret, vector.now)
                .unwrap_or_else(|e| panic!("{}/{}: secret refused: {e}", file.preset, vector.name));
            let verdict = match vector.verify(&verifier) {
                Ok(_) => "accept".to_owned(),
                Err(err) => err.reason().to_owned(),
            };
            if verdict != vector.expected {
                failures.push(format!(
                    "{}/{}: expected {}, got {verdict} ({})",
                    file.preset, vector.name, vector.expected, vector.note
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {checked} vectors disagree:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
