//! Blocking calls for programs without an async runtime (feature `blocking`).
//!
//! Generated `blocking::Client`s hand each async call to [`block_on`], which runs it on one
//! executor shared by the whole process, started on first use: the same call path (signing,
//! retries, rate limits, tracing) as async code, with one background thread for I/O and
//! timers.

use std::future::Future;
use std::sync::OnceLock;

use crate::error::{BlockingError, Error, ErrorKind};

/// The process's executor for blocking calls, or why it could not start.
fn executor() -> Result<&'static tokio::runtime::Runtime, BlockingError> {
    static EXECUTOR: OnceLock<Result<tokio::runtime::Runtime, String>> = OnceLock::new();
    EXECUTOR
        .get_or_init(|| {
            tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .thread_name("tencentcloud-blocking")
                .enable_all()
                .build()
                .map_err(|e| e.to_string())
        })
        .as_ref()
        .map_err(|reason| BlockingError::NoExecutor {
            reason: reason.clone(),
        })
}

/// Runs `call` to completion on the calling thread. Called from inside an async runtime,
/// where blocking would stall the executor (or panic), it returns
/// [`BlockingError::InsideAsyncRuntime`] without running the call.
pub fn block_on<T, E>(call: impl Future<Output = Result<T, Error<E>>>) -> Result<T, Error<E>> {
    if tokio::runtime::Handle::try_current().is_ok() {
        return Err(ErrorKind::Blocking(BlockingError::InsideAsyncRuntime).into());
    }
    let executor = executor().map_err(|e| Error::from(ErrorKind::Blocking(e)))?;
    executor.block_on(call)
}

/// A stream's items for programs without an async runtime: an iterator whose `next` blocks
/// until the next item arrives (or the stream ends). The blocking clients return one for
/// each event stream ([`Events`]) and each listing ([`Pages`]).
pub struct Iter<S> {
    stream: S,
    /// Set once the executor refused to run: the error is yielded once, then the end.
    refused: bool,
}

/// The events of a streaming call, one at a time.
pub type Events<T, E> = Iter<crate::EventStream<T, E>>;
/// The pages or items of a listing, one at a time.
pub type Pages<T, E> = Iter<crate::Paged<T, E>>;

impl<S> Iter<S> {
    /// Iterates `stream` on the blocking executor.
    pub fn new(stream: S) -> Self {
        Self {
            stream,
            refused: false,
        }
    }
}

impl<T, E> Iter<crate::EventStream<T, E>> {
    /// The RequestId of the response.
    pub fn request_id(&self) -> &str {
        self.stream.request_id()
    }
}

impl<S, T, E> Iterator for Iter<S>
where
    S: futures_core::Stream<Item = Result<T, Error<E>>> + Unpin,
{
    type Item = Result<T, Error<E>>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.refused {
            return None;
        }
        let stream = &mut self.stream;
        let next = std::future::poll_fn(|cx| std::pin::Pin::new(&mut *stream).poll_next(cx));
        match block_on(async { Ok::<_, Error<E>>(next.await) }) {
            Ok(item) => item,
            Err(error) => {
                self.refused = true;
                Some(Err(error))
            }
        }
    }
}

impl<S: std::fmt::Debug> std::fmt::Debug for Iter<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&self.stream, f)
    }
}
