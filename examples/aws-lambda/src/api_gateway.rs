//! What the webhook layer needs from API Gateway, taken from the Lambda event.
//!
//! `lambda_http` turns the event into an `http::Request`, but a tower service sees requests,
//! not connections: nothing in that request says who connected, and its path is not always
//! the one the provider called. [`from_api_gateway`] fills both in, before the router and the
//! [`WebhookVerifyLayer`](hookwarden_tower::WebhookVerifyLayer) see the request:
//!
//! - **The peer**: the source IP of the TCP connection to API Gateway, from the event's request
//!   context (`requestContext.identity.sourceIp` in REST API events, payload 1.0;
//!   `requestContext.http.sourceIp` in HTTP API and Function URL events, payload 2.0), as a
//!   [`ConnectionInfo`] marked TLS: API Gateway and Function URLs accept HTTPS only. Without
//!   it, an [IP allowlist](hookwarden::Endpoint::ip_allowlist) answers every delivery
//!   `500 peer_unknown`, and [`require_https`](hookwarden::Endpoint::require_https) refuses
//!   every one. `X-Forwarded-For` is never read: the client writes its first entries.
//! - **The path**: the event's own path (`path` in REST API events, `rawPath` in payload 2.0),
//!   without the stage `lambda_http` puts in front of it (see [`event_path`]), so that routes
//!   do not depend on the stage and the URL a provider signed is
//!   [`public_origin`](hookwarden::Endpoint::public_origin) followed by this path.

use std::net::{IpAddr, SocketAddr};

use hookwarden_tower::ConnectionInfo;
use lambda_http::http::uri::{PathAndQuery, Uri};
use lambda_http::request::RequestContext;
use lambda_http::{Request, RequestExt};

/// Prepares a request `lambda_http` converted from an API Gateway or Function URL event for the
/// webhook layer: inserts its [`connection_info`] and puts back the [`event_path`].
///
/// Put it in front of the whole app, as `lambda_http::run` hands requests over:
///
/// ```
/// use aws_lambda::api_gateway::from_api_gateway;
/// use tower::ServiceBuilder;
///
/// let router: axum::Router = axum::Router::new(); // .route(..).route_layer(WebhookVerifyLayer::new(..))
/// let service = ServiceBuilder::new().map_request(from_api_gateway as fn(_) -> _).service(router);
/// // lambda_http::run(service).await
/// # let _ = service;
/// ```
pub fn from_api_gateway(mut request: Request) -> Request {
    if let Some(info) = connection_info(&request) {
        request.extensions_mut().insert(info);
    }
    if let Some(path_and_query) = event_path(&request) {
        let mut parts = request.uri().clone().into_parts();
        parts.path_and_query = Some(path_and_query);
        if let Ok(uri) = Uri::from_parts(parts) {
            *request.uri_mut() = uri;
        }
    }
    request
}

/// The connection the event describes: its source IP (the port is not in the event, and `0`
/// stands for it), over TLS. `None` for a request that did not come from API Gateway or a
/// Function URL, or whose source IP does not parse (the SAM CLI and hand-written test events
/// can carry anything there).
pub fn connection_info(request: &Request) -> Option<ConnectionInfo> {
    let source_ip = match request.request_context_ref()? {
        RequestContext::ApiGatewayV1(context) => context.identity.source_ip.as_deref(),
        RequestContext::ApiGatewayV2(context) => context.http.source_ip.as_deref(),
        _ => None,
    }?;
    let ip: IpAddr = source_ip.parse().ok()?;
    Some(ConnectionInfo::new(SocketAddr::new(ip, 0)).tls(true))
}

/// The request's path and query with the stage taken back off, when `lambda_http` put it in
/// front of the event's path; `None` when the request already has the event's path.
///
/// `lambda_http` 1.x starts the path with `/{stage}` whenever the event names a stage other
/// than `$default` and its path does not already start with it (unless
/// `AWS_LAMBDA_HTTP_IGNORE_STAGE_IN_PATH` is set). Then a REST API's stage `prod` turns the
/// event's `/webhooks/stripe` into `/prod/webhooks/stripe`, and on a custom domain, whose URLs
/// have no stage, into a path no provider ever called. This undoes exactly that, whether or not
/// the variable is set: the request keeps the event's path, percent-encoded as `lambda_http`
/// encoded it, and the query `lambda_http` rebuilt.
pub fn event_path(request: &Request) -> Option<PathAndQuery> {
    let stage = match request.request_context_ref()? {
        RequestContext::ApiGatewayV1(context) => context.stage.as_deref(),
        RequestContext::ApiGatewayV2(context) => context.stage.as_deref(),
        _ => None,
    }
    .filter(|stage| !stage.is_empty() && *stage != "$default")?;
    let prefix = format!("/{stage}");
    // An event path that starts with the stage is kept as it is by lambda_http.
    if request.raw_http_path().strip_prefix(&prefix).is_some_and(|rest| rest.starts_with('/')) {
        return None;
    }
    let rest = request.uri().path().strip_prefix(&prefix).filter(|rest| rest.starts_with('/'))?;
    let path_and_query = match request.uri().query() {
        Some(query) => format!("{rest}?{query}"),
        None => rest.to_owned(),
    };
    PathAndQuery::try_from(path_and_query).ok()
}
