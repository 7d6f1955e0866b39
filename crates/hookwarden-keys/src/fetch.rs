//! Getting a key document from its URL: the [`Fetcher`] trait, and [`HttpFetcher`], the
//! default one, with timeouts, a size cap and no redirects.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use http_body_util::{BodyExt as _, Empty};
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use url::Url;

use crate::error::KeyError;

/// What a fetch returns.
pub type FetchFuture<'a> = Pin<Box<dyn Future<Output = Result<Bytes, KeyError>> + Send + 'a>>;

/// Fetches a key document (a PEM certificate, a JWKS) from a URL the policy already allowed.
///
/// Implementations must bound their time and the size of what they read, and answer a
/// [`KeyError`]: [`KeyError::FetchTimeout`], [`KeyError::FetchTooLarge`] or
/// [`KeyError::FetchFailed`]. Tests implement it only to count or fail fetches; they serve
/// keys through [`HttpFetcher`] from a server on loopback.
pub trait Fetcher: fmt::Debug + Send + Sync + 'static {
    /// The document at `url`.
    fn fetch<'a>(&'a self, url: &'a Url) -> FetchFuture<'a>;
}

impl<F: Fetcher + ?Sized> Fetcher for Arc<F> {
    fn fetch<'a>(&'a self, url: &'a Url) -> FetchFuture<'a> {
        (**self).fetch(url)
    }
}

/// The default fetcher: hyper's client over rustls (ring) with Mozilla's root certificates.
///
/// - Connect timeout 2 s, whole-fetch timeout 5 s ([`timeout`](Self::timeout)): a slow key
///   server is a [`KeyError::FetchTimeout`], never a hang.
/// - At most 64 KiB read ([`max_len`](Self::max_len)); the body is read in chunks and the
///   fetch stops as soon as it is over, whatever `Content-Length` said.
/// - No redirects (a redirect could leave the allowlist), no proxy from the environment, no
///   cookies; any status but 200 is a [`KeyError::FetchFailed`].
#[derive(Debug, Clone)]
pub struct HttpFetcher {
    client: Client<HttpsConnector<HttpConnector>, Empty<Bytes>>,
    timeout: Duration,
    max_len: usize,
}

/// What [`HttpFetcher`] reads at most: certificates are 2 KiB, JWKS a few.
pub const DEFAULT_MAX_LEN: usize = 64 * 1024;

/// How long [`HttpFetcher`] waits for a whole document.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);

impl HttpFetcher {
    /// A fetcher trusting Mozilla's root certificates.
    ///
    /// # Panics
    ///
    /// Never in practice: building the TLS configuration with ring's provider and its safe
    /// defaults cannot fail.
    pub fn new() -> Self {
        let roots = rustls::RootCertStore { roots: webpki_roots::TLS_SERVER_ROOTS.to_vec() };
        Self::with_roots(roots)
    }

    /// A fetcher trusting only `roots` (a private CA, say).
    ///
    /// # Panics
    ///
    /// As [`new`](Self::new).
    pub fn with_roots(roots: rustls::RootCertStore) -> Self {
        // ring, not aws-lc-rs: no cmake or C toolchain beyond ring's own. Its provider is
        // marked deprecated only for lacking post-quantum key exchange.
        #[allow(deprecated)]
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let tls = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("ring supports the default protocol versions")
            .with_root_certificates(roots)
            .with_no_client_auth();
        let mut tcp = HttpConnector::new();
        tcp.set_connect_timeout(Some(Duration::from_secs(2)));
        tcp.enforce_http(false);
        // hyper follows no redirect and reads no proxy from the environment.
        let connector = hyper_rustls::HttpsConnectorBuilder::new()
            .with_tls_config(tls)
            .https_or_http()
            .enable_http1()
            .wrap_connector(tcp);
        let client = Client::builder(TokioExecutor::new()).build(connector);
        Self { client, timeout: DEFAULT_TIMEOUT, max_len: DEFAULT_MAX_LEN }
    }

    /// The longest a whole fetch (connect, headers, body) may take.
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The most bytes read from one answer.
    #[must_use]
    pub fn max_len(mut self, bytes: usize) -> Self {
        self.max_len = bytes;
        self
    }

    async fn get(&self, url: &Url) -> Result<Bytes, KeyError> {
        let failed = |problem: &str| KeyError::FetchFailed { problem: problem.to_owned() };
        let request = http::Request::get(url.as_str())
            .header(http::header::USER_AGENT, concat!("hookwarden-keys/", env!("CARGO_PKG_VERSION")))
            .body(Empty::new())
            .map_err(|_| failed("the URL is not a request target"))?;
        let response =
            self.client.request(request).await.map_err(|err| {
                failed(if err.is_connect() { "could not connect" } else { "request failed" })
            })?;
        if response.status() != http::StatusCode::OK {
            return Err(KeyError::FetchFailed {
                problem: format!("the key server answered {}", response.status().as_u16()),
            });
        }
        let declared = response.headers().get(http::header::CONTENT_LENGTH);
        let declared = declared.and_then(|len| len.to_str().ok()?.parse::<u64>().ok());
        if declared.is_some_and(|len| len > self.max_len as u64) {
            return Err(KeyError::FetchTooLarge { limit: self.max_len });
        }
        let mut body = BytesMut::new();
        let mut stream = response.into_body();
        while let Some(frame) = stream.frame().await {
            let frame = frame.map_err(|_| failed("the answer was cut off"))?;
            let Ok(chunk) = frame.into_data() else { continue };
            if body.len() + chunk.len() > self.max_len {
                return Err(KeyError::FetchTooLarge { limit: self.max_len });
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body.freeze())
    }
}

impl Default for HttpFetcher {
    fn default() -> Self {
        Self::new()
    }
}

impl Fetcher for HttpFetcher {
    fn fetch<'a>(&'a self, url: &'a Url) -> FetchFuture<'a> {
        Box::pin(async move {
            tokio::time::timeout(self.timeout, self.get(url)).await.map_err(|_| KeyError::FetchTimeout)?
        })
    }
}
