//! A webhook receiver on AWS Lambda: Stripe and Square deliveries verified by
//! [`hookwarden_tower::WebhookVerifyLayer`] on an axum router, run by `lambda_http` behind API
//! Gateway (REST or HTTP API) or a Function URL.
//!
//! [`app`] is the whole service `lambda_http::run` gets; [`api_gateway::from_api_gateway`]
//! is the plumbing that tells the layer the peer address and the event's path;
//! [`Webhooks::from_lookup`] reads the configuration. `src/main.rs` builds them once per
//! execution environment. The example's `README.md` explains the deployment: which URL to
//! register, which `PUBLIC_ORIGIN` goes with it, and which replay store fits Lambda.

pub mod api_gateway;

use std::sync::Arc;

use axum::http::StatusCode;
use axum::routing::post;
use axum::{Extension, Json, Router};
use hookwarden::preset::{Square, Stripe};
use hookwarden::{Endpoint, ReplayStore, Verified, Verifier};
use hookwarden_tower::WebhookVerifyLayer;
use lambda_http::Request;
use serde::Deserialize;
use tower::ServiceBuilder;
use tower::util::MapRequest;

/// The service `lambda_http::run` gets: the router behind the
/// [API Gateway plumbing](api_gateway::from_api_gateway).
pub type App = MapRequest<Router, fn(Request) -> Request>;

/// The webhook routes this function serves, each with its endpoint (verifier, replay store,
/// access controls, public origin). A route without an endpoint is not mounted.
#[derive(Debug, Default)]
pub struct Webhooks {
    /// `POST /webhooks/stripe`.
    pub stripe: Option<Endpoint>,
    /// `POST /webhooks/square`. Square signs the notification URL, so this endpoint needs a
    /// [`public_origin`](Endpoint::public_origin).
    pub square: Option<Endpoint>,
}

impl Webhooks {
    /// Reads the configuration through `var` (`std::env::var` in `main`), with `store` as
    /// every endpoint's replay store:
    ///
    /// | variable | what |
    /// |---|---|
    /// | `STRIPE_WEBHOOK_SECRET` | the Stripe endpoint's signing secret (`whsec_...`): mounts `/webhooks/stripe` |
    /// | `STRIPE_WEBHOOK_SECRET_PREVIOUS` | the previous one, while rolling the secret |
    /// | `STRIPE_ALLOWED_IPS` | optional: only these addresses or CIDR ranges may deliver (Stripe lists its webhook IPs at <https://docs.stripe.com/ips>) |
    /// | `SQUARE_SIGNATURE_KEY` | the Square subscription's signature key: mounts `/webhooks/square` |
    /// | `PUBLIC_ORIGIN` | what comes before the path in the URL registered with the provider (see the README); required with Square |
    ///
    /// # Errors
    ///
    /// A message naming the variable that is missing or unusable.
    pub fn from_lookup(
        store: Arc<dyn ReplayStore>,
        var: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, String> {
        let public_origin = var("PUBLIC_ORIGIN");
        let mut webhooks = Self::default();

        if let Some(secret) = var("STRIPE_WEBHOOK_SECRET") {
            let mut builder = Verifier::builder(Stripe).key("current", secret);
            if let Some(previous) = var("STRIPE_WEBHOOK_SECRET_PREVIOUS") {
                builder = builder.key("previous", previous);
            }
            let verifier =
                builder.build().map_err(|error| format!("STRIPE_WEBHOOK_SECRET is unusable: {error}"))?;
            let mut endpoint = Endpoint::new(verifier).replay_store(Arc::clone(&store));
            if let Some(ranges) = var("STRIPE_ALLOWED_IPS") {
                let ranges = ranges
                    .parse::<hookwarden::access::IpRanges>()
                    .map_err(|error| format!("STRIPE_ALLOWED_IPS is unusable: {error}"))?;
                endpoint = endpoint.ip_allowlist(ranges);
            }
            webhooks.stripe = Some(endpoint);
        }

        if let Some(key) = var("SQUARE_SIGNATURE_KEY") {
            let origin = public_origin.clone().ok_or(
                "PUBLIC_ORIGIN is not set: Square signs the notification URL, so the function must \
                 know it (e.g. https://abc123.execute-api.us-east-1.amazonaws.com/prod for a REST API \
                 stage, or https://hooks.example.com; see the example's README)",
            )?;
            let verifier = Verifier::builder(Square)
                .secret(key)
                .build()
                .map_err(|error| format!("SQUARE_SIGNATURE_KEY is unusable: {error}"))?;
            webhooks.square =
                Some(Endpoint::new(verifier).replay_store(Arc::clone(&store)).public_origin(origin));
        }

        if webhooks.stripe.is_none() && webhooks.square.is_none() {
            return Err(
                "no webhook configured: set STRIPE_WEBHOOK_SECRET, SQUARE_SIGNATURE_KEY or both".into()
            );
        }
        Ok(webhooks)
    }
}

/// The whole service: the [`router`] behind the
/// [API Gateway plumbing](api_gateway::from_api_gateway).
pub fn app(webhooks: Webhooks) -> App {
    ServiceBuilder::new()
        .map_request(api_gateway::from_api_gateway as fn(Request) -> Request)
        .service(router(webhooks))
}

/// The webhook routes, each behind its [`WebhookVerifyLayer`] (`route_layer`: an unknown path
/// stays a 404). It needs the [plumbing](api_gateway::from_api_gateway) in front of it.
pub fn router(webhooks: Webhooks) -> Router {
    let mut router = Router::new();
    if let Some(endpoint) = webhooks.stripe {
        router = router
            .route("/webhooks/stripe", post(stripe_event).route_layer(WebhookVerifyLayer::new(endpoint)));
    }
    if let Some(endpoint) = webhooks.square {
        router = router
            .route("/webhooks/square", post(square_event).route_layer(WebhookVerifyLayer::new(endpoint)));
    }
    router
}

/// The part of a Stripe event this handler reads.
#[derive(Debug, Deserialize)]
struct StripeEvent {
    id: String,
    r#type: String,
}

/// Only authentic, fresh, first-time deliveries get here, with the body exactly as signed.
async fn stripe_event(
    Extension(verified): Extension<Verified>,
    Json(event): Json<StripeEvent>,
) -> (StatusCode, Json<serde_json::Value>) {
    tracing::info!(event = %event.id, r#type = %event.r#type, key = verified.key_id(), "stripe event");
    // Do the work here. Answer 5xx when it fails: the claim is released and Stripe's retry is
    // processed. A 2xx commits the claim, and copies of this event are acknowledged unprocessed.
    (StatusCode::OK, Json(serde_json::json!({ "processed": event.id })))
}

/// The part of a Square event this handler reads.
#[derive(Debug, Deserialize)]
struct SquareEvent {
    event_id: String,
    r#type: String,
    merchant_id: Option<String>,
}

/// Square signs no timestamp: only the replay store (on `event_id`) keeps a captured delivery
/// from being processed twice.
async fn square_event(Json(event): Json<SquareEvent>) -> (StatusCode, Json<serde_json::Value>) {
    tracing::info!(event = %event.event_id, r#type = %event.r#type, merchant = ?event.merchant_id, "square event");
    (StatusCode::OK, Json(serde_json::json!({ "processed": event.event_id })))
}
