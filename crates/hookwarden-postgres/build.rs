//! The tests that need a PostgreSQL run only where there is one: `HOOKWARDEN_POSTGRES_URL` is
//! set (`source .ci/postgres.sh`), or under `CI=true`, where a missing server must fail them.
//! Elsewhere the test runner reports them as ignored, never as passed.

fn main() {
    println!("cargo::rerun-if-env-changed=HOOKWARDEN_POSTGRES_URL");
    println!("cargo::rerun-if-env-changed=CI");
    println!("cargo::rustc-check-cfg=cfg(postgres_server)");
    let url = std::env::var("HOOKWARDEN_POSTGRES_URL").is_ok_and(|url| !url.is_empty());
    let ci = std::env::var("CI").is_ok_and(|ci| ci == "true");
    if url || ci {
        println!("cargo::rustc-cfg=postgres_server");
    }
}
