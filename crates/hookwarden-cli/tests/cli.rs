//! The real `hookwarden` binary, run as a user would.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command as StdCommand, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::Duration;

use assert_cmd::Command;
use hookwarden::{Algorithm, FixedClock, KeyFormat, Message, Scheme, Verifier, preset};
use predicates::prelude::*;

const BIN: &str = env!("CARGO_BIN_EXE_hookwarden");
const STRIPE_SECRET: &str = "whsec_test_secret_0123456789";
const SW_SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const NOW: i64 = 1_700_000_000;
const BODY: &str = r#"{"id":"evt_1","type":"invoice.paid","data":{"amount":4200,"note":"Zoë"}}"#;

fn hookwarden() -> Command {
    let mut command = Command::new(BIN);
    command.env_remove("HOOKWARDEN_SECRET").env_remove("CLICOLOR_FORCE");
    command
}

/// A scratch directory for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("hookwarden-cli-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write(dir: &Path, name: &str, contents: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap();
    path
}

fn stdout_of(assert: &assert_cmd::assert::Assert) -> String {
    String::from_utf8(assert.get_output().stdout.clone()).unwrap()
}

/// `Name: value` lines, as `sign` prints them.
fn header_lines(text: &str) -> Vec<(String, String)> {
    text.lines()
        .filter_map(|line| line.split_once(": "))
        .map(|(name, value)| (name.to_owned(), value.to_owned()))
        .collect()
}

/// A raw HTTP capture of a Stripe delivery of BODY signed at NOW, with `\r\n` or `\n` lines.
fn stripe_capture(body: &str, newline: &str) -> Vec<u8> {
    let verifier = Verifier::builder(preset::Stripe).secret(STRIPE_SECRET).build().unwrap();
    let signed = verifier.sign(&Message::new(BODY.as_bytes()).timestamp(NOW)).unwrap();
    let mut capture = format!("POST /webhooks/stripe HTTP/1.1{newline}Host: localhost{newline}");
    capture.push_str(&format!("Content-Type: application/json{newline}"));
    for (name, value) in signed.iter() {
        capture.push_str(&format!("{name}: {value}{newline}"));
    }
    capture.push_str(newline);
    capture.push_str(body);
    capture.into_bytes()
}

/// What the secret and every MAC of `body` look like, none of which may ever be printed.
fn assert_no_secret_or_mac(output: &std::process::Output, secret: &str, body: &[u8]) {
    let verifier = Verifier::builder(preset::Stripe).secret(secret).build().unwrap();
    let expected = verifier.sign(&Message::new(body).timestamp(NOW)).unwrap();
    let mac = expected.get("stripe-signature").unwrap().split("v1=").nth(1).unwrap().to_owned();
    for stream in [&output.stdout, &output.stderr] {
        let text = String::from_utf8_lossy(stream);
        assert!(!text.contains(secret.trim_start_matches("whsec_")), "secret printed:\n{text}");
        assert!(!text.contains(&mac), "expected MAC printed:\n{text}");
    }
}

