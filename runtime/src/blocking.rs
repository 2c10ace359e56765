//! Blocking calls for programs without an async runtime (feature `blocking`).
//!
//! Generated `blocking::Client`s hand each async call to [`block_on`], which runs it on one
//! executor shared by the whole process, started on first use: the same call path (signing,
//! retries, rate limits, tracing) as async code, with one background thread for I/O and
//! timers.

use std::future::Future;
use std::sync::OnceLock;

use crate::error::{BlockingError, Error};

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
        return Err(Error::Blocking(BlockingError::InsideAsyncRuntime));
    }
    let executor = executor().map_err(Error::Blocking)?;
    executor.block_on(call)
}

/// The events of a streaming call, for programs without an async runtime: an iterator
/// whose `next` blocks until the next event arrives (or the stream ends).
pub struct Events<T, E> {
    stream: crate::EventStream<T, E>,
    /// Set once the executor refused to run: the error is yielded once, then the end.
    refused: bool,
}

impl<T, E> Events<T, E> {
    /// Iterates `stream` on the blocking executor.
    pub fn new(stream: crate::EventStream<T, E>) -> Self {
        Self {
            stream,
            refused: false,
        }
    }

    /// The RequestId of the answer.
    pub fn request_id(&self) -> &str {
        self.stream.request_id()
    }
}

impl<T, E> Iterator for Events<T, E> {
    type Item = Result<T, Error<E>>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.refused {
            return None;
        }
        let stream = &mut self.stream;
        let next = std::future::poll_fn(|cx| {
            futures_core::Stream::poll_next(std::pin::Pin::new(&mut *stream), cx)
        });
        match block_on(async { Ok::<_, Error<E>>(next.await) }) {
            Ok(item) => item,
            Err(error) => {
                self.refused = true;
                Some(Err(error))
            }
        }
    }
}

impl<T, E> std::fmt::Debug for Events<T, E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&self.stream, f)
    }
}
