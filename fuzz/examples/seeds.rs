//! Writes the seed corpus of the `verify` and `preset_headers` targets (they read the same
//! request format) from the conformance vectors in `tests/conformance/vectors`, one file per
//! vector, into `fuzz/seeds/requests/`.
//!
//! Run from `fuzz/` after the vectors change: `cargo run --example seeds`.

use std::fs;
use std::path::Path;

use hookwarden_fuzz::presets::PRESETS;
use hookwarden_fuzz::request::FuzzRequest;
use tests::VectorFile;

/// Seeds stay small: a vector with a bigger body is left out (its preset has smaller ones).
const MAX_SEED: usize = 2048;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds/requests");
    fs::create_dir_all(&out)?;
    let mut paths: Vec<_> =
        fs::read_dir(tests::vectors_dir())?.map(|entry| entry.map(|e| e.path())).collect::<Result<_, _>>()?;
    paths.sort();
    let mut written = 0;
    for path in paths {
        let file: VectorFile = serde_json::from_slice(&fs::read(&path)?)?;
        let preset =
            PRESETS.iter().position(|name| *name == file.preset).ok_or("a preset the fuzzers do not know")?;
        for vector in &file.vectors {
            let request = FuzzRequest {
                preset: u8::try_from(preset)?,
                now: vector.now,
                secret: vector.secret.as_bytes().to_vec(),
                method: vector.method.clone(),
                url: vector.url.clone(),
                headers: vector.headers.iter().map(|(n, v)| (n.clone(), v.as_bytes().to_vec())).collect(),
                body: vector.body(),
            };
            let bytes = request.encode();
            if bytes.len() > MAX_SEED {
                continue;
            }
            fs::write(out.join(format!("{}-{}", file.preset, vector.name)), &bytes)?;
            written += 1;
        }
    }
    println!("{written} seeds in {}", out.display());
    Ok(())
}
