//! [`RedisStoreBuilder`]: how to reach the Redis a store uses (one server, a Redis Cluster, or
//! the primary a Sentinel names) and with which TLS settings.

use std::fmt;
use std::time::Duration;

use redis::cluster::ClusterClientBuilder;
use redis::sentinel::{SentinelClientBuilder, SentinelServerType};
use redis::{
    AsyncConnectionConfig, ClientTlsConfig, ConnectionAddr, ConnectionInfo, IntoConnectionInfo, RedisResult,
    TlsCertificates, TlsMode,
};

use crate::RedisStore;
use crate::backend::Backend;
use crate::sentinel::SentinelPrimary;

/// How long opening one connection may take.
const CONNECTION_TIMEOUT: Duration = Duration::from_secs(1);
/// How long a reply may take before the connection is considered lost (a host that vanished
/// without closing it).
const RESPONSE_TIMEOUT: Duration = Duration::from_secs(2);
/// How often a cluster connection retries a command (after a redirection, or a failed node
/// while the cluster fails over). Few: the store's own timeout bounds every call anyway, and
/// a delivery refused during a failover is retried by its sender.
const CLUSTER_RETRIES: u32 = 2;

/// Connects a [`RedisStore`] to a Redis deployment: one server, a Redis Cluster, or the
/// primary of a Sentinel-monitored service, in plain TCP or TLS.
///
/// Made by [`RedisStore::builder`], [`RedisStore::cluster`] and [`RedisStore::sentinel`];
/// finished by [`connect`](Self::connect). A `rediss://` URL connects with TLS and checks the
/// server's certificate against the platform's trusted roots, or against
/// [`ca_bundle`](Self::ca_bundle) when given. A certificate that does not check out fails
/// [`connect`](Self::connect): the store never falls back to plain TCP, and never skips the
/// check (the `redis` crate's `#insecure` URLs are refused).
///
/// # Example
///
/// ```no_run
/// use hookwarden_redis::RedisStore;
///
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// // A Redis with a private CA that asks for client certificates.
/// let store = RedisStore::builder("rediss://redis.internal:6380/")
///     .ca_bundle(std::fs::read("/etc/redis/ca.crt")?)
///     .client_certificate(std::fs::read("/etc/redis/client.crt")?, std::fs::read("/etc/redis/client.key")?)
///     .connect()
///     .await?
///     .prefix("billing:webhooks:");
/// # Ok(())
/// # }
/// ```
#[must_use = "a builder does nothing until `connect` is awaited"]
pub struct RedisStoreBuilder {
    target: Target,
    ca_bundle: Option<Vec<u8>>,
    client_certificate: Option<ClientTlsConfig>,
    primary_tls: bool,
    primary_auth: Option<(Option<String>, String)>,
}

/// The deployment; an invalid URL is kept as its error until `connect`.
enum Target {
    Single(RedisResult<ConnectionInfo>),
    Cluster(RedisResult<Vec<ConnectionInfo>>),
    Sentinel { sentinels: RedisResult<Vec<ConnectionInfo>>, service: String },
}

impl RedisStoreBuilder {
    pub(crate) fn single(info: impl IntoConnectionInfo) -> Self {
        Self::new(Target::Single(info.into_connection_info()))
    }

    pub(crate) fn cluster<I: IntoConnectionInfo>(nodes: impl IntoIterator<Item = I>) -> Self {
        Self::new(Target::Cluster(infos(nodes)))
    }

    pub(crate) fn sentinel<I: IntoConnectionInfo>(
        sentinels: impl IntoIterator<Item = I>,
        service: impl Into<String>,
    ) -> Self {
        Self::new(Target::Sentinel { sentinels: infos(sentinels), service: service.into() })
    }

    fn new(target: Target) -> Self {
        Self { target, ca_bundle: None, client_certificate: None, primary_tls: false, primary_auth: None }
    }

