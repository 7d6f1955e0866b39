//! The fetched-key verifiers against a real HTTP server on loopback: the committed vectors
//! (tests/vectors, made by generate.py with openssl), the cache, and every way a key fetch can
//! go wrong (a URL off the allowlist, a slow, huge, redirected or missing answer).

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use hookwarden::FixedClock;
use hookwarden_keys::{HttpFetcher, JwksVerifier, KeyError, PayPalVerifier, SnsKind, SnsVerifier, UrlPolicy};
use serde_json::Value;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpListener;

fn vectors() -> Value {
    serde_json::from_str(include_str!("vectors/vectors.json")).unwrap()
}

/// A key server on 127.0.0.1 that counts the requests per path.
struct KeyServer {
    addr: SocketAddr,
    hits: Arc<Mutex<HashMap<String, usize>>>,
}

impl KeyServer {
    async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let hits = Arc::new(Mutex::new(HashMap::new()));
        let vectors = Arc::new(vectors());
        let counted = Arc::clone(&hits);
        tokio::spawn(async move {
            loop {
                let Ok((mut socket, _)) = listener.accept().await else { return };
                let hits = Arc::clone(&counted);
                let vectors = Arc::clone(&vectors);
                tokio::spawn(async move {
                    let mut request = Vec::new();
                    let mut buf = [0; 1024];
                    while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                        match socket.read(&mut buf).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => request.extend_from_slice(&buf[..n]),
                        }
                    }
                    let line =
                        String::from_utf8_lossy(&request).lines().next().unwrap_or_default().to_owned();
                    let target = line.split(' ').nth(1).unwrap_or_default().to_owned();
                    let path = target.split('?').next().unwrap_or_default().to_owned();
                    *hits.lock().unwrap().entry(path.clone()).or_default() += 1;
                    let ok = |body: String| {
                        format!(
                            "HTTP/1.1 200 OK\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                            body.len()
                        )
                    };
                    let response = match path.as_str() {
                        "/cert.pem" => ok(vectors["certificate_pem"].as_str().unwrap().to_owned()),
                        "/jwks.json" => ok(vectors["jwks"].to_string()),
                        "/SimpleNotificationService-hookwarden-test.pem" => {
                            ok(vectors["certificate_pem"].as_str().unwrap().to_owned())
                        }
                        "/" if target.contains("Action=ConfirmSubscription") => {
                            ok("<ConfirmSubscriptionResponse/>".to_owned())
                        }
                        "/not-a-cert.pem" => ok("hello".to_owned()),
                        "/cert-slowly.pem" => {
                            tokio::time::sleep(Duration::from_millis(200)).await;
                            ok(vectors["certificate_pem"].as_str().unwrap().to_owned())
                        }
                        "/slow.pem" => {
                            tokio::time::sleep(Duration::from_secs(30)).await;
                            return;
                        }
                        "/huge.pem" => {
                            // No length announced: the fetcher must stop on its own.
                            let head = "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n";
                            if socket.write_all(head.as_bytes()).await.is_err() {
                                return;
                            }
                            let chunk = format!("4000\r\n{}\r\n", "A".repeat(0x4000));
                            for _ in 0..1024 {
                                if socket.write_all(chunk.as_bytes()).await.is_err() {
                                    return;
                                }
                            }
                            return;
                        }
                        "/declared-huge.pem" => {
                            "HTTP/1.1 200 OK\r\ncontent-length: 100000000\r\nconnection: close\r\n\r\n".to_owned()
                        }
                        "/redirect.pem" => {
                            "HTTP/1.1 302 Found\r\nlocation: /cert.pem\r\ncontent-length: 0\r\nconnection: close\r\n\r\n".to_owned()
                        }
                        _ => "HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\nconnection: close\r\n\r\n".to_owned(),
                    };
                    let _ = socket.write_all(response.as_bytes()).await;
                    let _ = socket.shutdown().await;
                });
            }
        });
        Self { addr, hits }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    fn hits(&self, path: &str) -> usize {
        self.hits.lock().unwrap().get(path).copied().unwrap_or_default()
    }
}

