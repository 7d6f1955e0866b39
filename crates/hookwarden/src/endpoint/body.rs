//! Step 2, the body read: under the limit, and within the deadline.
//!
//! The reading itself is the adapter's (each framework streams bodies its own way); what a read
//! may take, and what it answers when it takes too much, is decided here for every adapter.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use tracing::Span;

use super::{Admission, Endpoint, Rejection};
use crate::error::VerifyError;

/// The most a read reserves up front, whatever `Content-Length` claims: a sender that declares
/// a large body and sends a few bytes must not make the receiver allocate the limit.
const MAX_RESERVE: u64 = 64 * 1024;

/// A body as it arrives, chunk by chunk, under the endpoint's [limit](Endpoint::body_limit).
///
/// A body that arrives in one chunk (the usual case for a delivery) is kept as it is, without
/// a copy; several chunks are joined into one buffer, the one copy there is. `C` is the
/// framework's chunk type (`bytes::Bytes` for hyper and actix-web).
///
/// ```
/// use hookwarden::{Endpoint, Verifier, endpoint::Head, preset::GitHub};
///
/// let verifier = Verifier::builder(GitHub).secret("It's a Secret to Everybody").build()?;
/// let endpoint = Endpoint::new(verifier).body_limit(8);
/// let headers: [(&str, &str); 0] = [];
/// let admission = endpoint.admit(&Head::new("POST", "/", &headers))?;
///
/// let mut body = endpoint.body_buffer::<Vec<u8>>(&admission);
/// body.push(b"hello".to_vec())?;
/// assert_eq!(body.push(b" world".to_vec()).unwrap_err().reason(), "body_too_large");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct BodyBuffer<C> {
    limit: u64,
    declared: Option<u64>,
    len: u64,
    first: Option<C>,
    joined: Vec<u8>,
}

impl<C: AsRef<[u8]> + From<Vec<u8>>> BodyBuffer<C> {
    /// Adds the next chunk.
    ///
    /// # Errors
    ///
    /// `body_too_large` as soon as the body runs over the limit: stop reading, and answer it
    /// through [`Endpoint::reject`].
    pub fn push(&mut self, chunk: C) -> Result<(), VerifyError> {
        let bytes = chunk.as_ref();
        if bytes.is_empty() {
            return Ok(());
        }
        self.len = self.len.saturating_add(bytes.len() as u64);
        if self.len > self.limit {
            Span::current().record("body_len", self.len);
            return Err(VerifyError::BodyTooLarge { limit: self.limit });
        }
        match self.first.take() {
            None if self.joined.is_empty() => self.first = Some(chunk),
            None => self.joined.extend_from_slice(bytes),
            Some(first) => {
                let reserve = self.declared.unwrap_or(0).min(MAX_RESERVE).max(self.len);
                self.joined.reserve_exact(usize::try_from(reserve).unwrap_or(0));
                self.joined.extend_from_slice(first.as_ref());
                self.joined.extend_from_slice(bytes);
            }
        }
        Ok(())
    }

    /// The whole body.
    pub fn finish(self) -> C {
        match self.first {
            Some(only) => only,
            None => C::from(self.joined),
        }
    }
}

impl Endpoint {
    /// An empty [`BodyBuffer`] for the delivery `admission` let in, under the body limit.
    pub fn body_buffer<C>(&self, admission: &Admission) -> BodyBuffer<C> {
        BodyBuffer {
            limit: self.settings.body_limit,
            declared: admission.declared_len(),
            len: 0,
            first: None,
            joined: Vec::new(),
        }
    }

    /// Step 2: runs the adapter's body `read` within the [body deadline](Self::body_timeout),
    /// counted from its first poll, and turns what it failed with into the rejection to answer
    /// (`413 body_too_large`, `400 body_unreadable`, `408 body_timeout` when time ran out).
    ///
    /// `sleep` makes the runtime's timer (`tokio::time::sleep`, say). It is called only when
    /// the body is not complete on the first poll: a delivery that arrived with its headers, or
    /// a body already in memory, costs no timer and needs no runtime.
    ///
    /// # Errors
    ///
    /// The read's error, or `body_timeout`, as a [`Rejection`].
    pub fn read_within<T, F, S, M>(&self, read: F, sleep: M) -> impl Future<Output = Result<T, Rejection>>
    where
        F: Future<Output = Result<T, VerifyError>>,
        S: Future<Output = ()>,
        M: FnOnce(Duration) -> S,
    {
        ReadWithin { endpoint: self, read, timer: None, sleep: Some(sleep) }
    }
}