    /// Trusts only the CA certificates in `pem` (one or more PEM certificates) for the
    /// server's certificate, instead of the platform's trusted roots: a Redis whose
    /// certificate comes from a private CA. With it, every connection uses TLS; a `redis://`
    /// URL is then an error at [`connect`](Self::connect), not a plain connection.
    ///
    /// # Example
    ///
    /// ```no_run
    /// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
    /// let store = hookwarden_redis::RedisStore::builder("rediss://10.0.0.5:6380/")
    ///     .ca_bundle(std::fs::read("ca.pem")?)
    ///     .connect()
    ///     .await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn ca_bundle(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.ca_bundle = Some(pem.into());
        self
    }

    /// Presents this client certificate (`certificate`: the PEM chain, `key`: its PEM private
    /// key) to servers that ask for one (`tls-auth-clients yes`).
    ///
    /// # Example
    ///
    /// ```no_run
    /// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
    /// let store = hookwarden_redis::RedisStore::builder("rediss://redis.example.com:6380/")
    ///     .client_certificate(std::fs::read("client.crt")?, std::fs::read("client.key")?)
    ///     .connect()
    ///     .await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn client_certificate(mut self, certificate: impl Into<Vec<u8>>, key: impl Into<Vec<u8>>) -> Self {
        self.client_certificate =
            Some(ClientTlsConfig { client_cert: certificate.into(), client_key: key.into() });
        self
    }

    /// Sentinel only: connects to the primary with TLS (the Sentinels' own URLs say whether
    /// talking to them uses TLS; the address a Sentinel gives for the primary does not).
    ///
    /// # Example
    ///
    /// ```no_run
    /// # async fn run() -> Result<(), redis::RedisError> {
    /// let store = hookwarden_redis::RedisStore::sentinel(["rediss://sentinel-1:26380/"], "webhooks")
    ///     .primary_tls(true)
    ///     .connect()
    ///     .await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn primary_tls(mut self, enabled: bool) -> Self {
        self.primary_tls = enabled;
        self
    }

    /// Sentinel only: the credentials for the primary (`AUTH [username] password`); a
    /// Sentinel URL's own password is for the Sentinel.
    ///
    /// # Example
    ///
    /// ```no_run
    /// # async fn run() -> Result<(), redis::RedisError> {
    /// let store = hookwarden_redis::RedisStore::sentinel(["redis://sentinel-1:26379/"], "webhooks")
    ///     .primary_auth(Some("hookwarden"), "primary-password")
    ///     .connect()
    ///     .await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn primary_auth(mut self, username: Option<&str>, password: &str) -> Self {
        self.primary_auth = Some((username.map(str::to_owned), password.to_owned()));
        self
    }

    /// Connects: to the server, to every cluster node given (and then the whole cluster), or
    /// to the Sentinels and the primary they name.
    ///
    /// # Errors
    ///
    /// A URL is invalid; the deployment cannot be reached now; a TLS handshake failed (a
    /// server certificate that does not check out, a client certificate the server refused,
    /// a plain-TCP server behind a `rediss://` URL); or no Sentinel knows the service.
    ///
    /// # Example
    ///
    /// ```no_run
    /// # async fn run() -> Result<(), redis::RedisError> {
    /// let store = hookwarden_redis::RedisStore::cluster([
    ///     "redis://10.0.0.1:6379/",
    ///     "redis://10.0.0.2:6379/",
    ///     "redis://10.0.0.3:6379/",
    /// ])
    /// .connect()
    /// .await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn connect(self) -> RedisResult<RedisStore> {
        install_crypto_provider();
        let certificates = self.certificates();
        let backend = match self.target {
            Target::Single(info) => {
                let info = info?;
                let client = match certificates {
                    Some(certificates) => redis::Client::build_with_tls(info, certificates)?,
                    None => redis::Client::open(info)?,
                };
                let config = RedisStore::connection_config();
                Backend::Single(redis::aio::ConnectionManager::new_with_config(client, config).await?)
            }
            Target::Cluster(nodes) => {
                let mut builder = ClusterClientBuilder::new(nodes?)
                    .retries(CLUSTER_RETRIES)
                    .connection_timeout(CONNECTION_TIMEOUT)
                    .response_timeout(RESPONSE_TIMEOUT);
                if let Some(certificates) = certificates {
                    builder = builder.certs(certificates);
                }
                Backend::Cluster(builder.build()?.get_async_connection().await?)
            }
            Target::Sentinel { sentinels, service } => {
                let sentinels = sentinels?;
                let mut builder = SentinelClientBuilder::new(
                    sentinels.iter().map(|info| info.addr().clone()),
                    service,
                    SentinelServerType::Master,
                )?;
                if let Some(first) = sentinels.first() {
                    let settings = first.redis_settings();
                    if let Some(password) = settings.password() {
                        builder = builder.set_client_to_sentinel_password(password);
                    }
                    if let Some(username) = settings.username() {
                        builder = builder.set_client_to_sentinel_username(username);
                    }
                }
                let sentinels_use_tls =
                    sentinels.iter().any(|info| matches!(info.addr(), ConnectionAddr::TcpTls { .. }));
                if let Some(certificates) = certificates {
                    if sentinels_use_tls {
                        builder = builder.set_client_to_sentinel_certificates(certificates.clone());
                    }
                    builder = builder.set_client_to_redis_certificates(certificates);
                }
                if self.primary_tls {
                    builder = builder.set_client_to_redis_tls_mode(TlsMode::Secure);
                }
                if let Some((username, password)) = &self.primary_auth {
                    if let Some(username) = username {
                        builder = builder.set_client_to_redis_username(username);
                    }
                    builder = builder.set_client_to_redis_password(password);
                }
                let config = AsyncConnectionConfig::new()
                    .set_connection_timeout(Some(CONNECTION_TIMEOUT))
                    .set_response_timeout(Some(RESPONSE_TIMEOUT));
                Backend::Sentinel(SentinelPrimary::connect(builder.build()?, config).await?)
            }
        };
        Ok(RedisStore::with_backend(backend))
    }

    fn certificates(&self) -> Option<TlsCertificates> {
        if self.ca_bundle.is_none() && self.client_certificate.is_none() {
            return None;
        }
        Some(TlsCertificates {
            client_tls: self.client_certificate.clone(),
            root_cert: self.ca_bundle.clone(),
        })
    }
}