/// Loopback over plain http on any port: the test server's policy, never a provider's.
fn loopback() -> UrlPolicy {
    UrlPolicy::hosts(["127.0.0.1"]).allow_http().allow_any_port()
}

fn fetcher() -> HttpFetcher {
    HttpFetcher::new().timeout(Duration::from_millis(700)).max_len(16 * 1024)
}

fn sns(_: &KeyServer) -> SnsVerifier {
    let topic = vectors()["sns_topic"].as_str().unwrap().to_owned();
    SnsVerifier::builder()
        .topic_arn(topic)
        .skip_timestamp_check()
        .policy(loopback())
        .fetcher(fetcher())
        .build()
}

fn sns_body(message: &Value, server: &KeyServer, cert_path: &str) -> Vec<u8> {
    let mut message = message.clone();
    message["SigningCertURL"] = server.url(cert_path).into();
    serde_json::to_vec(&message).unwrap()
}

/// Fetches `https://sns.us-west-2.amazonaws.com/...` from the loopback server instead, as a
/// hosts-file entry would: the SNS policy and the HTTP fetcher are the real ones.
#[derive(Debug)]
struct SnsOnLoopback {
    addr: SocketAddr,
    inner: HttpFetcher,
}

impl hookwarden_keys::Fetcher for SnsOnLoopback {
    fn fetch<'a>(&'a self, url: &'a url::Url) -> hookwarden_keys::FetchFuture<'a> {
        Box::pin(async move {
            assert_eq!(url.host_str(), Some("sns.us-west-2.amazonaws.com"));
            let mut local = url.clone();
            local.set_scheme("http").unwrap();
            local.set_host(Some("127.0.0.1")).unwrap();
            local.set_port(Some(self.addr.port())).unwrap();
            self.inner.fetch(&local).await
        })
    }
}

fn verdict<T>(result: &Result<T, KeyError>) -> String {
    match result {
        Ok(_) => "accept".to_owned(),
        Err(err) => err.reason().to_owned(),
    }
}

#[tokio::test]
async fn sns_vectors_get_their_verdicts() {
    let server = KeyServer::start().await;
    let topic = vectors()["sns_topic"].as_str().unwrap().to_owned();
    // The default policy: only sns.<region>.amazonaws.com over https.
    let verifier = SnsVerifier::builder()
        .topic_arn(topic)
        .skip_timestamp_check()
        .fetcher(SnsOnLoopback { addr: server.addr, inner: fetcher() })
        .build();
    for vector in vectors()["sns"].as_array().unwrap() {
        let body = serde_json::to_vec(&vector["message"]).unwrap();
        let result = verifier.verify(&body).await;
        assert_eq!(verdict(&result), vector["expected"], "{}", vector["name"]);
        if let Ok(message) = result
            && message.kind == SnsKind::SubscriptionConfirmation
        {
            verifier.confirm_subscription(&message).await.unwrap();
            assert_eq!(server.hits("/"), 1);
        }
    }
    // One fetch for every vector: the certificate is cached.
    assert_eq!(server.hits("/SimpleNotificationService-hookwarden-test.pem"), 1);
}

#[tokio::test]
async fn a_message_is_identified_by_its_signed_message_id() {
    let server = KeyServer::start().await;
    let v = vectors();
    let message =
        sns(&server).verify(&sns_body(&v["sns"][0]["message"], &server, "/cert.pem")).await.unwrap();
    assert_eq!(message.kind, SnsKind::Notification);
    assert_eq!(message.replay_key().as_str(), "sns:id:22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324");
    assert_eq!(
        (message.subject.as_deref(), message.message.as_str()),
        (Some("My First Message"), "Hello world!")
    );
    // A notification cannot be "confirmed".
    assert_eq!(sns(&server).confirm_subscription(&message).await.unwrap_err().reason(), "malformed");
}