#[test]
fn help_shows_examples_and_exit_codes() {
    hookwarden()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("sign").and(predicate::str::contains("completions")))
        .stdout(predicate::str::contains("Examples:"));
    hookwarden()
        .args(["verify", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Exit codes:"))
        .stdout(predicate::str::contains("6  signature mismatch"))
        .stdout(predicate::str::contains("--request delivery.http"));
    for command in ["sign", "serve", "completions"] {
        hookwarden()
            .args([command, "--help"])
            .assert()
            .success()
            .stdout(predicate::str::contains("Examples:"));
    }
}

#[test]
fn usage_errors_exit_2() {
    hookwarden().args(["verify", "--secret", "x"]).assert().code(2);
    hookwarden().args(["sign", "--preset", "nope", "--secret", "x", "--body", "{}"]).assert().code(2);
    hookwarden()
        .args(["verify", "--preset", "github", "--body", "{}"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("HOOKWARDEN_SECRET"));
}

#[test]
fn completions_are_generated() {
    hookwarden()
        .args(["completions", "bash"])
        .assert()
        .success()
        .stdout(predicate::str::contains("hookwarden").and(predicate::str::contains("--preset")));
}

#[test]
fn presets_lists_every_preset_with_its_headers() {
    let assert = hookwarden().arg("presets").assert().success();
    let out = stdout_of(&assert);
    for name in ["standard-webhooks", "svix", "stripe", "github", "slack", "shopify", "custom"] {
        assert!(out.contains(name), "{name} missing:\n{out}");
    }
    assert!(out.contains("X-Hub-Signature-256"));
}

#[test]
fn sign_output_verifies_with_the_core_for_every_preset() {
    let cases: [(&str, &str, Verifier); 6] = [
        (
            "standard-webhooks",
            SW_SECRET,
            Verifier::builder(preset::StandardWebhooks)
                .secret(SW_SECRET)
                .clock(FixedClock::at(NOW))
                .build()
                .unwrap(),
        ),
        (
            "svix",
            SW_SECRET,
            Verifier::builder(preset::Svix).secret(SW_SECRET).clock(FixedClock::at(NOW)).build().unwrap(),
        ),
        (
            "stripe",
            STRIPE_SECRET,
            Verifier::builder(preset::Stripe)
                .secret(STRIPE_SECRET)
                .clock(FixedClock::at(NOW))
                .build()
                .unwrap(),
        ),
        (
            "github",
            "It's a Secret to Everybody",
            Verifier::builder(preset::GitHub).secret("It's a Secret to Everybody").build().unwrap(),
        ),
        (
            "slack",
            "8f742231b10e8888abcd99yyyzzz85a5",
            Verifier::builder(preset::Slack)
                .secret("8f742231b10e8888abcd99yyyzzz85a5")
                .clock(FixedClock::at(NOW))
                .build()
                .unwrap(),
        ),
        (
            "shopify",
            "shpss_client_secret_0123456789",
            Verifier::builder(preset::Shopify).secret("shpss_client_secret_0123456789").build().unwrap(),
        ),
    ];
    let dir = scratch("sign-all");
    let body = write(&dir, "body.json", BODY.as_bytes());
    for (name, secret, verifier) in cases {
        let assert = hookwarden()
            .args([
                "sign",
                "--preset",
                name,
                "--secret",
                secret,
                "--id",
                "msg_1",
                "--timestamp",
                &NOW.to_string(),
            ])
            .arg("--body")
            .arg(format!("@{}", body.display()))
            .assert()
            .success();
        let headers = header_lines(&stdout_of(&assert));
        assert!(!headers.is_empty(), "{name}");
        let verified =
            verifier.verify(&headers[..], BODY.as_bytes()).unwrap_or_else(|e| panic!("{name}: {e}"));
        if name.contains("webhooks") || name == "svix" {
            assert_eq!(verified.id(), Some("msg_1"));
        }
    }
}

#[test]
fn sign_matches_the_standard_webhooks_vector() {
    hookwarden()
        .args(["sign", "-p", "standard-webhooks", "-s", SW_SECRET, "--id", "msg_p5jXN8AQM9LWM0D4loKWxJek"])
        .args(["--timestamp", "1614265330", "--body", r#"{"test": 2432232314}"#, "--json"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            r#""webhook-signature":"v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=""#,
        ));
}

#[test]
fn sign_prints_a_curl_command() {
    hookwarden()
        .env("HOOKWARDEN_SECRET", "It's a Secret to Everybody")
        .args(["sign", "-p", "github", "--body", "Hello, World!", "--curl", "http://localhost:3000/hooks"])
        .assert()
        .success()
        .stdout(predicate::str::contains("curl -sS -X POST 'http://localhost:3000/hooks'"))
        .stdout(predicate::str::contains(
            "-H 'X-Hub-Signature-256: sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17'",
        ))
        .stdout(predicate::str::contains("--data-binary 'Hello, World!'"));
}

#[test]
fn custom_schemes_sign_and_verify() {
    let scheme = [
        "--preset",
        "custom",
        "--signature-header",
        "X-Acme-Signature",
        "--signature-prefix",
        "sha256=",
        "--timestamp-header",
        "X-Acme-Timestamp",
        "--content",
        "{timestamp}.{body}",
    ];
    let assert = hookwarden()
        .arg("sign")
        .args(scheme)
        .args(["--secret", "a-long-enough-secret", "--body", "{}", "--timestamp", &NOW.to_string()])
        .assert()
        .success();
    let mut verify = hookwarden();
    verify.arg("verify").args(scheme).args([
        "--secret",
        "a-long-enough-secret",
        "--body",
        "{}",
        "--now",
        &NOW.to_string(),
    ]);
    for (name, value) in header_lines(&stdout_of(&assert)) {
        verify.arg("--header").arg(format!("{name}: {value}"));
    }
    verify.assert().code(0).stdout(predicate::str::contains("VERIFIED"));
    hookwarden().args(["sign", "--preset", "custom", "--secret", "x", "--body", "{}"]).assert().code(3);
}

#[test]
fn verify_explains_a_good_capture_with_crlf_or_lf_lines() {
    let dir = scratch("verify-good");
    for (name, newline) in [("crlf.http", "\r\n"), ("lf.http", "\n")] {
        let capture = write(&dir, name, &stripe_capture(BODY, newline));
        let assert = hookwarden()
            .args([
                "verify",
                "--preset",
                "stripe",
                "--secret",
                STRIPE_SECRET,
                "--now",
                &(NOW + 42).to_string(),
            ])
            .arg("--request")
            .arg(&capture)
            .assert()
            .code(0);
        let out = stdout_of(&assert);
        for step in [
            "Stripe-Signature: t=1700000000",
            "1 in the request, tried against 1 key",
            "42s before now",
            "inside the window",
            "sha256 ",
            "VERIFIED with key `default`",
        ] {
            assert!(out.contains(step), "{step} missing:\n{out}");
        }
        assert_eq!(out.contains("CRLF line endings"), newline == "\r\n");
        assert!(!out.contains("test_secret_0123456789"), "{out}");
    }
}

#[test]
fn verify_finds_a_reserialised_body() {
    let dir = scratch("verify-reserialised");
    // The body as a JSON-parsing framework would hand it over, pretty-printed.
    let pretty = "{\n  \"id\": \"evt_1\",\n  \"type\": \"invoice.paid\",\n  \"data\": {\n    \"amount\": 4200,\n    \"note\": \"Zoë\"\n  }\n}";
    let capture = write(&dir, "pretty.http", &stripe_capture(pretty, "\r\n"));
    let assert = hookwarden()
        .args(["verify", "-p", "stripe", "-s", STRIPE_SECRET, "--now", &NOW.to_string(), "--request"])
        .arg(&capture)
        .assert()
        .code(6);
    let out = stdout_of(&assert);
    assert!(out.contains("REJECTED (no_matching_signature)"), "{out}");
    assert!(out.contains("the signature matches the body as compact JSON"), "{out}");
    assert!(out.contains("parsed and written out again"), "{out}");
    assert_no_secret_or_mac(assert.get_output(), STRIPE_SECRET, pretty.as_bytes());
}

#[test]
fn verify_finds_an_added_trailing_newline() {
    let dir = scratch("verify-newline");
    let capture = write(&dir, "newline.http", &stripe_capture(&format!("{BODY}\n"), "\n"));
    hookwarden()
        .args(["verify", "-p", "stripe", "-s", STRIPE_SECRET, "--now", &NOW.to_string(), "--request"])
        .arg(&capture)
        .assert()
        .code(6)
        .stdout(predicate::str::contains("matches the body without its trailing newline"));
}

#[test]
fn verify_refuses_a_stripe_api_key() {
    let dir = scratch("verify-api-key");
    let capture = write(&dir, "d.http", &stripe_capture(BODY, "\r\n"));
    let assert = hookwarden()
        .args([
            "verify",
            "-p",
            "stripe",
            "-s",
            "sk_test_51Habcdefghijklmnop",
            "--now",
            &NOW.to_string(),
            "--request",
        ])
        .arg(&capture)
        .assert()
        .code(3);
    let out = stdout_of(&assert);
    assert!(out.contains("CANNOT VERIFY (secret_format)"), "{out}");
    assert!(out.contains("looks like a Stripe secret API key"), "{out}");
    assert!(!out.contains("51Habcdefghijklmnop"), "{out}");
}

#[test]
fn verify_reports_a_stale_timestamp_and_how_to_check_it() {
    let dir = scratch("verify-stale");
    let capture = write(&dir, "d.http", &stripe_capture(BODY, "\r\n"));
    let assert = hookwarden()
        .args([
            "verify",
            "-p",
            "stripe",
            "-s",
            STRIPE_SECRET,
            "--now",
            &(NOW + 3600).to_string(),
            "--request",
        ])
        .arg(&capture)
        .assert()
        .code(5);
    let out = stdout_of(&assert);
    assert!(out.contains("REJECTED (timestamp_too_old)"), "{out}");
    assert!(out.contains("1h 0m before now"), "{out}");
    assert!(out.contains("OUTSIDE the window"), "{out}");
    assert!(out.contains("the signature itself is valid"), "{out}");
    assert!(out.contains("--now 1700000000"), "{out}");
    // A timestamp from the future points at this machine's clock.
    hookwarden()
        .args(["verify", "-p", "stripe", "-s", STRIPE_SECRET, "--now", &(NOW - 600).to_string(), "--request"])
        .arg(&capture)
        .assert()
        .code(5)
        .stdout(predicate::str::contains("clock is behind"));
}

#[test]
fn verify_names_the_preset_a_delivery_belongs_to() {
    let dir = scratch("verify-preset");
    let capture = write(&dir, "d.http", &stripe_capture(BODY, "\r\n"));
    let assert = hookwarden()
        .args(["verify", "-p", "github", "-s", STRIPE_SECRET, "--request"])
        .arg(&capture)
        .assert()
        .code(4);
    let out = stdout_of(&assert);
    assert!(out.contains("REJECTED (missing_header)"), "{out}");
    assert!(out.contains("this is a stripe delivery, and it verifies with `--preset stripe`"), "{out}");
    // Without the right secret it can only say what it looks like.
    hookwarden()
        .args(["verify", "-p", "slack", "-s", "some-other-signing-secret", "--request"])
        .arg(&capture)
        .assert()
        .code(4)
        .stdout(predicate::str::contains("this looks like a stripe delivery"));
}

#[test]
fn verify_flags_secret_formats() {
    let verifier = Verifier::builder(preset::StandardWebhooks).secret(SW_SECRET).build().unwrap();
    let signed = verifier.sign(&Message::new(BODY.as_bytes()).id("msg_1").timestamp(NOW)).unwrap();
    let mut command = hookwarden();
    command.args(["verify", "-p", "github", "-s", SW_SECRET, "--body", BODY]);
    for (name, value) in signed.iter() {
        command.arg("-H").arg(format!("{name}: {value}"));
    }
    command
        .assert()
        .code(4)
        .stdout(predicate::str::contains("is a `whsec_` secret"))
        .stdout(predicate::str::contains("this is a standard-webhooks delivery, and it verifies"));
}

#[test]
fn verify_refuses_malformed_captures() {
    let dir = scratch("verify-malformed");
    let capture = write(&dir, "bad.http", b"POST / HTTP/1.1\nthis is not a header\n\n{}");
    hookwarden()
        .args(["verify", "-p", "github", "-s", "It's a Secret to Everybody", "--request"])
        .arg(&capture)
        .assert()
        .code(4)
        .stderr(predicate::str::contains("line 2"));
    hookwarden()
        .args(["verify", "-p", "github", "-s", "It's a Secret to Everybody", "--request"])
        .arg(dir.join("missing.http"))
        .assert()
        .code(1);
}

#[test]
fn quiet_prints_only_the_verdict() {
    let dir = scratch("verify-quiet");
    let capture = write(&dir, "d.http", &stripe_capture(BODY, "\r\n"));
    let assert = hookwarden()
        .args(["verify", "-q", "-p", "stripe", "-s", STRIPE_SECRET, "--now", &NOW.to_string(), "--request"])
        .arg(&capture)
        .assert()
        .code(0);
    assert_eq!(stdout_of(&assert).lines().count(), 1);
}

/// A running `hookwarden serve`, killed when dropped.
struct Server {
    child: Child,
    lines: Receiver<String>,
    url: String,
}

impl Server {
    fn start(args: &[&str]) -> Self {
        let mut child = StdCommand::new(BIN)
            .arg("serve")
            .args(args)
            .args(["--port", "0"])
            .env_remove("HOOKWARDEN_SECRET")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (sender, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        let first = lines.recv_timeout(Duration::from_secs(20)).expect("serve printed nothing");
        let start = first.find("http://").expect("no address on the first line");
        let url = first[start..].split_whitespace().next().unwrap().to_owned();
        Self { child, lines, url }
    }

    /// The next line that contains `needle`.
    fn line_with(&self, needle: &str) -> String {
        loop {
            let line = self
                .lines
                .recv_timeout(Duration::from_secs(20))
                .unwrap_or_else(|_| panic!("no line with {needle}"));
            if line.contains(needle) {
                return line;
            }
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn serve_verifies_a_delivery_sent_by_sign() {
    let dir = scratch("serve");
    let log = dir.join("deliveries.jsonl");
    let _ = std::fs::remove_file(&log);
    let server = Server::start(&["-p", "svix", "-s", SW_SECRET, "--log", log.to_str().unwrap()]);
    let url = format!("{}/webhooks/svix", server.url);

    let send = |secret: &str| {
        let assert = hookwarden()
            .args(["sign", "-p", "svix", "-s", secret, "--id", "msg_serve_1", "--body", BODY, "--send", &url])
            .assert();
        let output = assert.get_output().clone();
        (output.status.code(), String::from_utf8(output.stdout).unwrap())
    };
    let (code, out) = send(SW_SECRET);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("← 200 OK"), "{out}");
    let line = server.line_with("POST /webhooks/svix");
    assert!(
        line.contains("verified") && line.contains("id=msg_serve_1") && line.contains("key=default"),
        "{line}"
    );

    // The same delivery again is acknowledged without being processed.
    let (code, out) = send(SW_SECRET);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("duplicate"), "{out}");
    assert!(server.line_with("POST /webhooks/svix").contains("duplicate"));

    // Another secret's signature is rejected, and `sign --send` says so with its exit code.
    let (code, out) = send("whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
    assert_eq!(code, Some(7), "{out}");
    assert!(out.contains("401"), "{out}");
    let line = server.line_with("POST /webhooks/svix");
    assert!(
        line.contains("rejected") && line.contains("no_matching_signature") && !line.contains("id=-"),
        "{line}"
    );

    // One JSON line, for the verified delivery only: metadata, never the body or the secret.
    let log = std::fs::read_to_string(&log).unwrap();
    assert_eq!(log.lines().count(), 1, "{log}");
    let record: serde_json::Value = serde_json::from_str(log.trim()).unwrap();
    assert_eq!(record["id"], "msg_serve_1");
    // The provider's own name for the delivery (here the signed `svix-id`), for correlation.
    assert_eq!(record["delivery_id"], "msg_serve_1");
    assert_eq!(record["outcome"], "verified");
    assert_eq!(record["scheme"], "svix");
    assert_eq!(record["body_bytes"], BODY.len());
    assert!(!log.contains("invoice.paid") && !log.contains("MfKQ9r8G"), "{log}");
}

#[test]
fn serve_refuses_a_body_slower_than_its_deadline() {
    use std::io::{Read as _, Write as _};

    let server = Server::start(&["-p", "github", "-s", "It's a Secret to Everybody", "--body-timeout", "1"]);
    let mut stream = std::net::TcpStream::connect(server.url.trim_start_matches("http://")).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    // The headers and half the body, then nothing.
    let head = "POST /hooks/github HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\n\
                x-hub-signature-256: sha256=00\r\ncontent-length: 100\r\n\r\n";
    stream.write_all(format!("{head}{}", "x".repeat(50)).as_bytes()).unwrap();
    let started = std::time::Instant::now();
    let mut answer = [0; 512];
    // A read with a timeout fails with `Interrupted` when the process is stopped and resumed
    // meanwhile (signal(7)): read again.
    let read = loop {
        match stream.read(&mut answer) {
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => continue,
            read => break read.unwrap(),
        }
    };
    let answer = String::from_utf8_lossy(&answer[..read]);
    assert!(answer.starts_with("HTTP/1.1 408") && answer.contains("body_timeout"), "{answer}");
    assert!(started.elapsed() < Duration::from_secs(10), "answered after {:?}", started.elapsed());
    assert!(server.line_with("POST /hooks/github").contains("body_timeout"));
}

#[test]
fn serve_forwards_verified_deliveries_to_the_app() {
    // The "app" is another verifying receiver: it sees the headers and body unchanged.
    let app = Server::start(&["-p", "github", "-s", "It's a Secret to Everybody"]);
    let proxy = Server::start(&["-p", "github", "-s", "It's a Secret to Everybody", "--forward", &app.url]);
    hookwarden()
        .args(["sign", "-p", "github", "-s", "It's a Secret to Everybody", "--body", BODY])
        .args(["--send", &format!("{}/hooks/github", proxy.url)])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("verified"));
    let line = proxy.line_with("POST /hooks/github");
    assert!(
        line.contains("verified") && line.contains("→ app 200") && line.contains("event=evt_1"),
        "{line}"
    );
    assert!(app.line_with("POST /hooks/github").contains("verified"));
}

#[test]
fn serve_refuses_bad_secrets_before_listening() {
    hookwarden()
        .args(["serve", "-p", "stripe", "-s", "sk_live_0123456789abcdef", "--port", "0"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("Stripe API key"));
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let dir = scratch("colour");
    let capture = write(&dir, "d.http", &stripe_capture(BODY, "\r\n"));
    let run = |colour: Option<&str>| {
        let mut command = hookwarden();
        command.args(["verify", "-p", "stripe", "-s", STRIPE_SECRET, "--now", &NOW.to_string(), "--request"]);
        command.arg(&capture);
        if let Some(colour) = colour {
            command.args(["--color", colour]);
        }
        stdout_of(&command.assert().code(0))
    };
    // Standard output is a pipe here, so `auto` writes no escape codes.
    assert!(!run(None).contains('\u{1b}'));
    assert!(!run(Some("never")).contains('\u{1b}'));
    assert!(run(Some("always")).contains("\u{1b}["));
}

#[test]
fn verify_reads_a_capture_from_standard_input() {
    hookwarden()
        .args(["verify", "-p", "stripe", "-s", STRIPE_SECRET, "--now", &NOW.to_string(), "--request", "-"])
        .write_stdin(stripe_capture(BODY, "\n"))
        .assert()
        .code(0)
        .stdout(predicate::str::contains("from standard input"));
}

#[test]
fn send_to_a_closed_port_is_an_io_error() {
    // Port 1 (tcpmux) is closed on any ordinary machine: the connection is refused at once.
    hookwarden()
        .args(["sign", "-p", "github", "-s", "It's a Secret to Everybody", "--body", "{}"])
        .args(["--send", "http://127.0.0.1:1/hooks"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("could not send"));
    hookwarden()
        .args(["sign", "-p", "github", "-s", "It's a Secret to Everybody", "--body", "{}"])
        .args(["--send", "https://example.com/hooks"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--curl"));
}

#[test]
fn token_presets_never_show_the_token_when_verifying() {
    let token = "glwt-5d9c1f0e8b7a6c4d-secret";
    for sent in [token, "glwt-an-older-token-0123456789"] {
        let assert = hookwarden()
            .args(["verify", "-p", "gitlab", "-s", token, "--body", "{}"])
            .arg("-H")
            .arg(format!("X-Gitlab-Token: {sent}"))
            .assert();
        let output = assert.get_output();
        let text = String::from_utf8_lossy(&output.stdout);
        assert!(text.contains("X-Gitlab-Token: (the shared secret: not shown)"), "{text}");
        assert!(!text.contains(token) && !text.contains(sent), "{text}");
    }
    hookwarden()
        .args(["sign", "-p", "gitlab", "-s", token, "--body", "{}"])
        .assert()
        .success()
        .stderr(predicate::str::contains("sends the secret itself"));
}

#[test]
fn more_presets_sign_and_verify_round_trip() {
    // Timestamps in RFC 3339 (Twitch), a 5-second window (Paddle), hex keys (Adyen), SHA-1 (Vercel).
    let cases = [
        ("twitch", "twitch-eventsub-secret-0123"),
        ("paddle", "pdl_ntfset_01h_secret_0123456789"),
        ("adyen", "44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056"),
        ("vercel", "vercel-integration-secret-0123"),
        ("zoom", "zoom-secret-token-0123456789"),
    ];
    for (preset, secret) in cases {
        let assert = hookwarden()
            .args(["sign", "-p", preset, "-s", secret, "--body", BODY, "--timestamp", &NOW.to_string()])
            .assert()
            .success();
        let mut verify = hookwarden();
        verify.args(["verify", "-p", preset, "-s", secret, "--body", BODY, "--now", &NOW.to_string()]);
        for (name, value) in header_lines(&stdout_of(&assert)) {
            verify.arg("-H").arg(format!("{name}: {value}"));
        }
        let assert = verify.assert();
        assert!(assert.get_output().status.success(), "{preset}: {}", stdout_of(&assert));
    }
}

#[test]
fn url_signing_presets_find_the_url_the_provider_called() {
    let secret = "square-signature-key-0123456789";
    let assert = hookwarden()
        .args([
            "sign",
            "-p",
            "square",
            "-s",
            secret,
            "--body",
            BODY,
            "--url",
            "https://hooks.example.com/square",
        ])
        .assert()
        .success();
    let headers = header_lines(&stdout_of(&assert));
    // What the app behind a proxy captured: its own host, and the proxy's forwarded headers.
    let mut capture =
        String::from("POST /square HTTP/1.1\nHost: localhost:3000\nX-Forwarded-Host: hooks.example.com\n");
    for (name, value) in &headers {
        capture.push_str(&format!("{name}: {value}\n"));
    }
    capture.push('\n');
    capture.push_str(BODY);
    let dir = scratch("url");
    let capture = write(&dir, "square.http", capture.as_bytes());
    let assert = hookwarden()
        .args(["verify", "-p", "square", "-s", secret, "--request"])
        .arg(&capture)
        .assert()
        .code(6);
    let out = stdout_of(&assert);
    assert!(out.contains("https://localhost:3000/square (guessed from the Host header"), "{out}");
    assert!(out.contains("the signature matches the URL https://hooks.example.com/square"), "{out}");
    hookwarden()
        .args([
            "verify",
            "-p",
            "square",
            "-s",
            secret,
            "--url",
            "https://hooks.example.com/square",
            "--request",
        ])
        .arg(&capture)
        .assert()
        .code(0);
    let (name, value) = &headers[0];
    hookwarden()
        .args(["verify", "-p", "square", "-s", secret, "--body", BODY, "-H", &format!("{name}: {value}")])
        .assert()
        .code(2)
        .stdout(predicate::str::contains("give it with --url"));
}

#[test]
fn serve_checks_url_signing_presets_against_its_own_address() {
    let secret = "twilio-auth-token-0123456789";
    let server = Server::start(&["-p", "twilio", "-s", secret]);
    hookwarden()
        .args(["sign", "-p", "twilio", "-s", secret, "--body", "CallSid=CA123&From=%2B15550100"])
        .args(["--content-type", "application/x-www-form-urlencoded"])
        .args(["--send", &format!("{}/twilio/voice", server.url)])
        .assert()
        .code(0);
    let line = server.line_with("POST /twilio/voice");
    assert!(line.contains("verified"), "{line}");
}

/// Every preset the core exports, with every feature on. `core_presets_are_all_here` checks
/// this list against `hookwarden::preset`'s exports, so a new preset cannot be missed.
fn core_presets() -> Vec<Box<dyn Scheme>> {
    vec![
        Box::new(preset::Adyen),
        Box::new(preset::AdyenClassic),
        Box::new(preset::Bitbucket),
        Box::new(preset::Calendly),
        Box::new(preset::Clerk),
        Box::new(preset::Coinbase),
        Box::new(preset::Discord),
        Box::new(preset::DocuSign),
        Box::new(preset::GitHub),
        Box::new(preset::GitLab),
        Box::new(preset::GitLabSigning),
        Box::new(preset::HubSpot),
        Box::new(preset::Intercom),
        Box::new(preset::LemonSqueezy),
        Box::new(preset::Linear),
        Box::new(preset::Mailgun),
        Box::new(preset::Mux),
        Box::new(preset::Okta::default()),
        Box::new(preset::Paddle),
        Box::new(preset::PagerDuty),
        Box::new(preset::Razorpay),
        Box::new(preset::Resend),
        Box::new(preset::SendGrid),
        Box::new(preset::Sentry),
        Box::new(preset::Shopify),
        Box::new(preset::Slack),
        Box::new(preset::Square),
        Box::new(preset::StandardWebhooks),
        Box::new(preset::StandardWebhooksEd25519),
        Box::new(preset::Stripe),
        Box::new(preset::Svix),
        Box::new(preset::Twilio),
        Box::new(preset::TwilioSharedKey::default()),
        Box::new(preset::Twitch),
        Box::new(preset::Typeform),
        Box::new(preset::Vercel),
        Box::new(preset::WooCommerce),
        Box::new(preset::Xero),
        Box::new(preset::Zoom),
        // Added with issue 19.
        Box::new(preset::Meta),
        Box::new(preset::Heroku),
        Box::new(preset::Airtable),
        Box::new(preset::HcpTerraform),
        Box::new(preset::GoCardless),
        Box::new(preset::Notion),
        Box::new(preset::CalCom),
        Box::new(preset::Segment),
        Box::new(preset::MicrosoftTeams),
        Box::new(preset::Dropbox),
        Box::new(preset::Asana),
        Box::new(preset::X),
        Box::new(preset::Gitea),
        Box::new(preset::Gogs),
        Box::new(preset::Jira),
        Box::new(preset::LaunchDarkly),
        Box::new(preset::Hookdeck),
        Box::new(preset::Pusher),
        Box::new(preset::MailerSend),
        Box::new(preset::Zendesk),
        Box::new(preset::Webflow),
        Box::new(preset::FrameIo),
        Box::new(preset::CustomerIo),
        Box::new(preset::Lob),
        Box::new(preset::TikTok),
        Box::new(preset::WorkOs),
        Box::new(preset::Buildkite),
        Box::new(preset::Recurly),
        Box::new(preset::BoxCom),
        Box::new(preset::Telnyx),
        Box::new(preset::Trello),
        Box::new(preset::Mandrill),
        Box::new(preset::CircleCi),
        Box::new(preset::OpenAi),
        Box::new(preset::Replicate),
        Box::new(preset::Polar),
    ]
}

#[test]
fn core_presets_are_all_here() {
    let source = concat!(env!("CARGO_MANIFEST_DIR"), "/../hookwarden/src/preset/mod.rs");
    let source = std::fs::read_to_string(source).unwrap();
    let mut exported: Vec<String> = source
        .lines()
        .filter_map(|line| line.trim().strip_prefix("pub use "))
        .flat_map(|path| {
            let names = path.trim_end_matches(';').rsplit("::").next().unwrap_or_default();
            names.trim_matches(['{', '}']).split(',').map(|name| name.trim().to_owned()).collect::<Vec<_>>()
        })
        .collect();
    exported.sort();
    let listed: Vec<String> = core_presets().iter().map(|scheme| format!("{scheme:?}")).collect();
    let mut listed: Vec<String> =
        listed.iter().map(|debug| debug.split([' ', '(', '{']).next().unwrap().to_owned()).collect();
    listed.sort();
    assert_eq!(listed, exported);
}

#[test]
fn presets_lists_every_core_preset() {
    let assert = hookwarden().args(["presets", "--color", "never"]).assert().success();
    let out = stdout_of(&assert);
    let listed: Vec<&str> = out.lines().filter(|line| !line.starts_with(' ')).collect();
    let mut expected: Vec<&str> = core_presets().iter().map(|scheme| scheme.name()).collect();
    expected.push("custom");
    let mut sorted = listed.clone();
    sorted.sort_unstable();
    expected.sort_unstable();
    assert_eq!(sorted, expected, "{out}");
    // What the README promises by name.
    for name in ["discord", "sendgrid", "mailgun"] {
        assert!(listed.contains(&name), "{name}");
    }
}

/// A secret in the format `scheme` reads.
fn secret_for(scheme: &dyn Scheme) -> &'static str {
    match scheme.key_format() {
        KeyFormat::WhsecBase64 => SW_SECRET,
        KeyFormat::Hex => "44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056",
        KeyFormat::Base64 => "c2lnbmluZy1rZXktZm9yLWEtd2ViaG9vay0wMTIzNDU2Nzg5",
        _ if scheme.check_secret(b"a-webhook-secret-0123456789").is_err() => STRIPE_SECRET,
        _ => "a-webhook-secret-0123456789",
    }
}

/// A body `scheme` can sign: Adyen's classic notifications sign fields of a notification item;
/// Linear signs a timestamp inside the body (in milliseconds).
fn body_for(scheme: &dyn Scheme) -> String {
    match scheme.name() {
        "adyen-classic" => r#"{"live":"false","notificationItems":[{"NotificationRequestItem":{"pspReference":"7914073381342284","merchantReference":"order-1","merchantAccountCode":"TestMerchant","amount":{"currency":"EUR","value":1130},"eventCode":"AUTHORISATION","success":"true"}}]}"#.to_owned(),
        _ => format!(r#"{{"id":"evt_1","type":"invoice.paid","webhookTimestamp":{NOW}000,"data":{{"note":"Zoë"}}}}"#),
    }
}

#[test]
fn sign_then_verify_round_trips_for_every_preset_that_can_sign() {
    let dir = scratch("round-trip");
    let url = "https://hooks.example.com/webhooks?x=1";
    let mut signed_by = Vec::new();
    for scheme in core_presets() {
        let name = scheme.name();
        let secret = secret_for(scheme.as_ref());
        let body = body_for(scheme.as_ref());
        let sign = || {
            let mut command = hookwarden();
            command.args(["sign", "-p", name, "-s", secret, "--timestamp", &NOW.to_string(), "--url", url]);
            command.args(["--body", &body]);
            command
        };
        let mut secret = secret.to_owned();
        let mut sign = sign();
        if matches!(scheme.algorithm(), Algorithm::Ed25519 | Algorithm::EcdsaP256Sha256) {
            // The provider's private key signs these: without one, `sign` says so.
            hookwarden()
                .args(["sign", "-p", name, "--body", "{}"])
                .assert()
                .code(2)
                .stderr(predicate::str::contains("private key"));
            // With a test key, `sign` names the public key `verify` takes.
            let key = private_key_for(name);
            let assert = hookwarden()
                .args(["sign", "-p", name, "--private-key", key, "--body", "{}"])
                .assert()
                .success();
            let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
            secret = stderr.split("--secret ").nth(1).unwrap_or_default().trim().to_owned();
            assert!(!secret.is_empty(), "{name}: {stderr}");
            sign.args(["--private-key", key]);
        }
        let assert = sign.assert();
        let out = stdout_of(&assert);
        assert!(
            assert.get_output().status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&assert.get_output().stderr)
        );
        let mut verify = hookwarden();
        verify.args(["verify", "-p", name, "-s", &secret, "--now", &NOW.to_string(), "--url", url, "--body"]);
        // Mailgun and Adyen's classic notifications: the output is the body, signature inside.
        let in_body = out.starts_with('{');
        assert_eq!(in_body, ["mailgun", "adyen-classic"].contains(&name), "{name}: {out}");
        if in_body {
            verify.arg(format!("@{}", write(&dir, &format!("{name}.json"), out.as_bytes()).display()));
        } else {
            verify.arg(format!("@{}", write(&dir, &format!("{name}.json"), body.as_bytes()).display()));
            let headers = header_lines(&out);
            assert!(!headers.is_empty(), "{name}: {out}");
            for (header, value) in headers {
                verify.arg("-H").arg(format!("{header}: {value}"));
            }
        }
        let assert = verify.assert();
        assert!(assert.get_output().status.success(), "{name}: {}", stdout_of(&assert));
        signed_by.push(name);
    }
    // Every preset signs: the public-key ones with a private key.
    assert_eq!(signed_by.len(), core_presets().len(), "{signed_by:?}");
}

/// A P-256 key made with `openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256`.
const P256_PEM: &str = "-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg/4TWARdNSYUMq50K
Ygu7Sdk9wuhLPhwpe0BM8HVc4LOhRANCAAT4X8lHlMLClNpraeNStkRT8yCOOkCR
Pwi6OzXAgcWFIW4cof71+psXdgB5boAGJRAryFIcQr6quheQpmNgjDNc
-----END PRIVATE KEY-----
";

/// A test private key for each public-key preset.
fn private_key_for(name: &str) -> &'static str {
    match name {
        "discord" => "0707070707070707070707070707070707070707070707070707070707070707",
        // base64 of 32 bytes of 7.
        "standard-webhooks-ed25519" => "whsk_BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=",
        "sendgrid" => P256_PEM,
        // base64 of 32 bytes of 7.
        "telnyx" => "BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=",
        other => panic!("no test private key for {other}"),
    }
}

#[test]
fn sign_with_the_discord_sdk_key_gives_the_sdk_signature() {
    use base64::Engine as _;

    // The PyNaCl SigningKey seed of generate_providers.py's discord_vectors:
    // random.Random("hookwarden-conformance/discord").randbytes(32). Ed25519 is deterministic,
    // so our signature must be the SDK's, byte for byte.
    let seed = "c60a98c0d7771b0b9bceebf43c3b48f708ca8439151b36d6fb7b674359f5700c";
    let path = format!("{}/../../tests/conformance/vectors/discord.json", env!("CARGO_MANIFEST_DIR"));
    let file: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let vector = file["vectors"].as_array().unwrap().iter().find(|v| v["name"] == "valid").unwrap();
    let header = |name: &str| {
        vector["headers"].as_array().unwrap().iter().find(|h| h[0] == name).unwrap()[1]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let body =
        base64::engine::general_purpose::STANDARD.decode(vector["body_base64"].as_str().unwrap()).unwrap();
    let body = write(&scratch("discord-sdk"), "body.json", &body);
    let assert = hookwarden()
        .args([
            "sign",
            "-p",
            "discord",
            "--private-key",
            seed,
            "--timestamp",
            &header("X-Signature-Timestamp"),
        ])
        .arg("--body")
        .arg(format!("@{}", body.display()))
        .assert()
        .success();
    let out = stdout_of(&assert);
    assert!(out.contains(&format!("X-Signature-Ed25519: {}", header("X-Signature-Ed25519"))), "{out}");
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(stderr.contains(vector["secret"].as_str().unwrap()), "the vector's public key: {stderr}");
}

#[test]
fn private_keys_are_read_strictly() {
    for (name, key, problem) in [
        ("discord", "0707", "not a discord private key"),
        ("discord", P256_PEM, "not a discord private key"),
        (
            "sendgrid",
            "0707070707070707070707070707070707070707070707070707070707070707",
            "not a sendgrid private key",
        ),
        (
            "standard-webhooks-ed25519",
            "0707070707070707070707070707070707070707070707070707070707070707",
            "whsk_",
        ),
        // Seed of 7s followed by a public key that is not its own.
        (
            "standard-webhooks-ed25519",
            "whsk_BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBw==",
            "public half",
        ),
    ] {
        hookwarden()
            .args(["sign", "-p", name, "--private-key", key, "--body", "{}"])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(problem));
    }
    // A symmetric preset signs with its secret, not a private key.
    hookwarden().args(["sign", "-p", "github", "--private-key", "x", "--body", "{}"]).assert().code(2);
}

#[test]
fn public_key_presets_verify_what_the_providers_sdks_signed() {
    use base64::Engine as _;

    let dir = scratch("public-key");
    for name in ["discord", "sendgrid", "telnyx"] {
        let path = format!("{}/../../tests/conformance/vectors/{name}.json", env!("CARGO_MANIFEST_DIR"));
        let file: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let vectors = file["vectors"].as_array().unwrap();
        let mut checked = 0;
        for vector in vectors.iter().filter(|v| v["expected"] == "accept") {
            let body = base64::engine::general_purpose::STANDARD
                .decode(vector["body_base64"].as_str().unwrap())
                .unwrap();
            let body = write(&dir, &format!("{name}-{checked}.body"), &body);
            let mut verify = hookwarden();
            verify.args(["verify", "-p", name, "-s", vector["secret"].as_str().unwrap()]);
            verify.args(["--now", &vector["now"].to_string(), "--body"]).arg(format!("@{}", body.display()));
            for header in vector["headers"].as_array().unwrap() {
                verify.arg("-H").arg(format!(
                    "{}: {}",
                    header[0].as_str().unwrap(),
                    header[1].as_str().unwrap()
                ));
            }
            let assert = verify.assert();
            let out = stdout_of(&assert);
            assert!(assert.get_output().status.success(), "{name} {}: {out}", vector["name"]);
            assert!(out.contains("VERIFIED"), "{out}");
            // The CLI knows these presets' headers.
            assert!(!out.contains("not present"), "{out}");
            checked += 1;
        }
        assert!(checked > 0, "{name}: no vector to accept");
    }
}

/// Sends `body` with `headers` to a running `serve`, and returns the raw answer.
fn post(server: &Server, path: &str, headers: &[(&str, String)], body: &[u8]) -> String {
    use std::io::{Read as _, Write as _};

    let mut stream = std::net::TcpStream::connect(server.url.trim_start_matches("http://")).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let mut head = format!("POST {path} HTTP/1.1\r\nhost: localhost\r\nconnection: close\r\n");
    head.push_str(&format!("content-type: application/json\r\ncontent-length: {}\r\n", body.len()));
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(body).unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    answer
}

#[test]
fn serve_verifies_discord_deliveries_with_the_public_key() {
    use ed25519_dalek::{Signer as _, SigningKey};

    let key = SigningKey::from_bytes(&[7; 32]);
    let public: String = key.verifying_key().as_bytes().iter().map(|b| format!("{b:02x}")).collect();
    let server = Server::start(&["-p", "discord", "-s", &public]);
    let body = br#"{"type":2,"id":"1178000000000000001","application_id":"1177000000000000000"}"#;
    let now =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs().to_string();
    let sign = |body: &[u8]| -> String {
        key.sign(&[now.as_bytes(), body].concat()).to_bytes().iter().map(|b| format!("{b:02x}")).collect()
    };
    let headers =
        |signature: String| vec![("x-signature-ed25519", signature), ("x-signature-timestamp", now.clone())];

    let answer = post(&server, "/interactions", &headers(sign(body)), body);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    let line = server.line_with("POST /interactions");
    assert!(line.contains("verified") && line.contains("1178000000000000001"), "{line}");

    // Discord probes endpoints with bad signatures, and expects 401.
    let answer = post(&server, "/interactions", &headers("00".repeat(64)), body);
    assert!(answer.starts_with("HTTP/1.1 401"), "{answer}");
    assert!(server.line_with("POST /interactions").contains("no_matching_signature"));
}

#[test]
fn sign_writes_the_providers_event_header() {
    let github = |extra: &[&str]| {
        let mut command = hookwarden();
        command.env("HOOKWARDEN_SECRET", "It's a Secret to Everybody");
        command.args(["sign", "-p", "github", "--body", "{}", "--curl", "http://localhost:3000/hooks"]);
        command.args(extra);
        command
    };
    // GitHub sends X-GitHub-Event with every delivery; a new hook's first one is a `ping`.
    github(&[])
        .assert()
        .success()
        .stdout(predicate::str::contains("-H 'X-GitHub-Event: ping'"))
        .stdout(predicate::str::contains("-H 'X-GitHub-Delivery: msg_"))
        .stderr(predicate::str::contains("--event push"));
    let assert = github(&[
        "--event",
        "push",
        "-H",
        "X-GitHub-Hook-ID: 123",
        "--header",
        "User-Agent:GitHub-Hookshot/1",
    ])
    .assert()
    .success();
    let out = stdout_of(&assert);
    assert!(out.contains("-H 'X-GitHub-Event: push'") && !out.contains("ping"), "{out}");
    assert!(out.contains("-H 'X-GitHub-Hook-ID: 123'"), "{out}");
    assert!(out.contains("-H 'User-Agent: GitHub-Hookshot/1'"), "{out}");
    // The event header given with --header replaces the default.
    let assert = github(&["-H", "x-github-event: issues"]).assert().success();
    let out = stdout_of(&assert);
    assert!(out.contains("-H 'x-github-event: issues'") && !out.contains("ping"), "{out}");
    // A Content-Type given with --header is the one sent.
    let assert = github(&["-H", "Content-Type: application/x-www-form-urlencoded"]).assert().success();
    let out = stdout_of(&assert);
    assert!(
        out.contains("Content-Type: application/x-www-form-urlencoded") && !out.contains("application/json"),
        "{out}"
    );

    // Headers the signature writes, a preset without an event header, and malformed flags.
    github(&["-H", "X-Hub-Signature-256: sha256=00"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("signs with"));
    github(&["--event", "push", "-H", "X-GitHub-Event: push"]).assert().code(2);
    github(&["-H", "no colon"]).assert().code(2).stderr(predicate::str::contains("Name: value"));
    hookwarden()
        .args(["sign", "-p", "stripe", "-s", STRIPE_SECRET, "--body", "{}", "--event", "x"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--header"));

    // The unsigned headers are sent too, and the receiver still verifies the delivery.
    let server = Server::start(&["-p", "github", "-s", "It's a Secret to Everybody"]);
    let url = format!("{}/hooks", server.url);
    hookwarden()
        .args(["sign", "-p", "github", "-s", "It's a Secret to Everybody", "--body", BODY, "--event", "push"])
        .args(["--send", &url])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("X-GitHub-Event: push"));
    assert!(server.line_with("POST /hooks").contains("verified"));

    // Twitch: every event is a `notification`; --json carries the unsigned headers too.
    hookwarden()
        .args(["sign", "-p", "twitch", "-s", "twitch-eventsub-secret-0123", "--body", "{}", "--json"])
        .assert()
        .success()
        .stdout(predicate::str::contains(r#""Twitch-Eventsub-Message-Type":"notification""#));
}

#[test]
fn body_signing_presets_print_the_body_to_send() {
    let secret = "mailgun-webhook-signing-key-0123";
    let body = r#"{"event-data":{"event":"delivered","id":"evt_1"}}"#;
    let sign = |extra: &[&str]| {
        let mut command = hookwarden();
        command.args([
            "sign",
            "-p",
            "mailgun",
            "-s",
            secret,
            "--id",
            "tok_1",
            "--timestamp",
            &NOW.to_string(),
        ]);
        command.args(["--body", body]).args(extra);
        command
    };
    let assert = sign(&[]).assert().success();
    let signed = stdout_of(&assert);
    // Exactly the body to send: the signature block first, every other byte as given.
    assert!(
        signed.starts_with(r#"{"signature":{"token":"tok_1","timestamp":"1700000000","signature":""#),
        "{signed}"
    );
    assert!(signed.ends_with(r#","event-data":{"event":"delivered","id":"evt_1"}}"#), "{signed}");
    let verifier =
        Verifier::builder(preset::Mailgun).secret(secret).clock(FixedClock::at(NOW)).build().unwrap();
    assert_eq!(verifier.verify(&[] as &[(&str, &str)], signed.as_bytes()).unwrap().id(), Some("tok_1"));
    // --curl sends that body, not the file or text given.
    let assert = sign(&["--curl", "http://localhost:3000/mailgun"]).assert().success();
    let curl = stdout_of(&assert);
    assert!(curl.contains(&format!("--data-binary '{signed}'")), "{curl}");
    sign(&["--json"]).assert().code(2).stderr(predicate::str::contains("inside the body"));
    hookwarden()
        .args(["sign", "-p", "mailgun", "-s", secret, "--body", "[1]"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("mailgun cannot sign this body"));
}

#[test]
fn presets_name_each_ones_replay_identity_and_endpoint_check() {
    let assert = hookwarden().args(["presets", "--color", "never"]).assert().success();
    let out = stdout_of(&assert);
    let mut blocks: Vec<(String, Vec<String>)> = Vec::new();
    for line in out.lines() {
        match line.strip_prefix("    ") {
            Some(detail) => blocks.last_mut().unwrap().1.push(detail.to_owned()),
            None => blocks.push((line.to_owned(), Vec::new())),
        }
    }
    let detail = |name: &str, label: &str| {
        let (_, lines) = blocks.iter().find(|(n, _)| n == name).unwrap_or_else(|| panic!("{name}: {out}"));
        lines
            .iter()
            .find_map(|line| line.strip_prefix(&format!("{label} ")).map(str::trim).map(str::to_owned))
    };
    for scheme in core_presets() {
        assert!(detail(scheme.name(), "replay").is_some(), "{}: {out}", scheme.name());
    }
    // Signed ids and body fields are found by signing a probe, whatever the signing method.
    assert_eq!(detail("standard-webhooks", "replay").unwrap(), "the signed id (`webhook-id`)");
    assert_eq!(detail("standard-webhooks-ed25519", "replay").unwrap(), "the signed id (`webhook-id`)");
    assert_eq!(detail("mailgun", "replay").unwrap(), "the signed id (inside the body)");
    assert!(detail("stripe", "replay").unwrap().starts_with("the event id at `id`"));
    assert!(detail("github", "replay").unwrap().starts_with("a digest of the signed content"));
    for name in ["slack", "discord", "twitch", "zoom", "okta"] {
        assert!(detail(name, "check").is_some(), "{name}: {out}");
    }
    assert!(detail("stripe", "check").is_none());
    for name in ["discord", "sendgrid", "standard-webhooks-ed25519", "telnyx"] {
        assert!(detail(name, "sign").unwrap().contains("--private-key"), "{name}");
    }
}

#[test]
fn mailgun_form_posts_sign_and_verify() {
    let secret = "mailgun-webhook-signing-key-0123";
    let form = "recipient=support%40example.com&subject=Re%3A+order+42&body-plain=Thanks%21";
    let sign = |extra: &[&str]| {
        let mut command = hookwarden();
        command.args([
            "sign",
            "-p",
            "mailgun",
            "-s",
            secret,
            "--id",
            "tok_1",
            "--timestamp",
            &NOW.to_string(),
        ]);
        command.args(["--body", form]).args(extra);
        command
    };
    let signed = stdout_of(&sign(&[]).assert().success());
    assert!(signed.starts_with("timestamp=1700000000&token=tok_1&signature="), "{signed}");
    assert!(signed.ends_with(&format!("&{form}")), "{signed}");
    let body = write(&scratch("mailgun-form"), "form.txt", signed.as_bytes());
    let assert = hookwarden()
        .args(["verify", "-p", "mailgun", "-s", secret, "--now", &NOW.to_string(), "--body"])
        .arg(format!("@{}", body.display()))
        .assert();
    let out = stdout_of(&assert);
    assert!(assert.get_output().status.success() && out.contains("VERIFIED"), "{out}");
    // Sent as the form it is.
    let curl = stdout_of(&sign(&["--curl", "http://localhost:3000/mailgun"]).assert().success());
    assert!(curl.contains("application/x-www-form-urlencoded"), "{curl}");
}

/// `GET path` on a running `serve`, addressed to `host`; returns the raw answer.
fn get(server: &Server, path: &str, host: &str) -> String {
    use std::io::{Read as _, Write as _};

    let mut stream = std::net::TcpStream::connect(server.url.trim_start_matches("http://")).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    write!(stream, "GET {path} HTTP/1.1\r\nhost: {host}\r\nconnection: close\r\n\r\n").unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    answer
}

#[test]
fn serve_logs_the_delivery_id_and_exports_metrics() {
    const GITHUB_SECRET: &str = "It's a Secret to Everybody";
    let server = Server::start(&["-p", "github", "-s", GITHUB_SECRET]);
    let delivery = "72d3162e-cc78-11e3-81ab-4c9367dc0958";
    let url = format!("{}/hooks/github", server.url);
    hookwarden()
        .args(["sign", "-p", "github", "-s", GITHUB_SECRET, "--id", delivery, "--body", BODY, "--send", &url])
        .assert()
        .success();
    let line = server.line_with("POST /hooks/github");
    assert!(line.contains("verified") && line.contains(&format!("delivery={delivery}")), "{line}");
    assert!(line.contains("id=content:"), "the replay identity: {line}");

    // A forged one still names the provider's delivery id (unsigned: for correlation only).
    let forged = [
        ("X-Hub-Signature-256", format!("sha256={}", "0".repeat(64))),
        ("X-GitHub-Delivery", "forged-1".to_owned()),
    ];
    assert!(post(&server, "/hooks/github", &forged, b"{}").starts_with("HTTP/1.1 401"));
    let line = server.line_with("POST /hooks/github");
    assert!(line.contains("rejected") && line.contains("delivery=forged-1"), "{line}");

    // /metrics in Prometheus' text format, from the exporter.
    let metrics = get(&server, "/metrics", "localhost");
    assert!(metrics.starts_with("HTTP/1.1 200"), "{metrics}");
    for series in [
        r#"hookwarden_deliveries_total{preset="github",outcome="processed",reason="none"} 1"#,
        r#"hookwarden_deliveries_total{preset="github",outcome="rejected",reason="no_matching_signature"} 1"#,
        r#"hookwarden_replay_store_operations_total{operation="claim",result="fresh"} 1"#,
        "# TYPE hookwarden_verification_duration_seconds histogram",
        "hookwarden_claims_in_flight 0",
    ] {
        assert!(metrics.contains(series), "no `{series}` in:\n{metrics}");
    }
    // Addressed to another name (DNS rebinding), serve's own pages refuse.
    assert!(get(&server, "/metrics", "attacker.example:9000").starts_with("HTTP/1.1 403"));
    assert!(get(&server, "/_hookwarden/api/deliveries", "attacker.example").starts_with("HTTP/1.1 403"));
}

#[test]
fn serve_listens_beyond_loopback_only_when_told_why() {
    let assert = hookwarden()
        .args([
            "serve",
            "-p",
            "github",
            "-s",
            "It's a Secret to Everybody",
            "--host",
            "0.0.0.0",
            "--port",
            "0",
        ])
        .assert()
        .code(2);
    let err = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    assert!(err.contains("--allow-remote"), "{err}");
}
