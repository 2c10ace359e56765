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