#[tokio::test]
async fn the_cache_expires() {
    let server = KeyServer::start().await;
    let topic = vectors()["sns_topic"].as_str().unwrap().to_owned();
    let verifier = SnsVerifier::builder()
        .topic_arn(topic)
        .skip_timestamp_check()
        .policy(loopback())
        .fetcher(fetcher())
        .cache_ttl(Duration::from_millis(200))
        .build();
    let body = sns_body(&vectors()["sns"][0]["message"], &server, "/cert.pem");
    verifier.verify(&body).await.unwrap();
    verifier.verify(&body).await.unwrap();
    assert_eq!(server.hits("/cert.pem"), 1);
    tokio::time::sleep(Duration::from_millis(300)).await;
    verifier.verify(&body).await.unwrap();
    assert_eq!(server.hits("/cert.pem"), 2);
}

#[tokio::test]
async fn the_default_policy_fetches_only_from_sns_over_https() {
    let server = KeyServer::start().await;
    let topic = vectors()["sns_topic"].as_str().unwrap().to_owned();
    let strict = SnsVerifier::builder().topic_arn(topic).skip_timestamp_check().fetcher(fetcher()).build();
    let message = &vectors()["sns"][0]["message"];
    for url in [
        server.url("/cert.pem"),
        "http://sns.us-west-2.amazonaws.com/SimpleNotificationService-x.pem".to_owned(),
        "https://sns.us-west-2.amazonaws.com.evil.test/SimpleNotificationService-x.pem".to_owned(),
        "https://evil.test/sns.us-west-2.amazonaws.com/x.pem".to_owned(),
    ] {
        let mut message = message.clone();
        message["SigningCertURL"] = url.clone().into();
        let err = strict.verify(&serde_json::to_vec(&message).unwrap()).await.unwrap_err();
        assert_eq!((err.reason(), err.status()), ("key_url_refused", 400), "{url}");
    }
    assert_eq!(server.hits("/cert.pem"), 0, "nothing was fetched");
}

#[tokio::test]
async fn broken_key_servers_are_rejections_never_hangs() {
    let server = KeyServer::start().await;
    let verifier = sns(&server);
    let message = &vectors()["sns"][0]["message"];
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        drop(listener);
        format!("http://{addr}/cert.pem")
    };
    for (path, reason, status) in [
        ("/slow.pem", "key_fetch_timeout", 504),
        ("/huge.pem", "key_fetch_too_large", 502),
        ("/declared-huge.pem", "key_fetch_too_large", 502),
        ("/redirect.pem", "key_fetch_failed", 502),
        ("/missing.pem", "key_fetch_failed", 502),
        ("/not-a-cert.pem", "bad_key", 502),
        ("closed", "key_fetch_failed", 502),
    ] {
        let mut message = message.clone();
        message["SigningCertURL"] = if path == "closed" { closed.clone() } else { server.url(path) }.into();
        let started = Instant::now();
        let err = verifier.verify(&serde_json::to_vec(&message).unwrap()).await.unwrap_err();
        assert_eq!((err.reason(), err.status()), (reason, status), "{path}: {err}");
        assert!(started.elapsed() < Duration::from_secs(3), "{path} took {:?}", started.elapsed());
    }
    // The redirect was not followed.
    assert_eq!(server.hits("/cert.pem"), 0);
}

#[tokio::test]
async fn an_expired_certificate_is_refused() {
    let server = KeyServer::start().await;
    let topic = vectors()["sns_topic"].as_str().unwrap().to_owned();
    let later = SnsVerifier::builder()
        .topic_arn(topic)
        .skip_timestamp_check()
        .policy(loopback())
        .fetcher(fetcher())
        .clock(FixedClock::at(6_000_000_000))
        .build();
    let err =
        later.verify(&sns_body(&vectors()["sns"][0]["message"], &server, "/cert.pem")).await.unwrap_err();
    assert_eq!(err.reason(), "bad_key");
}

fn paypal_headers(vector: &Value, server: &KeyServer) -> Vec<(String, String)> {
    vector["headers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|pair| {
            let value = pair[1].as_str().unwrap();
            let value = if value == "CERT_URL" { server.url("/cert.pem") } else { value.to_owned() };
            (pair[0].as_str().unwrap().to_owned(), value)
        })
        .collect()
}

