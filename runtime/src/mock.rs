//! A test double for code that calls a generated client: typed responses and errors queued per
//! action, and the typed requests the code sent, with no network and no signing.
//!
//! ```
//! use tencentcloud_runtime::mock::Mock;
//! use tencentcloud_runtime::Config;
//!
//! let mock = Mock::new();
//! let config = Config::builder().mock(mock.clone()).build().unwrap();
//! // Client::new(config) for the generated client of your choice, then, in the test:
//! // mock.respond_to::<DescribeInstancesRequest>(DescribeInstancesResponse::default().with_total_count(1));
//! // mock.error_to::<RunInstancesRequest>(RunInstancesError::InvalidImageIdNotFound, "The image cannot be found.");
//! // ... run the code under test ...
//! // let sent: Vec<DescribeInstancesRequest> = mock.requests_of::<DescribeInstancesRequest>();
//! assert!(mock.calls().is_empty());
//! ```
//!
//! The typed methods (`respond_to`, `error_to`, `requests_of`) are keyed by the request type,
//! which names its action: a misspelt action or a response of another action does not
//! compile. The string forms (`respond`, `error`, `requests`) remain for actions called by
//! name.
//!
//! Each queued reply answers one call of its action, in order; a call with none left fails
//! with the service error `InvalidAction`, as the local endpoint does, so a test sees an
//! unexpected call instead of a made-up response. A listing (`_pages`, `_items`) takes the
//! action's queued responses as its pages, in order, and ends when they run out; a `_stream`
//! method takes them as its events. What goes over the wire (signatures, retries, timeouts,
//! a stream broken half-way) is for the local endpoint (`tencentcloud_runtime::local`, with
//! the feature `local-endpoint`).

use std::any::{type_name, Any};
use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};

use crate::call::action::Operation;
use crate::error::{ErrorCode, ErrorKind, InvalidResponse};

/// Typed responses per action, and the requests received. Cheap to clone: the clones share
/// one state, so a test keeps one and gives another to the `Config`.
#[derive(Clone, Default)]
pub struct Mock {
    state: Arc<Mutex<MockState>>,
}

#[derive(Default)]
struct MockState {
    replies: HashMap<String, VecDeque<Queued>>,
    requests: Vec<(String, Box<dyn Any + Send>)>,
}

enum Queued {
    Answer(Fill, &'static str),
    Error { code: String, message: String },
}

/// A queued response, put into the slot of the call that takes it (an `Option` of the type
/// the call reads) if that is its type. Boxed where the response is queued, so the code that
/// knows the response's type is compiled in the test that queues it, not once per action in
/// the SDK's crate.
pub(crate) type Fill = crate::call::slot::Boxed;

/// The `RequestId` of every mocked response and error.
pub const MOCK_REQUEST_ID: &str = "mock-request-id";

impl Mock {
    /// A mock with nothing queued.
    pub fn new() -> Self {
        Self::default()
    }

    fn state(&self) -> MutexGuard<'_, MockState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Queues `response` (the action's response type) as the response to the next call of
    /// `action` that has no earlier reply queued.
    pub fn respond<T: Any + Send>(&self, action: &str, response: T) -> &Self {
        self.queue(action, Queued::Answer(Box::new(response), type_name::<T>()))
    }

    /// Queues the service error `code` with `message` as the response to a call of `action`;
    /// it reaches the caller typed as the action's error enum, as a real one would.
    pub fn error(&self, action: &str, code: &str, message: &str) -> &Self {
        self.queue(
            action,
            Queued::Error {
                code: code.to_owned(),
                message: message.to_owned(),
            },
        )
    }

    fn queue(&self, action: &str, reply: Queued) -> &Self {
        self.state()
            .replies
            .entry(action.to_owned())
            .or_default()
            .push_back(reply);
        self
    }

    /// Queues `response` as the response to the next call of `R`'s action: the typed form
    /// of [`Mock::respond`], where a wrong action or a wrong response type does not compile:
    /// `mock.respond_to::<DescribeInstancesRequest>(DescribeInstancesResponse::default())`.
    pub fn respond_to<R: Operation>(&self, response: R::Response) -> &Self {
        self.respond(R::ACTION, response)
    }

    /// Queues the service error `code` (a variant of the action's error enum, or its
    /// `Common` one) with `message` for the next call of `R`'s action: the typed form of
    /// [`Mock::error`].
    pub fn error_to<R: Operation>(&self, code: R::Error, message: &str) -> &Self {
        self.error(R::ACTION, code.code(), message)
    }

