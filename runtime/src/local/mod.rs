//! A fake Tencent Cloud API 3.0 endpoint on 127.0.0.1, for tests and the quickstart.
//!
//! It is a real HTTP/1.1 server (hyper). It checks each request the way Tencent Cloud does
//! (size, common headers, TC3 signature, clock skew, token) with the real error codes,
//! answers each action as scripted, serves the CVM instance-metadata routes, and records
//! every request so a test can count attempts and inspect what was sent.
//!
//! ```no_run
//! # async fn run() -> std::io::Result<()> {
//! use tencentcloud_runtime::local::{LocalEndpoint, Reply};
//! use tencentcloud_runtime::Credential;
//!
//! let endpoint = LocalEndpoint::builder()
//!     .credential(Credential::new("AKIDlocal", "local-secret"))
//!     .start()
//!     .await?;
//! endpoint.reply("DescribeInstances", Reply::success(serde_json::json!({"TotalCount": 0})));
//! // point a Config at endpoint.url() ...
//! # Ok(()) }
//! ```

mod reply;
mod server;
mod verify;

use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use bytes::Bytes;
use http::HeaderMap;

use crate::body::multipart::{self, ParseError, Part};
use crate::credential::Credential;
pub use reply::{Gate, Reply, Step};

/// What the endpoint did with a request.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Outcome {
    /// Answered with the scripted reply (success or scripted error).
    Answered,
    /// Refused before the script, with this error code (a bad signature, say).
    Rejected {
        /// The error code answered.
        code: String,
    },
    /// The connection was closed without a response, as scripted.
    Dropped,
    /// The connection was closed as the request's head arrived, its body not read
    /// ([`Reply::drop_unread`]): the request never reached the service.
    DroppedUnread,
    /// A CVM instance-metadata request.
    Metadata,
}

/// One request as the endpoint received it.
#[derive(Clone)]
#[non_exhaustive]
pub struct RecordedRequest {
    /// The HTTP method.
    pub method: http::Method,
    /// The URL path.
    pub path: String,
    /// The URL query, if any.
    pub query: Option<String>,
    /// Every header as received.
    pub headers: HeaderMap,
    /// The body as received.
    pub body: Bytes,
    /// `X-TC-Action`, if sent.
    pub action: Option<String>,
    /// What the endpoint did with it.
    pub outcome: Outcome,
    /// The error code it answered with, scripted or a refusal (`None` for a success, a
    /// dropped connection or a raw reply): a test tells a throttled request, which the
    /// service refused unprocessed, from one the service acted on.
    pub answered_code: Option<String>,
    /// When it arrived (its body read), for tests that measure rates.
    pub received: std::time::Instant,
}

impl fmt::Debug for RecordedRequest {
    // The token header is a secret; everything else helps debugging.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(name, value)| {
                let value = if name == "x-tc-token" {
                    "<redacted>"
                } else {
                    value.to_str().unwrap_or("<not UTF-8>")
                };
                (name.as_str(), value)
            })
            .collect();
        f.debug_struct("RecordedRequest")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &self.query)
            .field("headers", &headers)
            // A file upload by its parts, so a file shows as its size, not its bytes.
            .field("parts", &self.parts().ok())
            .field(
                "body",
                &self.parts().map_or_else(
                    |_| String::from_utf8_lossy(&self.body),
                    |_| "(multipart, see parts)".into(),
                ),
            )
            .field("action", &self.action)
            .field("outcome", &self.outcome)
            .field("answered_code", &self.answered_code)
            .field("received", &self.received)
            .finish()
    }
}

impl RecordedRequest {
    /// The parts of a `multipart/form-data` request (a file upload), read from its body as
    /// the endpoint verified it; an error for a body that is not multipart or is malformed.
    pub fn parts(&self) -> Result<Vec<Part>, ParseError> {
        let content_type = verify::header(&self.headers, "content-type").unwrap_or("");
        multipart::parse(content_type, &self.body)
    }
}

/// Builds a [`LocalEndpoint`].
#[derive(Debug, Default)]
pub struct LocalEndpointBuilder {
    credentials: Vec<Credential>,
    unsigned: Vec<String>,
    compress: bool,
}

impl LocalEndpointBuilder {
    /// Accepts requests signed with `credential` (and its token, if it has one).
    #[must_use]
    pub fn credential(mut self, credential: Credential) -> Self {
        self.credentials.push(credential);
        self
    }

    /// Accepts `action` unsigned (`Authorization: SKIP`), like the catalog's `skip_sign`
    /// actions.
    #[must_use]
    pub fn unsigned_action(mut self, action: &str) -> Self {
        self.unsigned.push(action.to_owned());
        self
    }

