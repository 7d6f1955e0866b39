//! [`WebhookTx`] as an actix-web extractor.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::{Error, FromRequest, HttpRequest, HttpResponse, ResponseError};
use hookwarden::VerifyError;
use hookwarden_actix::{Webhook, WebhookVerify};

use crate::{CommitError, PostgresStore, WebhookTx};

impl<T: FromRequest + 'static> FromRequest for WebhookTx<T> {
    type Error = Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let webhook = Webhook::<T>::from_request(req, payload);
        let store = req.app_data::<PostgresStore>().cloned();
        let verify = req.app_data::<WebhookVerify>().cloned();
        Box::pin(async move {
            let (payload, verified, claim) = webhook.await?.0.into_parts();
            let (Some(claim), Some(store), Some(verify)) = (claim, store, verify) else {
                tracing::error!(
                    "WebhookTx found no claim or no PostgresStore in the app data: give the endpoint the store, add the store with App::app_data, and do not wrap this route in the middleware"
                );
                return Err(NotClaimed.into());
            };
            match store.begin(claim).await {
                Ok(tx) => Ok(Self { verified, payload, tx }),
                Err(error) => {
                    tracing::warn!(error = %error, "could not begin the delivery's transaction");
                    Err(verify.reject(VerifyError::StoreUnavailable))
                }
            }
        })
    }
}

/// The delivery was verified but not claimed: `500 {"reason":"not_claimed"}`.
#[derive(Debug)]
struct NotClaimed;

impl std::fmt::Display for NotClaimed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the delivery was not claimed: no replay store, or the middleware settles it")
    }
}

impl ResponseError for NotClaimed {
    fn status_code(&self) -> StatusCode {
        StatusCode::INTERNAL_SERVER_ERROR
    }

    fn error_response(&self) -> HttpResponse {
        reason_response(self.status_code(), "not_claimed")
    }
}

/// Answers a [`CommitError`] with its status and `{"reason":"<code>"}` (409 with
/// `Retry-After: 5`, like `in_flight`).
impl ResponseError for CommitError {
    fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.status()).unwrap_or(StatusCode::SERVICE_UNAVAILABLE)
    }

    fn error_response(&self) -> HttpResponse {
        tracing::warn!(error = %self, "the delivery's transaction did not commit");
        let mut response = reason_response(self.status_code(), self.reason());
        if self.status_code() == StatusCode::CONFLICT {
            response.headers_mut().insert(
                actix_web::http::header::RETRY_AFTER,
                actix_web::http::header::HeaderValue::from_static("5"),
            );
        }
        response
    }
}

fn reason_response(status: StatusCode, reason: &'static str) -> HttpResponse {
    HttpResponse::build(status).content_type("application/json").body(format!(r#"{{"reason":"{reason}"}}"#))
}
