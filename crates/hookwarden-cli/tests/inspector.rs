//! The inspector page of `hookwarden serve`, driven in a real headless Chromium through
//! WebDriver (Debian's `chromium` and `chromium-driver`, made available by `.ci/chromium.sh`):
//! the page loads; a signed delivery sent to `serve` appears with its outcome; a forged one
//! shows `verify`'s explanation; the resend button reaches a local upstream; and no secret and
//! no signature is anywhere in the page.
//!
//! Without a browser the test is reported ignored (see build.rs); under `CI=true` it fails.

#![allow(missing_docs)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use hookwarden::{Message, Verifier, preset::GitHub};

const SECRET: &str = "inspector-test-secret-0123456789";
const DELIVERY_ID: &str = "72d3162e-cc78-11e3-81ab-4c9367dc0958";
const FORGED_ID: &str = "5b1c7a0e-0000-4000-8000-forged000001";
const BODY: &str = r#"{"zen":"Keep it logically awesome.","hook_id":7}"#;
const FORGED_BODY: &str = r#"{"zen":"forged","hook_id":8}"#;
/// What the forged delivery claims as its signature: must appear nowhere in the page either.
const FORGED_SIGNATURE: &str = "sha256=d1f0f0aa5c3b5b6b1e0b9c8a7f6e5d4c3b2a19081726354433221100ffeeddcc";

/// A child process, killed when dropped.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A local app behind `--forward`: answers 202 and counts what reaches it.
fn upstream() -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let hits = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&hits);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let counted = Arc::clone(&counted);
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut length = 0;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some((name, value)) = line.split_once(':')
                        && name.eq_ignore_ascii_case("content-length")
                    {
                        length = value.trim().parse().unwrap_or(0);
                    }
                }
                let mut body = vec![0; length];
                let _ = reader.read_exact(&mut body);
                counted.fetch_add(1, Ordering::SeqCst);
                let _ = stream
                    .write_all(b"HTTP/1.1 202 Accepted\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok");
            });
        }
    });
    (url, hits)
}

/// Starts `hookwarden serve` and returns it with its address.
fn serve(forward: &str) -> (Running, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_hookwarden"))
        .args(["serve", "-p", "github", "-s", SECRET, "--port", "0", "--forward", forward])
        .env_remove("HOOKWARDEN_SECRET")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let start = first.find("http://").expect("no address on the first line");
    let url = first[start..].split_whitespace().next().unwrap().to_owned();
    // Keep reading so that serve never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    (Running(child), url)
}

/// POSTs `body` with `headers` and returns the status.
fn post(url: &str, path: &str, headers: &[(String, String)], body: &str) -> u16 {
    let address = url.trim_start_matches("http://");
    let mut stream = TcpStream::connect(address).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut request =
        format!("POST {path} HTTP/1.1\r\nhost: {address}\r\ncontent-length: {}\r\n", body.len());
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("connection: close\r\n\r\n");
    request.push_str(body);
    stream.write_all(request.as_bytes()).unwrap();
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    answer.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0)
}

/// Starts chromedriver on a free loopback port and connects a fresh headless Chromium.
async fn browser() -> (Running, Client, tempdir::Dir) {
    let driver = std::env::var("HOOKWARDEN_CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".to_owned());
    // chromedriver wants the browser's full path.
    let chromium = std::env::var("HOOKWARDEN_CHROMIUM").unwrap_or_else(|_| {
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
            .map(|dir| dir.join("chromium"))
            .find(|path| path.is_file())
            .map_or_else(|| "chromium".to_owned(), |path| path.display().to_string())
    });
    let port = free_port();
    let child = Command::new(&driver)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {driver} (source .ci/chromium.sh): {e}"));
    let driver = Running(child);
    let profile = tempdir::Dir::new();
    let mut capabilities = serde_json::Map::new();
    capabilities.insert(
        "goog:chromeOptions".to_owned(),
        serde_json::json!({
            "binary": chromium,
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1280,900",
                format!("--user-data-dir={}", profile.path.display()),
            ],
        }),
    );
    // Once the driver listens, one session: a browser that cannot start fails at once.
    let deadline = Instant::now() + Duration::from_secs(30);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "chromedriver never listened on port {port}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(capabilities)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .unwrap_or_else(|error| panic!("chromedriver could not start {chromium}: {error}"));
    (driver, client, profile)
}

/// A fresh folder, removed when dropped.
mod tempdir {
    pub(crate) struct Dir {
        pub(crate) path: std::path::PathBuf,
    }