    /// Gzips responses for requests that accept gzip.
    #[must_use]
    pub fn compress(mut self, on: bool) -> Self {
        self.compress = on;
        self
    }

    /// Binds 127.0.0.1 on a free port and starts serving on the current tokio runtime.
    pub async fn start(self) -> std::io::Result<LocalEndpoint> {
        self.start_on(SocketAddr::from(([127, 0, 0, 1], 0))).await
    }

    /// Binds `addr` and starts serving: a test can bring an endpoint back on the address of
    /// one that went down.
    pub async fn start_on(self, addr: SocketAddr) -> std::io::Result<LocalEndpoint> {
        let state = Arc::new(EndpointState {
            credentials: Mutex::new(
                self.credentials
                    .into_iter()
                    .map(|c| (c.secret_id().to_owned(), c))
                    .collect(),
            ),
            unsigned: self.unsigned,
            compress: self.compress,
            scripts: Mutex::default(),
            requests: Mutex::default(),
            connections: AtomicUsize::new(0),
            open: AtomicUsize::new(0),
            skew: AtomicI64::new(0),
            role: Mutex::default(),
        });
        let (addr, task) = server::serve(state.clone(), addr).await?;
        Ok(LocalEndpoint { addr, state, task })
    }
}

/// What the server and the test share.
pub(crate) struct EndpointState {
    credentials: Mutex<HashMap<String, Credential>>,
    unsigned: Vec<String>,
    compress: bool,
    scripts: Mutex<HashMap<ScriptKey, Script>>,
    requests: Mutex<Vec<RecordedRequest>>,
    connections: AtomicUsize,
    /// Connections accepted and not yet closed.
    open: AtomicUsize,
    skew: AtomicI64,
    role: Mutex<Option<(String, Credential)>>,
}

/// Locks a mutex, carrying on after a panic elsewhere: the data is plain records.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

/// Which calls a script answers: an action, in one region or in any.
type ScriptKey = (Option<String>, String);

/// The replies for an action's calls.
enum Script {
    /// [`LocalEndpoint::script`]: each used once, in order.
    Once(VecDeque<Reply>),
    /// [`LocalEndpoint::reply`]: the reply to every call.
    Standing(Reply),
    /// [`LocalEndpoint::reply_with`]: a reply made for each call from its head.
    Computed(Computed),
}

/// Makes a reply for a request from its headers.
type Computed = Arc<dyn Fn(&HeaderMap) -> Reply + Send + Sync>;

/// The script that answers the next call of `action` in `region`: the region's first, then
/// the one for any region; a script of replies used once that has run out answers nothing.
fn answering<'a>(
    scripts: &'a mut HashMap<ScriptKey, Script>,
    action: &str,
    region: Option<&str>,
) -> Option<&'a mut Script> {
    let regional = region.map(|r| (Some(r.to_owned()), action.to_owned()));
    let key = [regional, Some((None, action.to_owned()))]
        .into_iter()
        .flatten()
        .find(|key| match scripts.get(key) {
            Some(Script::Once(replies)) => !replies.is_empty(),
            Some(_) => true,
            None => false,
        })?;
    scripts.get_mut(&key)
}

impl EndpointState {
    /// The next reply for `action` called in `region`: a script for that region first, then
    /// one for any region. `None` when there is none, or the script has run out: the
    /// endpoint then answers `InvalidAction`, as [`crate::mock::Mock`] does.
    fn next_reply(&self, action: &str, region: Option<&str>, head: &HeaderMap) -> Option<Reply> {
        let mut scripts = lock(&self.scripts);
        match answering(&mut scripts, action, region)? {
            Script::Once(replies) => replies.pop_front(),
            Script::Standing(reply) => Some(reply.clone()),
            Script::Computed(make) => {
                let make = make.clone();
                // Made outside the lock: the test's function may take its time.
                drop(scripts);
                Some(make(head))
            }
        }
    }

    /// The reply a [`LocalEndpoint::reply_with`] function makes for a request's head, if
    /// that is what answers `action` in `region`: asked before the body is read.
    fn computed_reply(
        &self,
        action: &str,
        region: Option<&str>,
        head: &HeaderMap,
    ) -> Option<Reply> {
        let make = match answering(&mut lock(&self.scripts), action, region)? {
            Script::Computed(make) => make.clone(),
            _ => return None,
        };
        Some(make(head))
    }

    fn set_script(&self, key: ScriptKey, script: Script) {
        let mut scripts = lock(&self.scripts);
        match script {
            Script::Once(replies) if replies.is_empty() => {
                scripts.remove(&key);
            }
            script => {
                scripts.insert(key, script);
            }
        }
    }
}

