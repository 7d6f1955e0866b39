//! The response future.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use http::Response;
use tracing::Instrument as _;
use tracing::instrument::Instrumented;

use crate::body::ResponseBody;

type Deliver<B, E> = Pin<Box<dyn Future<Output = Result<Response<ResponseBody<B>>, E>> + Send>>;

/// The response future of [`WebhookVerify`](crate::WebhookVerify).
///
/// Dropping it (the client went away) releases the delivery's replay claim, so the sender's
/// retry is processed.
pub struct ResponseFuture<B, E> {
    // The span wraps the box rather than going in it: the delivery's future is then moved once,
    // into the box, not first into the wrapper.
    inner: Instrumented<Deliver<B, E>>,
}

impl<B, E> ResponseFuture<B, E> {
    pub(crate) fn new(deliver: Deliver<B, E>, span: tracing::Span) -> Self {
        Self { inner: deliver.instrument(span) }
    }
}

impl<B, E> Future for ResponseFuture<B, E> {
    type Output = Result<Response<ResponseBody<B>>, E>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        Pin::new(&mut self.inner).poll(cx)
    }
}

impl<B, E> fmt::Debug for ResponseFuture<B, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResponseFuture").finish_non_exhaustive()
    }
}