    impl Dir {
        pub(crate) fn new() -> Self {
            let path = std::env::temp_dir().join(format!(
                "hookwarden-chromium-{}-{}",
                std::process::id(),
                std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos()
            ));
            std::fs::create_dir_all(&path).unwrap();
            Self { path }
        }
    }

    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.path);
        }
    }
}

/// Waits until the element at `css` has text containing `expected`, and returns the text.
async fn text_of(client: &Client, css: &str, expected: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        if let Ok(element) = client.find(Locator::Css(css)).await
            && let Ok(text) = element.text().await
            && text.contains(expected)
        {
            return text;
        }
        assert!(Instant::now() < deadline, "`{css}` never showed `{expected}`");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(not(chromium), ignore = "needs Chromium and chromedriver: source .ci/chromium.sh")]
async fn the_inspector_shows_explains_and_resends_deliveries() {
    let (forward, hits) = upstream();
    let (_serve, url) = serve(&forward);

    let signed = Verifier::builder(GitHub)
        .secret(SECRET)
        .build()
        .unwrap()
        .sign(&Message::new(BODY.as_bytes()).id(DELIVERY_ID))
        .unwrap();
    let headers: Vec<(String, String)> = signed.iter().map(|(n, v)| (n.to_owned(), v.to_owned())).collect();
    let signature =
        signed.iter().find(|(n, _)| n.eq_ignore_ascii_case("x-hub-signature-256")).unwrap().1.to_owned();
    assert_eq!(post(&url, "/hooks/github", &headers, BODY), 202, "the forward target's answer");
    let forged = vec![
        ("X-Hub-Signature-256".to_owned(), FORGED_SIGNATURE.to_owned()),
        ("X-GitHub-Delivery".to_owned(), FORGED_ID.to_owned()),
    ];
    assert_eq!(post(&url, "/hooks/github", &forged, FORGED_BODY), 401);
    assert_eq!(hits.load(Ordering::SeqCst), 1, "only the verified delivery is forwarded");

    let (_driver, client, _profile) = browser().await;
    client.goto(&format!("{url}/_hookwarden/")).await.unwrap();
    assert_eq!(client.title().await.unwrap(), "hookwarden inspector");

    // Both deliveries are listed, with their outcome and the provider's delivery id.
    let verified = text_of(&client, r#"tr[data-outcome="verified"]"#, DELIVERY_ID).await;
    assert!(verified.contains("verified") && verified.contains("202"), "{verified}");
    let rejected = text_of(&client, r#"tr[data-outcome="rejected"]"#, "no_matching_signature").await;
    assert!(rejected.contains(FORGED_ID) && rejected.contains("401"), "{rejected}");
    // The chart counts them.
    text_of(&client, "#legend", "verified 1").await;
    text_of(&client, "#legend", "rejected 1").await;
    client.find(Locator::Css(r#"#chart rect[data-outcome="rejected"]"#)).await.unwrap();

    // The forged one: verify's step-by-step explanation, with the signature redacted.
    client.find(Locator::Css(r#"tr[data-outcome="rejected"]"#)).await.unwrap().click().await.unwrap();
    let explanation = text_of(&client, "#explanation", "REJECTED (no_matching_signature)").await;
    assert!(explanation.contains("likely causes"), "{explanation}");
    assert!(explanation.contains("x-hub-signature-256: (redacted)"), "{explanation}");
    let redacted = text_of(&client, "#headers", "x-hub-signature-256").await;
    assert!(redacted.contains("(redacted)"), "{redacted}");

    // The verified one: its body on request, and a resend that reaches the upstream.
    client.find(Locator::Css(r#"tr[data-outcome="verified"]"#)).await.unwrap().click().await.unwrap();
    text_of(&client, "#facts", "content:").await; // the replay identity
    client.find(Locator::Css("#show-body")).await.unwrap().click().await.unwrap();
    text_of(&client, "#body", "Keep it logically awesome.").await;
    client.find(Locator::Css("#resend")).await.unwrap().click().await.unwrap();
    text_of(&client, "#resend-result", "the forward target answered 202").await;
    assert_eq!(hits.load(Ordering::SeqCst), 2, "the resend reached the upstream");

    // Nothing secret anywhere in the page, with everything on it opened.
    let html = client.source().await.unwrap();
    for secret in [SECRET, signature.as_str(), signature.trim_start_matches("sha256="), FORGED_SIGNATURE] {
        assert!(!html.contains(secret), "the page shows `{secret}`");
    }

    let png = client.screenshot().await.unwrap();
    std::fs::write(std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("inspector.png"), &png).unwrap();
    if let Ok(path) = std::env::var("HOOKWARDEN_INSPECTOR_SCREENSHOT") {
        std::fs::write(path, &png).unwrap();
    }
    client.close().await.unwrap();
}
