//! Which URLs a key may be fetched from. A sender names the URL of its own key (SNS's
//! `SigningCertURL`, PayPal's `PAYPAL-CERT-URL`), so without a strict rule anyone could sign
//! with a key they host themselves.

use url::{Host, Url};

use crate::error::KeyError;

/// A host rule.
#[derive(Debug, Clone, PartialEq, Eq)]
enum HostRule {
    /// This host exactly (compared in lowercase).
    Exact(String),
    /// `sns.<region>.amazonaws.com` (or `.amazonaws.com.cn`), region being letters, digits and
    /// `-`, as AWS's SNS message validators accept.
    SnsRegional,
}

/// Where keys may come from: HTTPS only (unless [`allow_http`](Self::allow_http) is called),
/// no user or password, the default port (unless [`allow_any_port`](Self::allow_any_port)), a
/// host on the allowlist and a path under one of the allowed prefixes.
///
/// # Example
///
/// ```
/// use hookwarden_keys::UrlPolicy;
///
/// let sns = UrlPolicy::sns();
/// assert!(sns.check("https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-abc.pem").is_ok());
/// for bad in [
///     "http://sns.eu-west-1.amazonaws.com/x.pem",
///     "https://sns.eu-west-1.amazonaws.com.evil.example/x.pem",
///     "https://evil.example/sns.eu-west-1.amazonaws.com/x.pem",
///     "https://user@sns.eu-west-1.amazonaws.com/x.pem",
///     "https://sns.eu-west-1.amazonaws.com:8443/x.pem",
/// ] {
///     assert_eq!(sns.check(bad).unwrap_err().reason(), "key_url_refused", "{bad}");
/// }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlPolicy {
    hosts: Vec<HostRule>,
    path_prefixes: Vec<String>,
    path_suffix: Option<String>,
    allow_http: bool,
    allow_any_port: bool,
}

impl UrlPolicy {
    /// Only these hosts, any path.
    pub fn hosts<I, S>(hosts: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self {
            hosts: hosts.into_iter().map(|host| HostRule::Exact(host.into().to_ascii_lowercase())).collect(),
            path_prefixes: vec!["/".to_owned()],
            path_suffix: None,
            allow_http: false,
            allow_any_port: false,
        }
    }

    /// AWS SNS signing certificates: `https://sns.<region>.amazonaws.com/<name>.pem` (and the
    /// China regions' `amazonaws.com.cn`).
    pub fn sns() -> Self {
        Self {
            hosts: vec![HostRule::SnsRegional],
            path_suffix: Some(".pem".to_owned()),
            ..Self::hosts([""; 0])
        }
    }

    /// PayPal's webhook certificates: `https://api.paypal.com/v1/notifications/certs/...` and
    /// the sandbox's `api.sandbox.paypal.com`.
    pub fn paypal() -> Self {
        Self::hosts(["api.paypal.com", "api.sandbox.paypal.com"]).path_prefix("/v1/notifications/certs/")
    }

    /// Also allow this host.
    #[must_use]
    pub fn host(mut self, host: impl Into<String>) -> Self {
        self.hosts.push(HostRule::Exact(host.into().to_ascii_lowercase()));
        self
    }