#[tokio::test]
async fn paypal_vectors_get_their_verdicts() {
    let server = KeyServer::start().await;
    let v = vectors();
    // The vectors' transmission time is 2016: no window here (the default is four days).
    let verifier = PayPalVerifier::builder(v["paypal_webhook_id"].as_str().unwrap())
        .policy(loopback())
        .fetcher(fetcher())
        .skip_timestamp_check()
        .build();
    let mut keys = Vec::new();
    for vector in v["paypal"].as_array().unwrap() {
        let headers: Vec<(String, String)> = vector["headers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|pair| {
                let (name, value) = (pair[0].as_str().unwrap(), pair[1].as_str().unwrap());
                let value = if value == "CERT_URL" { server.url("/cert.pem") } else { value.to_owned() };
                (name.to_owned(), value)
            })
            .collect();
        let result = verifier.verify(&headers, vector["body"].as_str().unwrap().as_bytes()).await;
        assert_eq!(verdict(&result), vector["expected"], "{}", vector["name"]);
        if let Ok(delivery) = result {
            keys.push((delivery.event_id.clone(), delivery.replay_key()));
        }
    }
    // The CRC32 collision carries another event id, but the same signed transmission id: one
    // replay key for both, so only one is processed.
    assert_eq!(keys.len(), 2);
    assert_ne!(keys[0].0, keys[1].0);
    assert_eq!(keys[0].1, keys[1].1);
    assert_eq!(keys[0].1.as_str(), "paypal:transmission:103e3700-8b0c-11e6-8695-6b62a8a99ac4");
    // With the default window, a delivery from 2016 is stale.
    let default_window = PayPalVerifier::builder(v["paypal_webhook_id"].as_str().unwrap())
        .policy(loopback())
        .fetcher(fetcher())
        .build();
    let stale = default_window
        .verify(
            &paypal_headers(&v["paypal"][0], &server),
            v["paypal"][0]["body"].as_str().unwrap().as_bytes(),
        )
        .await;
    assert_eq!(stale.unwrap_err().reason(), "timestamp_too_old");
    // The default policy takes PayPal's hosts only.
    let strict = PayPalVerifier::builder("id").fetcher(fetcher()).build();
    let vector = &v["paypal"][0];
    let headers: Vec<(String, String)> = vector["headers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|pair| {
            let value = pair[1].as_str().unwrap();
            let value = if value == "CERT_URL" { server.url("/cert.pem") } else { value.to_owned() };
            (pair[0].as_str().unwrap().to_owned(), value)
        })
        .collect();
    let err = strict.verify(&headers, vector["body"].as_str().unwrap().as_bytes()).await.unwrap_err();
    assert_eq!(err.reason(), "key_url_refused");
    assert_eq!(server.hits("/cert.pem"), 1);
}

#[tokio::test]
async fn jwt_vectors_get_their_verdicts() {
    let server = KeyServer::start().await;
    let v = vectors();
    let verifier = JwksVerifier::builder_with_policy(
        &server.url("/jwks.json"),
        loopback(),
        v["jwt_issuer"].as_str().unwrap(),
        v["jwt_audience"].as_str().unwrap(),
    )
    .unwrap()
    .fetcher(fetcher())
    .issuer(v["jwt_second_issuer"].as_str().unwrap())
    .claim("email", v["jwt_email"].as_str().unwrap())
    .body_hash_claim("body_sha256")
    .require_jti()
    .build();
    for vector in v["jwt"].as_array().unwrap() {
        let headers = [("Authorization", format!("Bearer {}", vector["token"].as_str().unwrap()))];
        let result = verifier.verify(&headers[..], vector["body"].as_str().unwrap().as_bytes()).await;
        assert_eq!(verdict(&result), vector["expected"], "{}", vector["name"]);
        if let Ok(claims) = result {
            assert_eq!(claims.replay_key().unwrap().as_str(), "jwt:jti:evt_0001");
        }
    }
    // The set was fetched once, and once more for the unknown kid; never again within a minute.
    assert_eq!(server.hits("/jwks.json"), 2);
    let missing: [(&str, &str); 0] = [];
    assert_eq!(verifier.verify(&missing[..], b"{}").await.unwrap_err().reason(), "malformed");
    // A JWKS URL over http, or on a host other than the policy's, is refused when built.
    assert!(JwksVerifier::builder(&server.url("/jwks.json"), "i", "a").is_err());
}