/// A running local endpoint; it stops when dropped.
pub struct LocalEndpoint {
    addr: SocketAddr,
    state: Arc<EndpointState>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for LocalEndpoint {
    fn drop(&mut self) {
        // Aborting the accept task drops its set of connection tasks, which aborts them.
        self.task.abort();
    }
}

impl fmt::Debug for LocalEndpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LocalEndpoint")
            .field("addr", &self.addr)
            .field("requests", &lock(&self.state.requests).len())
            .finish_non_exhaustive()
    }
}

impl LocalEndpoint {
    /// A builder with no credentials accepted yet.
    pub fn builder() -> LocalEndpointBuilder {
        LocalEndpointBuilder::default()
    }

    /// `http://127.0.0.1:PORT`, for `Config::builder().endpoint(..)`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The address the endpoint listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Answers every call of `action` with `reply`, replacing any script for it.
    pub fn reply(&self, action: &str, reply: Reply) {
        self.state
            .set_script((None, action.to_owned()), Script::Standing(reply));
    }

    /// Answers every call of `action` with the reply `make` returns for the request's
    /// headers, made as the request's head arrives (so [`Reply::drop_unread`] closes the
    /// connection before the body is read), replacing any script for it. A request the
    /// endpoint then refuses (a bad signature, say) gets the refusal instead.
    pub fn reply_with(
        &self,
        action: &str,
        make: impl Fn(&HeaderMap) -> Reply + Send + Sync + 'static,
    ) {
        self.state
            .set_script((None, action.to_owned()), Script::Computed(Arc::new(make)));
    }

    /// Answers the next calls of `action` with `replies`, each once, in order, replacing any
    /// script for it. When they run out, a call is answered `InvalidAction`, as for an
    /// action with no script, and as [`crate::mock::Mock`] answers a call with nothing
    /// queued: a test sees a call it did not expect.
    pub fn script(&self, action: &str, replies: impl IntoIterator<Item = Reply>) {
        self.state.set_script(
            (None, action.to_owned()),
            Script::Once(replies.into_iter().collect()),
        );
    }

    /// [`LocalEndpoint::script`] for the calls of `action` in `region` (`X-TC-Region`) only;
    /// they take it before a script for every region.
    pub fn script_in(&self, region: &str, action: &str, replies: impl IntoIterator<Item = Reply>) {
        let key = (Some(region.to_owned()), action.to_owned());
        self.state
            .set_script(key, Script::Once(replies.into_iter().collect()));
    }

    /// [`LocalEndpoint::reply`] for the calls of `action` in `region` only.
    pub fn reply_in(&self, region: &str, action: &str, reply: Reply) {
        let key = (Some(region.to_owned()), action.to_owned());
        self.state.set_script(key, Script::Standing(reply));
    }

    /// Also accepts requests signed with `credential`.
    pub fn add_credential(&self, credential: Credential) {
        lock(&self.state.credentials).insert(credential.secret_id().to_owned(), credential);
    }

    /// Runs the endpoint's clock `seconds` ahead of the real one (behind if negative), to
    /// make signatures look expired.
    pub fn set_clock_skew(&self, seconds: i64) {
        self.state.skew.store(seconds, Ordering::SeqCst);
    }

    /// Every request received so far, in order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.state.requests).clone()
    }

    /// Every request received since the last call, in order, forgotten by the endpoint: a
    /// long run reads its requests as it goes, and the endpoint's memory stays flat.
    pub fn take_requests(&self) -> Vec<RecordedRequest> {
        std::mem::take(&mut *lock(&self.state.requests))
    }

    /// The requests for `action` received so far, in order.
    pub fn requests_for(&self, action: &str) -> Vec<RecordedRequest> {
        lock(&self.state.requests)
            .iter()
            .filter(|r| r.action.as_deref() == Some(action))
            .cloned()
            .collect()
    }

    /// How many TCP connections the endpoint has accepted.
    pub fn connections(&self) -> usize {
        self.state.connections.load(Ordering::SeqCst)
    }

    /// How many of those are open now.
    pub fn open_connections(&self) -> usize {
        self.state.open.load(Ordering::SeqCst)
    }

    /// Serves `credential` (with its token and expiry) as the temporary credential of the
    /// CVM instance role `role`.
    pub fn set_instance_role(&self, role: &str, credential: Credential) {
        *lock(&self.state.role) = Some((role.to_owned(), credential));
    }

    /// Removes the instance role: the metadata routes answer 404.
    pub fn clear_instance_role(&self) {
        *lock(&self.state.role) = None;
    }

    /// The metadata base URL, for `CvmRoleProvider::metadata_url`.
    pub fn metadata_url(&self) -> String {
        format!("{}{}", self.url(), server::METADATA_PATH)
    }
}