    /// Only paths under `prefix` (replacing the prefixes set before).
    #[must_use]
    pub fn path_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.path_prefixes = vec![prefix.into()];
        self
    }

    /// Plain `http` too: for a key server on loopback in tests, never for a provider's.
    #[must_use]
    pub fn allow_http(mut self) -> Self {
        self.allow_http = true;
        self
    }

    /// Any port, not only the scheme's default: for a key server on loopback in tests.
    #[must_use]
    pub fn allow_any_port(mut self) -> Self {
        self.allow_any_port = true;
        self
    }

    /// The same hosts and schemes, any path: for SNS's `SubscribeURL`.
    pub(crate) fn without_path_rules(mut self) -> Self {
        self.path_prefixes = vec!["/".to_owned()];
        self.path_suffix = None;
        self
    }

    /// Parses `url` and checks it against the policy.
    ///
    /// # Errors
    ///
    /// [`KeyError::UrlRefused`] naming the first rule it breaks.
    pub fn check(&self, url: &str) -> Result<Url, KeyError> {
        let refused = |problem| KeyError::UrlRefused { problem };
        let parsed = Url::parse(url).map_err(|_| refused("not an absolute URL"))?;
        match parsed.scheme() {
            "https" => {}
            "http" if self.allow_http => {}
            _ => return Err(refused("not https")),
        }
        if !parsed.username().is_empty() || parsed.password().is_some() {
            return Err(refused("has a user or password"));
        }
        if parsed.port().is_some() && !self.allow_any_port {
            return Err(refused("names a port"));
        }
        if parsed.fragment().is_some() {
            return Err(refused("has a fragment"));
        }
        let host = match parsed.host() {
            Some(Host::Domain(domain)) => domain.to_ascii_lowercase(),
            Some(Host::Ipv4(ip)) => ip.to_string(),
            Some(Host::Ipv6(ip)) => format!("[{ip}]"),
            None => return Err(refused("has no host")),
        };
        if !self.hosts.iter().any(|rule| rule.allows(&host)) {
            return Err(refused("host is not on the allowlist"));
        }
        if !self.path_prefixes.iter().any(|prefix| parsed.path().starts_with(prefix.as_str())) {
            return Err(refused("path is not under an allowed prefix"));
        }
        if let Some(suffix) = &self.path_suffix
            && !parsed.path().ends_with(suffix.as_str())
        {
            return Err(refused("path does not end as the provider's do"));
        }
        Ok(parsed)
    }
}

impl HostRule {
    fn allows(&self, host: &str) -> bool {
        match self {
            Self::Exact(allowed) => allowed == host,
            Self::SnsRegional => {
                let region = host.strip_prefix("sns.").and_then(|rest| {
                    rest.strip_suffix(".amazonaws.com").or_else(|| rest.strip_suffix(".amazonaws.com.cn"))
                });
                region.is_some_and(|region| {
                    region.len() >= 3
                        && region.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sns_hosts_are_regional_amazonaws_hosts_only() {
        let policy = UrlPolicy::sns();
        for good in [
            "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-6209c161c6221fdf56ec1eb5c821d112.pem",
            "https://sns.cn-north-1.amazonaws.com.cn/SimpleNotificationService-x.pem",
            "https://SNS.US-EAST-1.AMAZONAWS.COM/x.pem",
        ] {
            assert!(policy.check(good).is_ok(), "{good}");
        }
        for bad in [
            "https://sns.amazonaws.com/x.pem",
            "https://sns.us-east-1.amazonaws.com/x.txt",
            "https://sns.us_east.amazonaws.com/x.pem",
            "https://s3.us-east-1.amazonaws.com/x.pem",
            "https://sns.a.b.amazonaws.com/x.pem",
            "https://sns.us-east-1.amazonaws.com#/x.pem",
            "https://127.0.0.1/x.pem",
            "file:///etc/passwd",
            "not a url",
        ] {
            assert_eq!(policy.check(bad).unwrap_err().reason(), "key_url_refused", "{bad}");
        }
    }

    #[test]
    fn paypal_certificates_come_from_paypal_api_hosts() {
        let policy = UrlPolicy::paypal();
        assert!(
            policy
                .check("https://api.paypal.com/v1/notifications/certs/CERT-360caa42-fca2a594-a5cafa77")
                .is_ok()
        );
        assert!(policy.check("https://api.sandbox.paypal.com/v1/notifications/certs/CERT-1").is_ok());
        for bad in [
            "https://api.paypal.com/v1/oauth2/token",
            "https://paypal.com/v1/notifications/certs/CERT-1",
            "https://api.paypal.com.evil.example/v1/notifications/certs/CERT-1",
            "http://api.paypal.com/v1/notifications/certs/CERT-1",
        ] {
            assert_eq!(policy.check(bad).unwrap_err().reason(), "key_url_refused", "{bad}");
        }
    }
}