/// The whole path in an axum app: verify (fetching the certificate), answer the subscription
/// handshake, claim the signed MessageId in the core's replay store, run the handler, commit.
mod axum_app {
    use std::sync::Arc;
    use std::time::Duration;

    use axum::Router;
    use axum::body::{Body, Bytes};
    use axum::extract::State;
    use axum::http::{Request, StatusCode};
    use axum::routing::post;
    use hookwarden::VerifyError;
    use hookwarden::replay::{Claim, MemoryStore};
    use hookwarden_keys::{SnsKind, SnsVerifier};
    use http_body_util::BodyExt as _;
    use tower::ServiceExt as _;

    use super::{KeyServer, SnsOnLoopback, fetcher, vectors};

    struct App {
        sns: SnsVerifier,
        store: Arc<MemoryStore>,
        processed: std::sync::Mutex<Vec<String>>,
    }

    async fn receive(State(app): State<Arc<App>>, body: Bytes) -> (StatusCode, String) {
        let message = match app.sns.verify(&body).await {
            Ok(message) => message,
            Err(err) => {
                let status = StatusCode::from_u16(err.status()).unwrap_or(StatusCode::BAD_REQUEST);
                return (status, format!("{{\"error\":\"{}\"}}", err.reason()));
            }
        };
        match message.kind {
            SnsKind::SubscriptionConfirmation => {
                return match app.sns.confirm_subscription(&message).await {
                    Ok(()) => (StatusCode::OK, "subscribed".to_owned()),
                    Err(err) => (StatusCode::BAD_GATEWAY, err.reason().to_owned()),
                };
            }
            SnsKind::UnsubscribeConfirmation => return (StatusCode::OK, String::new()),
            SnsKind::Notification => {}
        }
        let lease = Duration::from_secs(60);
        let claim = match Claim::acquire(
            Arc::clone(&app.store),
            message.replay_key(),
            lease,
            Duration::from_secs(86400),
        )
        .await
        {
            Ok(claim) => claim,
            Err(VerifyError::Duplicate) => return (StatusCode::OK, "duplicate".to_owned()),
            Err(err) => return (StatusCode::from_u16(err.status()).unwrap(), err.reason().to_owned()),
        };
        app.processed.lock().unwrap().push(message.message.clone());
        claim.commit().await.unwrap();
        (StatusCode::OK, "processed".to_owned())
    }

    async fn post_body(app: &Router, body: Vec<u8>) -> (u16, String) {
        let request =
            Request::post("/sns").header("content-type", "text/plain").body(Body::from(body)).unwrap();
        let response = app.clone().oneshot(request).await.unwrap();
        let status = response.status().as_u16();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        (status, String::from_utf8_lossy(&bytes).into_owned())
    }

    #[tokio::test]
    async fn an_axum_receiver_verifies_confirms_and_processes_once() {
        let server = KeyServer::start().await;
        let v = vectors();
        let topic = v["sns_topic"].as_str().unwrap().to_owned();
        let sns = SnsVerifier::builder()
            .topic_arn(topic)
            .skip_timestamp_check()
            .fetcher(SnsOnLoopback { addr: server.addr, inner: fetcher() })
            .build();
        let state = Arc::new(App { sns, store: Arc::new(MemoryStore::new()), processed: Default::default() });
        let app = Router::new().route("/sns", post(receive)).with_state(Arc::clone(&state));
        let by_name = |name: &str| {
            let vector = v["sns"].as_array().unwrap().iter().find(|x| x["name"] == name).unwrap();
            serde_json::to_vec(&vector["message"]).unwrap()
        };
        assert_eq!(
            post_body(&app, by_name("subscription_confirmation")).await,
            (200, "subscribed".to_owned())
        );
        assert_eq!(server.hits("/"), 1);
        assert_eq!(post_body(&app, by_name("notification_v2")).await, (200, "processed".to_owned()));
        // SNS retries the same message: answered, not processed again.
        assert_eq!(post_body(&app, by_name("notification_v1")).await, (200, "duplicate".to_owned()));
        assert_eq!(post_body(&app, by_name("message_changed")).await.0, 401);
        assert_eq!(post_body(&app, by_name("other_topic")).await.0, 403);
        assert_eq!(post_body(&app, b"not json".to_vec()).await.0, 400);
        assert_eq!(*state.processed.lock().unwrap(), ["Hello world!"]);
    }
}