impl fmt::Debug for RedisStoreBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let target = match &self.target {
            Target::Single(_) => "single",
            Target::Cluster(_) => "cluster",
            Target::Sentinel { .. } => "sentinel",
        };
        // Neither URLs (they may hold passwords) nor keys.
        f.debug_struct("RedisStoreBuilder")
            .field("target", &target)
            .field("ca_bundle", &self.ca_bundle.is_some())
            .field("client_certificate", &self.client_certificate.is_some())
            .field("primary_tls", &self.primary_tls)
            .field("primary_auth", &self.primary_auth.is_some())
            .finish()
    }
}

fn infos<I: IntoConnectionInfo>(urls: impl IntoIterator<Item = I>) -> RedisResult<Vec<ConnectionInfo>> {
    urls.into_iter().map(IntoConnectionInfo::into_connection_info).collect()
}

/// `redis` builds its rustls configurations with the process's default crypto provider:
/// install ring's when the application has not installed one. (rustls picks one by itself
/// only when exactly one provider is compiled in; an application that also enables
/// `aws-lc-rs` would otherwise fail at its first TLS connection.)
///
/// ring rather than aws-lc-rs: it builds with a C compiler alone. (rustls marks ring's provider
/// deprecated for lacking post-quantum key exchange; Redis servers do not offer it yet.)
#[allow(deprecated)]
pub(crate) fn install_crypto_provider() {
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        // Another thread may install one first: either is fine.
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
}