pin_project_lite::pin_project! {
    /// [`Endpoint::read_within`]'s future. Written out rather than `async`: nested `async` fns
    /// each keep their own copy of the read, and this future lives in every request's.
    struct ReadWithin<'a, F, S, M> {
        endpoint: &'a Endpoint,
        #[pin]
        read: F,
        #[pin]
        timer: Option<S>,
        sleep: Option<M>,
    }
}

impl<T, F, S, M> Future for ReadWithin<'_, F, S, M>
where
    F: Future<Output = Result<T, VerifyError>>,
    S: Future<Output = ()>,
    M: FnOnce(Duration) -> S,
{
    type Output = Result<T, Rejection>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut this = self.project();
        if let Poll::Ready(read) = this.read.poll(cx) {
            return Poll::Ready(read.map_err(|error| this.endpoint.reject(error)));
        }
        let Some(deadline) = this.endpoint.settings.body_timeout else { return Poll::Pending };
        if let Some(sleep) = this.sleep.take() {
            this.timer.set(Some(sleep(deadline)));
        }
        match this.timer.as_pin_mut().map(|timer| timer.poll(cx)) {
            Some(Poll::Ready(())) => {
                Poll::Ready(Err(this.endpoint.reject(VerifyError::BodyTimeout { after: deadline })))
            }
            _ => Poll::Pending,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::pin::pin;
    use std::task::Waker;

    use super::*;
    use crate::preset::GitHub;
    use crate::{Verifier, endpoint::Head};

    fn endpoint() -> Endpoint {
        Endpoint::new(Verifier::builder(GitHub).secret("It's a Secret to Everybody").build().unwrap())
    }

    fn buffer(endpoint: &Endpoint) -> BodyBuffer<Vec<u8>> {
        let headers: [(&str, &str); 0] = [];
        endpoint.body_buffer(&endpoint.admit(&Head::new("POST", "/", &headers)).unwrap())
    }

    #[test]
    fn one_chunk_is_kept_and_several_are_joined() {
        let mut body = buffer(&endpoint());
        body.push(b"one".to_vec()).unwrap();
        assert_eq!(body.finish(), b"one");

        let mut body = buffer(&endpoint());
        for chunk in [&b"a"[..], b"", b"bc", b"d"] {
            body.push(chunk.to_vec()).unwrap();
        }
        assert_eq!(body.finish(), b"abcd");
        assert!(buffer(&endpoint()).finish().is_empty());
    }

    #[test]
    fn the_limit_is_exact() {
        let endpoint = endpoint().body_limit(4);
        let mut body = buffer(&endpoint);
        body.push(b"ab".to_vec()).unwrap();
        body.push(b"cd".to_vec()).unwrap();
        assert_eq!(body.push(b"e".to_vec()), Err(VerifyError::BodyTooLarge { limit: 4 }));
    }

    #[test]
    fn a_complete_read_makes_no_timer() {
        let endpoint = endpoint();
        let read = endpoint.read_within(async { Ok(7) }, |_| -> std::future::Ready<()> {
            panic!("a timer was made for a complete body")
        });
        let polled = pin!(read).poll(&mut Context::from_waker(Waker::noop()));
        assert_eq!(polled, Poll::Ready(Ok(7)));
    }

    #[test]
    fn a_read_still_pending_when_the_timer_fires_is_a_408() {
        let endpoint = endpoint().body_timeout(Duration::from_secs(3));
        let mut asked = None;
        let read = endpoint.read_within(std::future::pending::<Result<(), _>>(), |deadline| {
            asked = Some(deadline);
            std::future::ready(())
        });
        let Poll::Ready(Err(rejection)) = pin!(read).poll(&mut Context::from_waker(Waker::noop())) else {
            panic!("the read did not end when its timer fired");
        };
        assert_eq!((rejection.status(), rejection.reason()), (408, "body_timeout"));
        assert_eq!(asked, Some(Duration::from_secs(3)));
    }

    #[test]
    fn without_a_deadline_no_timer_is_made() {
        let endpoint = endpoint().no_body_timeout();
        let read = endpoint
            .read_within(std::future::pending::<Result<(), _>>(), |_| -> std::future::Ready<()> {
                panic!("a timer was made without a deadline")
            });
        assert!(pin!(read).poll(&mut Context::from_waker(Waker::noop())).is_pending());
    }
}