#[tokio::test]
async fn a_failed_fetch_is_remembered_briefly() {
    let server = KeyServer::start().await;
    let verifier = sns(&server);
    let body = sns_body(&vectors()["sns"][0]["message"], &server, "/missing.pem");
    for _ in 0..5 {
        assert_eq!(verifier.verify(&body).await.unwrap_err().reason(), "key_fetch_failed");
    }
    assert_eq!(server.hits("/missing.pem"), 1, "one fetch for five deliveries");
}

#[tokio::test]
async fn only_a_confirm_subscription_call_is_made() {
    let server = KeyServer::start().await;
    let topic = vectors()["sns_topic"].as_str().unwrap().to_owned();
    let verifier = SnsVerifier::builder()
        .topic_arn(topic)
        .skip_timestamp_check()
        .fetcher(SnsOnLoopback { addr: server.addr, inner: fetcher() })
        .build();
    let v = vectors();
    let confirmation =
        v["sns"].as_array().unwrap().iter().find(|x| x["name"] == "subscription_confirmation").unwrap();
    let mut message = verifier.verify(&serde_json::to_vec(&confirmation["message"]).unwrap()).await.unwrap();
    for other in [
        "https://sns.us-west-2.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=x",
        "https://evil.test/?Action=ConfirmSubscription",
        "http://sns.us-west-2.amazonaws.com/?Action=ConfirmSubscription",
    ] {
        message.subscribe_url = Some(other.to_owned());
        let err = verifier.confirm_subscription(&message).await.unwrap_err();
        assert_eq!(err.reason(), "key_url_refused", "{other}");
    }
    assert_eq!(server.hits("/"), 0);
}

#[tokio::test]
async fn sns_messages_older_than_a_day_are_refused_by_default() {
    let server = KeyServer::start().await;
    let v = vectors();
    let vector = v["sns"].as_array().unwrap().iter().find(|x| x["name"] == "notification_fresh").unwrap();
    let now = vector["now"].as_i64().unwrap();
    let published = now - 60;
    let body = serde_json::to_vec(&vector["message"]).unwrap();
    let at = |clock: i64| {
        SnsVerifier::builder()
            .topic_arn(v["sns_topic"].as_str().unwrap())
            .fetcher(SnsOnLoopback { addr: server.addr, inner: fetcher() })
            .clock(FixedClock::at(clock))
            .build()
    };
    assert!(at(now).verify(&body).await.is_ok());
    assert!(at(published + 86_400).verify(&body).await.is_ok(), "both edges are inside");
    let err = at(published + 86_401).verify(&body).await.unwrap_err();
    assert_eq!((err.reason(), err.status()), ("timestamp_too_old", 401));
    assert_eq!(at(published - 86_401).verify(&body).await.unwrap_err().reason(), "timestamp_too_new");
    // AWS's 2012 example is refused unless the check is skipped by name.
    let example = serde_json::to_vec(&v["sns"][0]["message"]).unwrap();
    assert_eq!(at(now).verify(&example).await.unwrap_err().reason(), "timestamp_too_old");
}

#[tokio::test]
async fn deliveries_that_miss_at_once_share_one_fetch() {
    let server = KeyServer::start().await;
    let verifier = Arc::new(sns(&server));
    let body = Arc::new(sns_body(&vectors()["sns"][0]["message"], &server, "/cert-slowly.pem"));
    let tasks: Vec<_> = (0..10)
        .map(|_| {
            let (verifier, body) = (Arc::clone(&verifier), Arc::clone(&body));
            tokio::spawn(async move { verifier.verify(&body).await.map(|_| ()) })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    assert_eq!(server.hits("/cert-slowly.pem"), 1);
}
