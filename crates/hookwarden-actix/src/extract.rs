//! [`Webhook<T>`]: the extractor, for handlers that prefer one to the middleware.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::error::InternalError;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{Error, FromRequest, HttpMessage as _, HttpRequest, HttpResponse};
use hookwarden::endpoint::Extracted;
use hookwarden::{Endpoint, Verified};
use tracing::{Instrument as _, Span};

use crate::accept::{Accepted, read_and_verify};
use crate::middleware::WebhookVerify;

/// A verified delivery, extracted as `T` (`web::Json<E>`, `web::Bytes`, `String`, ...).
///
/// On a route wrapped in the [`WebhookVerify`] middleware it reuses the middleware's work: the
/// delivery was already verified and claimed, and the middleware commits or releases the claim.
///
/// On its own, it needs the [`WebhookVerify`] configuration in the app data
/// (`App::app_data(verify.clone())`, built once outside `HttpServer::new`). It then applies the
/// access controls, reads the body under the limit and within the deadline, verifies it, and
/// rejects exactly as the middleware does, with the same statuses and bodies, before `T` is
/// extracted from the same bytes. With
/// [`answer_handshakes`](hookwarden::Endpoint::answer_handshakes) it answers endpoint checks
/// itself, and the handler is not called.
///
/// `T` keeps its own size limit (`web::Bytes` and `String` 256 KiB, `web::Json` 2 MiB unless the
/// app configures them); behind the middleware it is raised to the middleware's limit.
///
/// With a replay store configured, an extractor used on its own claims the delivery and holds
/// the claim: call [`commit`](Extracted::commit) once the delivery is handled. A claim that is not
/// committed is released when the `Webhook` is dropped (the handler failed, panicked, or
/// returned early), so the sender's retry is processed. The middleware does this for you, from
/// the handler's status, which is why it is the recommended way.
///
/// # Example
///
/// ```no_run
/// use actix_web::{App, HttpResponse, HttpServer, web};
/// use hookwarden::{Endpoint, MemoryStore, Verifier, preset::StandardWebhooks};
/// use hookwarden_actix::{Webhook, WebhookVerify};
///
/// async fn receive(Webhook(mut event): Webhook<web::Json<serde_json::Value>>) -> actix_web::Result<HttpResponse> {
///     println!("{} signed by key {}", event.payload["type"], event.verified.key_id());
///     event.commit().await.map_err(actix_web::error::ErrorServiceUnavailable)?;
///     Ok(HttpResponse::NoContent().finish())
/// }
///
/// #[actix_web::main]
/// async fn main() -> Result<(), Box<dyn std::error::Error>> {
///     let verifier = Verifier::builder(StandardWebhooks).secret(std::env::var("WEBHOOK_SECRET")?).build()?;
///     let verify = WebhookVerify::new(Endpoint::new(verifier).replay_store(MemoryStore::new()));
///     HttpServer::new(move || {
///         App::new().app_data(verify.clone()).route("/webhooks", web::post().to(receive))
///     })
///     .bind(("127.0.0.1", 8080))?
///     .run()
///     .await?;
///     Ok(())
/// }
/// ```
///
/// It gives the handler what the axum extractor (`hookwarden_tower::Webhook`) gives: the core's
/// [`Extracted`], with the [`Verified`], the payload and the claim: `Webhook(delivery)`.
#[derive(Debug)]
pub struct Webhook<T>(pub Extracted<T>);

impl<T> FromRequest for Webhook<T>
where
    T: FromRequest + 'static,
{
    type Error = Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let mut payload = payload.take();
        Box::pin(async move {
            // Behind the middleware: verified, claimed, and the body already put back.
            let verified = req.extensions().get::<Verified>().cloned();
            if let Some(verified) = verified {
                let extracted = T::from_request(&req, &mut payload).await.map_err(Into::into)?;
                return Ok(Self(Extracted::new(verified, extracted, None)));
            }
            let Some(config) = req.app_data::<WebhookVerify>().cloned() else {
                return Err(not_configured());
            };
            extract(config, req, payload).instrument(Endpoint::span()).await
        })
    }
}

async fn extract<T: FromRequest>(
    config: WebhookVerify,
    req: HttpRequest,
    mut payload: Payload,
) -> Result<Webhook<T>, Error> {
    let (body, verified, claim) =
        match read_and_verify(&config, &req, &mut payload).await.map_err(|r| config.refuse(r))? {
            Accepted::Event { body, verified, claim } => (body, verified, claim),
            // The answer goes out as the extraction's "error": the handler is not called.
            #[cfg(feature = "handshakes")]
            Accepted::Handshake(answer) => {
                return Err(InternalError::from_response("endpoint check answered", answer).into());
            }
        };
    let payload = T::from_request(&req, &mut Payload::from(body)).await.map_err(Into::into)?;
    Span::current().record("outcome", "processed");
    Ok(Webhook(Extracted::new(verified, payload, claim)))
}

/// Neither the middleware nor the configuration is there: a mistake in the app, not the
/// sender's, so a 500 that says nothing more and a log line that says what to do.
fn not_configured() -> Error {
    tracing::error!(
        "hookwarden_actix::Webhook needs a WebhookVerify: wrap the route in it, \
         or register it with App::app_data(verify.clone())"
    );
    let response = HttpResponse::InternalServerError()
        .insert_header((header::CONTENT_TYPE, HeaderValue::from_static("application/json")))
        .body(r#"{"reason":"not_configured"}"#);
    InternalError::from_response("no WebhookVerify configuration for the Webhook extractor", response).into()
}
