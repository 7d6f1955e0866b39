//! A small plain-HTTP client, for `sign --send` and `serve --forward`.

use std::time::Duration;

use bytes::Bytes;
use http::header::{CONNECTION, CONTENT_LENGTH, HOST, TRANSFER_ENCODING};
use http::{HeaderMap, HeaderName, Method, Request, StatusCode, Uri};
use http_body_util::{BodyExt, Full, Limited};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;

/// The most bytes of an answer that are read.
const ANSWER_LIMIT: usize = 16 * 1024 * 1024;

/// How long a request may take, connecting and answering included.
const TIMEOUT: Duration = Duration::from_secs(30);

/// A plain-HTTP/1 client.
#[derive(Debug, Clone)]
pub(crate) struct HttpClient(Client<HttpConnector, Full<Bytes>>);

/// What a server answered.
#[derive(Debug)]
pub(crate) struct Answer {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
}

/// Parses a URL for the client: `http://` only, with a host.
pub(crate) fn parse_url(url: &str) -> Result<Uri, String> {
    let uri: Uri = url.parse().map_err(|e| format!("`{url}` is not a URL: {e}"))?;
    match uri.scheme_str() {
        Some("http") if uri.host().is_some() => Ok(uri),
        Some("https") => Err(format!(
            "`{url}`: only plain http:// is supported here; for https, print a curl command with --curl"
        )),
        _ => Err(format!("`{url}` is not an http:// URL with a host")),
    }
}

/// Headers that describe one connection, not the message: never passed on.
pub(crate) fn is_hop_by_hop(name: &HeaderName) -> bool {
    [CONNECTION, CONTENT_LENGTH, HOST, TRANSFER_ENCODING].contains(name)
        || matches!(name.as_str(), "keep-alive" | "proxy-connection" | "te" | "trailer" | "upgrade")
}

impl HttpClient {
    pub(crate) fn new() -> Self {
        Self(Client::builder(TokioExecutor::new()).build_http())
    }

    /// Sends `body` with `headers` to `uri` and reads the answer.
    pub(crate) async fn send(
        &self,
        method: Method,
        uri: Uri,
        headers: HeaderMap,
        body: Bytes,
    ) -> Result<Answer, String> {
        let mut request = Request::new(Full::new(body));
        *request.method_mut() = method;
        *request.uri_mut() = uri;
        *request.headers_mut() = headers;
        let exchange = async {
            let response = self.0.request(request).await.map_err(|e| describe(&e))?;
            let (parts, body) = response.into_parts();
            let body = Limited::new(body, ANSWER_LIMIT)
                .collect()
                .await
                .map_err(|e| format!("the answer could not be read: {e}"))?
                .to_bytes();
            Ok(Answer { status: parts.status, headers: parts.headers, body })
        };
        tokio::time::timeout(TIMEOUT, exchange)
            .await
            .map_err(|_| format!("no answer within {}s", TIMEOUT.as_secs()))?
    }
}

/// The innermost cause of a client error ("connection refused" rather than "client error").
fn describe(error: &(dyn std::error::Error + 'static)) -> String {
    let mut message = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        message = cause.to_string();
        source = cause.source();
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_http_urls_are_accepted() {
        assert!(parse_url("http://127.0.0.1:9000/hooks").is_ok());
        assert!(parse_url("https://example.com").unwrap_err().contains("--curl"));
        assert!(parse_url("localhost:9000").is_err());
        assert!(parse_url("not a url").is_err());
    }
}