    /// The requests of `R`'s action received so far, in order: the typed form of
    /// [`Mock::requests`].
    pub fn requests_of<R: Operation + Clone>(&self) -> Vec<R> {
        self.requests(R::ACTION)
    }

    /// The requests of `action` received so far, in order, as the request type `R`.
    /// Requests of another type (none, with generated clients) are left out.
    pub fn requests<R: Any + Clone>(&self, action: &str) -> Vec<R> {
        self.state()
            .requests
            .iter()
            .filter(|(name, _)| name == action)
            .filter_map(|(_, request)| request.downcast_ref::<R>().cloned())
            .collect()
    }

    /// The actions called so far, in order.
    pub fn calls(&self) -> Vec<String> {
        self.state()
            .requests
            .iter()
            .map(|(name, _)| name.clone())
            .collect()
    }

    /// Whether `action` has a reply queued.
    pub(crate) fn has_reply(&self, action: &str) -> bool {
        self.state()
            .replies
            .get(action)
            .is_some_and(|queue| !queue.is_empty())
    }

    /// Records `request` and takes the next reply of `action`: a queued response (with its
    /// type's name), or the service error the call gets.
    pub(crate) fn answer(
        &self,
        action: &str,
        request: Box<dyn Any + Send>,
    ) -> Result<(Fill, &'static str), ErrorKind> {
        let reply = {
            let mut state = self.state();
            state.requests.push((action.to_owned(), request));
            state.replies.get_mut(action).and_then(VecDeque::pop_front)
        };
        let service = |code: String, message: String| {
            ErrorKind::service(code, message, MOCK_REQUEST_ID.to_owned())
        };
        match reply {
            None => Err(service(
                "InvalidAction".to_owned(),
                format!("The mock has no response queued for {action}."),
            )),
            Some(Queued::Error { code, message }) => Err(service(code, message)),
            Some(Queued::Answer(answer, queued)) => Ok((answer, queued)),
        }
    }
}

/// A queued response of another type than the call reads.
#[cold]
pub(crate) fn mistyped(action: &str, queued: &str, wanted: &str) -> ErrorKind {
    ErrorKind::InvalidResponse(InvalidResponse::new(
        200,
        None,
        b"",
        format!("the mock's response for {action} is a {queued}, not the {wanted} the call reads"),
    ))
}

/// The replies a mock gives a paged or streamed call of `action`: one a page (or event)
/// while replies are queued, the first always (so a call with nothing queued gets the
/// mock's error), each recording a copy of the request. Not generic: the request is boxed
/// with the one function that copies it.
pub(crate) struct MockReplies {
    mock: Mock,
    action: String,
    request: Box<dyn Record>,
    first: bool,
    done: bool,
}

/// A request a mock records once per page: a copy, boxed.
trait Record: Send {
    fn record(&self) -> Box<dyn Any + Send>;
}

impl<R: Any + Send + Clone> Record for R {
    fn record(&self) -> Box<dyn Any + Send> {
        Box::new(self.clone())
    }
}

impl MockReplies {
    pub(crate) fn new<R: Any + Send + Clone>(mock: Mock, action: &str, request: R) -> Self {
        Self {
            mock,
            action: action.to_owned(),
            request: Box::new(request),
            first: true,
            done: false,
        }
    }

    /// The action replied for.
    pub(crate) fn action(&self) -> &str {
        &self.action
    }

    /// The next reply, as [`Mock::answer`] gives it; `None` once no more are queued. (An
    /// error is the last item its reader yields: see `call::pending::ReadAnswers`.)
    pub(crate) fn next_reply(&mut self) -> Option<Result<(Fill, &'static str), ErrorKind>> {
        if self.done || !(self.first || self.mock.has_reply(&self.action)) {
            self.done = true;
            return None;
        }
        self.first = false;
        Some(self.mock.answer(&self.action, self.request.record()))
    }
}

impl fmt::Debug for Mock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.state();
        let mut queued: Vec<(&String, usize)> =
            state.replies.iter().map(|(a, q)| (a, q.len())).collect();
        queued.sort();
        f.debug_struct("Mock")
            .field("queued", &queued)
            .field("requests", &state.requests.len())
            .finish()
    }
}
