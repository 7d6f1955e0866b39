//! The request body handed to the inner service, and the response body the layer returns.

use std::convert::Infallible;
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use http_body::{Body, Frame, SizeHint};
use http_body_util::{Either, Full};

/// The verified request body: the bytes exactly as received, in one frame.
///
/// The layer reads the body once, verifies it, and hands these same bytes (no second copy) to
/// the inner service, so axum's `Bytes`, `String` and `Json<T>` extractors work downstream.
///
/// # Example
///
/// ```
/// use hookwarden_tower::VerifiedBody;
///
/// let body = VerifiedBody::new(bytes::Bytes::from_static(b"{}"));
/// assert_eq!(body.into_bytes().as_ref(), b"{}");
/// ```
#[derive(Default)]
pub struct VerifiedBody {
    data: Option<Bytes>,
}

impl VerifiedBody {
    /// A body holding `bytes`.
    pub fn new(bytes: Bytes) -> Self {
        Self { data: (!bytes.is_empty()).then_some(bytes) }
    }

    /// The bytes, without polling: for services that are not built on a framework.
    pub fn into_bytes(self) -> Bytes {
        self.data.unwrap_or_default()
    }

    /// The bytes not yet read, without taking them.
    pub fn as_bytes(&self) -> &[u8] {
        self.data.as_deref().unwrap_or_default()
    }
}

impl Body for VerifiedBody {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Self::Data>, Self::Error>>> {
        Poll::Ready(self.get_mut().data.take().map(|data| Ok(Frame::data(data))))
    }

    fn is_end_stream(&self) -> bool {
        self.data.is_none()
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.data.as_ref().map_or(0, |data| data.len() as u64))
    }
}

impl fmt::Debug for VerifiedBody {
    /// The length only: a body never appears in logs.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VerifiedBody").field("len", &self.as_bytes().len()).finish()
    }
}

/// The response body of [`WebhookVerify`](crate::WebhookVerify): the inner service's body
/// (`Left`), or the small body of a rejection or of an endpoint check's answer (`Right`).
pub type ResponseBody<B> = Either<B, Full<Bytes>>;

#[cfg(test)]
mod tests {
    use super::*;
    use http_body_util::BodyExt;

    #[test]
    fn verified_body_is_one_frame_of_the_same_bytes() {
        let bytes = Bytes::from_static(b"\xff\x00 not utf-8");
        let body = VerifiedBody::new(bytes.clone());
        assert_eq!(body.size_hint().exact(), Some(bytes.len() as u64));
        let collected = futures_lite_block_on(body.collect()).unwrap().to_bytes();
        assert_eq!(collected, bytes);
        // Same allocation: no copy was made.
        assert_eq!(collected.as_ptr(), bytes.as_ptr());
    }

    #[test]
    fn empty_bodies_end_at_once() {
        assert!(VerifiedBody::new(Bytes::new()).is_end_stream());
    }

    fn futures_lite_block_on<F: std::future::Future>(future: F) -> F::Output {
        let mut future = std::pin::pin!(future);
        let mut cx = Context::from_waker(std::task::Waker::noop());
        loop {
            if let Poll::Ready(out) = future.as_mut().poll(&mut cx) {
                return out;
            }
        }
    }
}
