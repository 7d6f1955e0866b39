//! The inspector's browser test runs only where there is a browser: `HOOKWARDEN_CHROMEDRIVER`
//! is set (`source .ci/chromium.sh`), or under `CI=true`, where a missing browser must fail it.
//! Elsewhere the test runner reports it as ignored, never as passed.

fn main() {
    println!("cargo::rerun-if-env-changed=HOOKWARDEN_CHROMEDRIVER");
    println!("cargo::rerun-if-env-changed=CI");
    println!("cargo::rustc-check-cfg=cfg(chromium)");
    let driver = std::env::var("HOOKWARDEN_CHROMEDRIVER").is_ok_and(|driver| !driver.is_empty());
    let ci = std::env::var("CI").is_ok_and(|ci| ci == "true");
    if driver || ci {
        println!("cargo::rustc-cfg=chromium");
    }
}
