//! The one call path of every generated method, in stages:
//!
//! [`action`] (what generated code declares) → `prepare` (encode and check the request,
//! gather the call's settings) → `send` (attempts: rate limit, `target` endpoint, `sign`,
//! transport, retries) → [`response`] (the typed response or error), or [`stream`] (typed
//! events). `span` is the call's `tracing` span.
//!
//! Each entry point of [`Client`] returns a future or stream built here. A call's future is
//! a [`Pending`] (`pending`): the call's work, not generic, and the reader of its answer, chosen
//! where the call starts. A generated method that returns one compiles its action's code
//! once, in the crate that defines it, and not again in every crate that calls it.

pub mod action;
mod by_name;
mod headers;
pub mod pages;
mod pending;
mod prepare;
pub mod response;
mod send;
mod sign;
pub(crate) mod slot;
mod span;
pub mod stream;
mod target;

use std::any::Any;
use std::sync::Arc;
use std::time::Instant;

use crate::decode::Decode;
use bytes::Bytes;
use serde::Serialize;
use tracing::Instrument as _;

use crate::body::Encoded;
use crate::config::Config;
use crate::error::{CommonErrorCode, Error, ErrorCode, ErrorKind, InvalidRequest};
use crate::mock::{MockReplies, MOCK_REQUEST_ID};
use crate::options::CallOptions;

use self::action::{Action, Held, Request, Service};
use self::pages::{ItemStream, Listing, NotStarted, PageAnswers, PageWork, Paged, Paging};
use self::pending::{read_whole, Answer, Answers, MockAnswers, ReadAnswers, Work};
use self::prepare::{encode, prepare};
use self::response::{Decoder, Output};
use self::send::{Exchange, Mode, Received, Sent};
use self::sign::{Signer, TraceId};
use self::span::CallSpan;
use self::stream::{EventStream, RawEvents, Source, Typed};
use self::target::Targets;

pub use self::headers::X_TC_TRACEID;
pub use self::pending::Pending;
pub use self::prepare::MAX_BODY_BYTES;
pub use crate::body::JSON_CONTENT_TYPE;

/// A request's body and whether it is safe to repeat, or why it could not be encoded.
type Encoding = Result<(Encoded, bool), ErrorKind>;

/// The runtime half of a generated service client: configuration plus the service it talks
/// to. Cheap to clone.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Shared>,
    /// Settings for this view's calls only ([`Client::with_options`]).
    options: Option<Arc<Options>>,
}

struct Shared {
    config: Config,
    service: Service,
    /// The service's actions, for calls by name ([`Client::with_actions`]).
    actions: &'static [&'static Action],
    targets: Targets,
    signer: Signer,
}

/// Call options, with the endpoints they move the calls to, worked out once.
struct Options {
    options: CallOptions,
    targets: Option<Targets>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let url =
            |t: &Result<target::Target, InvalidRequest>| t.as_ref().map(|t| t.url.to_string()).ok();
        let targets = self.targets();
        f.debug_struct("Client")
            .field("service", &self.inner.service)
            .field("url", &url(targets.primary()))
            .field("backup_url", &targets.backup().map(url))
            .field("options", &self.options.as_ref().map(|o| &o.options))
            .field("config", &self.inner.config)
            .finish()
    }
}

impl Client {
    /// A client for `service` with `config`. A `Service` whose host or version is not
    /// valid in a header (impossible for generated ones) makes every call fail with
    /// [`InvalidRequest::InvalidValue`].
    pub fn new(config: Config, service: Service) -> Self {
        Self::with_actions(config, service, &[])
    }

    /// [`Client::new`], knowing the service's `actions`: a call by name of one of them is
    /// sent as that action (its region rule, rate limit and retry safety). Generated clients
    /// are made so.
    pub fn with_actions(
        config: Config,
        service: Service,
        actions: &'static [&'static Action],
    ) -> Self {
        let targets = Targets::routed(&config, &service, config.region());
        Self {
            inner: Arc::new(Shared {
                config,
                service,
                actions,
                targets,
                signer: Signer::default(),
            }),
            options: None,
        }
    }

    /// The same client, with `options` applied to every call it makes: another timeout,
    /// region, endpoint, retry policy, extra headers. It shares this client's connections,
    /// credentials, rate limits and signing key; making one is cheap. Calls through `self`
    /// are unchanged.
    pub fn with_options(&self, options: &CallOptions) -> Self {
        let targets = options.moves_the_call().then(|| {
            let config = &self.inner.config;
            let service = &self.inner.service;
            match &options.endpoint {
                Some(endpoint) => Targets::fixed(config, service, endpoint),
                None => Targets::routed(config, service, options.region()),
            }
        });
        Self {
            inner: self.inner.clone(),
            options: Some(Arc::new(Options {
                options: options.clone(),
                targets,
            })),
        }
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// The service.
    pub fn service(&self) -> &Service {
        &self.inner.service
    }

    /// The call options of this view, if any.
    pub fn options(&self) -> Option<&CallOptions> {
        self.options.as_deref().map(|o| &o.options)
    }

    fn targets(&self) -> &Targets {
        match self.options.as_deref().and_then(|o| o.targets.as_ref()) {
            Some(targets) => targets,
            None => &self.inner.targets,
        }
    }

    fn exchange(&self) -> Exchange<'_> {
        Exchange {
            config: &self.inner.config,
            service: &self.inner.service,
            targets: self.targets(),
            signer: &self.inner.signer,
        }
    }

    /// Calls `action` with `request` and reads its response as `T`, with service errors as `E`.
    /// The request is encoded now; the future holds only its bytes.
    pub fn call<R, T, E>(&self, action: &'static Action, mut request: R) -> Pending<T, E>
    where
        R: Request + 'static,
        T: Decode + Send + 'static,
        E: ErrorCode,
    {
        let work = match self.inner.config.mock() {
            // A mock keeps the request, for the test to look at.
            Some(mock) => mocked_work(mock, action, Box::new(request)),
            None => self.call_work(action, &mut request, Decoder::of::<T>()),
        };
        Pending::whole(work)
    }

    /// The work of [`Client::call`], whatever the request's type: compiled once. The
    /// request is encoded where it lies, not boxed first.
    fn call_work(
        &self,
        action: &'static Action,
        request: &mut dyn Request,
        decoder: Decoder,
    ) -> Work {
        let encoded = encode(action, request);
        self.whole_work(Held::Static(action), encoded, decoder)
    }

    /// Calls `action` with `request` and hands over its response's events as they arrive (see
    /// [`EventStream`]). A response that is one envelope instead is one event, or the call's
    /// error.
    pub fn stream<R, T, E>(
        &self,
        action: &'static Action,
        mut request: R,
    ) -> Pending<EventStream<T, E>, E>
    where
        R: Request + Clone + 'static,
        T: Decode + Send + 'static,
        E: ErrorCode,
    {
        if let Some(mock) = self.inner.config.mock() {
            let replies = MockReplies::new(mock.clone(), action.name(), request);
            let events = ReadAnswers::<T, E>::new(Box::pin(MockAnswers(replies)));
            let stream = EventStream::new(Box::pin(events), MOCK_REQUEST_ID.to_owned());
            return Pending::ready(Ok(stream));
        }
        let encoded = encode(action, &mut request);
        self.pending_events(Held::Static(action), encoded)
    }

    /// Calls any action of this client's service by name, with any JSON object as its body,
    /// and returns the response's output as JSON (`Response` without its wrapper), through
    /// the same call path as generated methods: signing, retries, rate limits, tracing,
    /// errors with the code as a [`CommonErrorCode`]. For an action that is not in your specs
    /// yet; with [`Service::named`] for a service that is not either.
    ///
    /// It is sent as a generated method of the same action would be: an action the client
    /// knows ([`Client::with_actions`]: every generated client's do) with its catalog's region
    /// rule, rate limit and retry safety; another is retried after sending only when its name
    /// says it reads (`Describe*`, `Get*`, `List*`, ...) or the body has a `ClientToken` (an
    /// empty one is filled with a fresh UUID, the same in every attempt). A body that is
    /// not a JSON object fails with [`InvalidRequest::Serialize`] before anything is sent.
    pub fn call_by_name(
        &self,
        action: &str,
        body: &impl Serialize,
    ) -> Pending<serde_json::Value, CommonErrorCode> {
        self.call_by_name_as(action, body)
    }

    /// [`Client::call_by_name`] into types of your own: the response's output read as `T`
    /// under the same decoding policy as generated responses (a struct with
    /// [`impl_decode!`](crate::impl_decode), or `serde_json::Value`), and the error's code
    /// as `E` (a generated error enum, or [`CommonErrorCode`]).
    pub fn call_by_name_as<T, E>(&self, action: &str, body: &impl Serialize) -> Pending<T, E>
    where
        T: Decode + Send + 'static,
        E: ErrorCode,
    {
        let action = by_name::action(self.inner.actions, action);
        let mut body = match by_name::Body::new(body) {
            Ok(body) => body,
            Err(e) => {
                return Pending::ready(Err(
                    ErrorKind::InvalidRequest(InvalidRequest::Serialize(e)).into()
                ))
            }
        };
        if let Some(mock) = self.inner.config.mock() {
            // A mock answers a call by name with the JSON queued for the action.
            let reply = mock.answer(action.name(), Box::new(body.into_value()));
            let answer = read_whole::<serde_json::Value, E>(Answer::of_reply(reply, action.name()))
                .and_then(|value| by_name::read_mocked(action.name(), value));
            return Pending::ready(answer);
        }
        let encoded = encode(&action, &mut body);
        self.pending_whole(action, encoded)
    }

    /// [`Client::call_by_name`] for an action that responses with events: each event's JSON
    /// (with the stream's RequestId added where it has none).
    pub fn stream_by_name(
        &self,
        action: &str,
        body: &impl Serialize,
    ) -> Pending<EventStream<serde_json::Value, CommonErrorCode>, CommonErrorCode> {
        let action = by_name::action(self.inner.actions, action);
        let encoded = by_name::Body::new(body)
            .map_err(|e| ErrorKind::InvalidRequest(InvalidRequest::Serialize(e)))
            .and_then(|mut body| encode(&action, &mut body));
        self.pending_events(action, encoded)
    }

    /// The future of a call whose response is one envelope: its work is not generic (see
    /// [`Pending`]); only reading the envelope as `T` is.
    fn pending_whole<T, E>(&self, action: Held, encoded: Encoding) -> Pending<T, E>
    where
        T: Decode + Send + 'static,
        E: ErrorCode,
    {
        Pending::whole(self.whole_work(action, encoded, Decoder::of::<T>()))
    }

    /// The work of a call whose response is one envelope: its output, read by `decoder` as
    /// the envelope is classified. Not generic, and not inside a generic function (where
    /// each action would get its own copy of the same state machine), so it is compiled once.
    fn whole_work(&self, action: Held, encoded: Encoding, decoder: Decoder) -> Work {
        let client = self.clone();
        // The attempts awaited here directly, not through a function of their own: one
        // future less to build and move as every call starts.
        Box::pin(async move {
            let span = client.span(&action);
            // The request stays here, lent to the attempts: kept once, not in both futures.
            let body = match encoded {
                Ok((ref body, idempotent)) => (body, idempotent),
                Err(error) => return Answer::Failed(span.not_sent(error)),
            };
            let mode = Mode::Whole(decoder);
            match client.attempts(&action, body, mode, &span).await {
                Ok(Sent {
                    received: Received::Read(output),
                    ..
                }) => Answer::of_output(output),
                // A mode with a decoder receives outputs only.
                Ok(_) => Answer::Failed(not_read()),
                Err(error) => Answer::Failed(error),
            }
        })
    }

    /// The future of a call whose response is events.
    fn pending_events<T, E>(&self, action: Held, encoded: Encoding) -> Pending<EventStream<T, E>, E>
    where
        T: Decode + Send + 'static,
        E: ErrorCode,
    {
        let client = self.clone();
        Pending::made(async move {
            let (raw, request_id) = client
                .events(&action, encoded, Decoder::of::<T>())
                .await
                .map_err(Error::from)?;
            let call = (
                client.inner.service.name().to_owned(),
                action.name().to_owned(),
            );
            let events = Typed::<T, E>::new(raw, request_id.clone(), call);
            Ok(EventStream::new(Box::pin(events), request_id))
        })
    }

    /// The pages of a paged action, from the position `request` sets (or the first), one
    /// call each, until the listing ends (see [`pages`]); an error is the last item.
    pub fn pages<R, T, E>(
        &self,
        action: &'static Action,
        paging: &'static Paging,
        mut request: R,
    ) -> Paged<T, E>
    where
        R: Request + Clone + 'static,
        T: Decode + Send + 'static,
        E: ErrorCode,
    {
        let answers: Answers = match self.inner.config.mock() {
            Some(mock) => Box::pin(MockAnswers(MockReplies::new(
                mock.clone(),
                action.name(),
                request,
            ))),
            None => self.page_answers(action, paging, &mut request, Decoder::of::<T>()),
        };
        Paged::new(Box::pin(ReadAnswers::<T, E>::new(answers)))
    }

    /// The answers of [`Client::pages`], whatever the request's type: compiled once. Each
    /// page's output is read by `decoder` in the page's work.
    fn page_answers(
        &self,
        action: &'static Action,
        paging: &'static Paging,
        request: &mut dyn Request,
        decoder: Decoder,
    ) -> Answers {
        let listing = encode(action, request).and_then(|(body, idempotent)| {
            Listing::new(*paging, &body).map(|listing| (listing, idempotent))
        });
        let (listing, idempotent) = match listing {
            Ok(started) => started,
            Err(error) => return Box::pin(NotStarted(Some(error))),
        };
        let client = self.clone();
        let next = move |mut listing: Listing| -> PageWork {
            let client = client.clone();
            Box::pin(async move {
                let page = client.page(action, &mut listing, idempotent, decoder).await;
                let answer = match page {
                    Ok(output) => Answer::of_output(output),
                    Err(error) => Answer::Failed(error),
                };
                // An error ends the listing where every answer is read (`ReadAnswers`).
                (listing, answer)
            })
        };
        Box::pin(PageAnswers::new(listing, Box::new(next)))
    }

    /// The items of a paged action: its pages, each turned into its list by `project`, one
    /// item at a time.
    pub fn items<R, P, I, E>(
        &self,
        action: &'static Action,
        paging: &'static Paging,
        request: R,
        project: fn(P) -> Vec<I>,
    ) -> Paged<I, E>
    where
        R: Request + Clone + 'static,
        P: Decode + Send + 'static,
        I: Send + Unpin + 'static,
        E: ErrorCode,
    {
        let pages = self.pages(action, paging, request);
        Paged::new(Box::pin(ItemStream::new(pages, project)))
    }

    /// One page of a listing: its request sent through the whole call path, in its own
    /// span, its output read by `decoder` as its envelope is classified, and the listing
    /// moved on by what the response says. Not generic.
    async fn page(
        &self,
        action: &Action,
        listing: &mut Listing,
        idempotent: bool,
        decoder: Decoder,
    ) -> Result<Output, ErrorKind> {
        let span = self.span(action);
        let body = match listing.request() {
            Ok(body) => body,
            Err(error) => return Err(span.not_sent(error)),
        };
        let sent = self
            .attempts(action, (&body, idempotent), Mode::Page(decoder), &span)
            .await?;
        let Received::Page(page) = sent.received else {
            // A page's mode receives pages only.
            return Err(not_read());
        };
        let (output, response) = *page;
        listing.advance(&response)?;
        Ok(output)
    }

    /// The signed HTTP request that the first attempt of [`Client::call`] would send, built
    /// without sending it: to see exactly what goes on the wire, or to send it yourself.
    /// Its timestamp is now, so the service accepts it for five minutes.
    pub async fn signed_request<R: Request>(
        &self,
        action: &'static Action,
        mut request: R,
    ) -> Result<http::Request<Bytes>, ErrorKind> {
        let (body, idempotent) = encode(action, &mut request)?;
        let call = self.prepared(action, (&body, idempotent), None)?;
        let target = self
            .targets()
            .primary()
            .as_ref()
            .map_err(|e| ErrorKind::InvalidRequest(e.clone()))?;
        self.exchange()
            .sign(&call, 1, TraceId::new().as_str(), target)
            .await
    }

    /// The span of a call of `action`, timed if the call has a deadline.
    fn span(&self, action: &Action) -> CallSpan {
        let timed = prepare::call_timeout(&self.inner.config, self.options()).is_some();
        CallSpan::start(&self.inner.service, action, timed)
    }

    fn prepared<'a>(
        &'a self,
        action: &'a Action,
        encoded: (&'a Encoded, bool),
        started: Option<Instant>,
    ) -> Result<prepare::Call<'a>, ErrorKind> {
        let options = self.options.as_deref().map(|o| &o.options);
        prepare(
            &self.inner.config,
            &self.inner.service,
            action,
            options,
            encoded,
            started,
        )
    }

    /// The raw events of a streaming call, and its RequestId; `decoder` reads the output of
    /// a service that answers with one envelope instead, as the envelope is classified.
    async fn events(
        &self,
        action: &Action,
        encoded: Encoding,
        decoder: Decoder,
    ) -> Result<(RawEvents, String), ErrorKind> {
        let span = self.span(action);
        let body = match encoded {
            Ok((ref body, idempotent)) => (body, idempotent),
            Err(error) => return Err(span.not_sent(error)),
        };
        let sent = self
            .attempts(action, body, Mode::Stream(decoder), &span)
            .await?;
        let idle = self
            .options()
            .and_then(|o| o.stream_idle_timeout)
            .unwrap_or(self.inner.config.stream_idle_timeout());
        let source = match sent.received {
            Received::Events(head) => Source::Events(*head),
            Received::Read(output) => Source::Whole(output),
            Received::Page(..) => return Err(not_read()),
        };
        Ok((RawEvents::new(source, idle, span), sent.request_id))
    }

    /// Prepares the call of `body` (the request, and whether it is safe to repeat) and runs
    /// its attempts inside its span; records how they ended.
    async fn attempts(
        &self,
        action: &Action,
        body: (&Encoded, bool),
        mode: Mode,
        span: &CallSpan,
    ) -> Result<Sent, ErrorKind> {
        let mut attempts = 0;
        // Prepared in the span (it records the region), then attempted in it: the attempts'
        // future is instrumented itself, not wrapped in another (each layer is moved as the
        // call starts), and not at all when the span is disabled.
        let prepared = span
            .span()
            .in_scope(|| self.prepared(action, body, span.started()));
        // Borrowed where it lies: a call moved out of its `Result` would be kept twice.
        let result = match prepared {
            Ok(ref call) => {
                let span = span.span();
                let exchange = self.exchange();
                // Entered as the attempts run only when something records it (a subscriber
                // at `debug`): wrapping moves the attempts' future once more as they start.
                // Made where it is awaited: made first and then awaited, it is moved once more.
                if span.is_disabled() {
                    exchange.run(call, mode, &mut attempts, span).await
                } else {
                    let run = exchange.run(call, mode, &mut attempts, span);
                    run.instrument(span.clone()).await
                }
            }
            Err(error) => Err(error),
        };
        let streaming = matches!(
            result,
            Ok(Sent {
                received: Received::Events(_),
                ..
            })
        );
        span.attempts_ended(
            attempts,
            result
                .as_ref()
                .map(|sent| (sent.request_id.as_str(), streaming)),
        );
        result
    }
}

/// The error of a call whose attempts returned a success in another form than its mode
/// asks for (an output read for a caller that reads the response itself, or the reverse).
/// The attempts follow the mode, so this does not happen; were it to, the call fails saying
/// so rather than panicking.
#[cold]
fn not_read() -> ErrorKind {
    ErrorKind::InvalidRequest(InvalidRequest::InvalidValue {
        what: "response",
        value: "a success in a form this call does not read (a runtime bug: please report it)"
            .to_owned(),
    })
}

/// The work of [`Client::call`] when the config has a mock: its answer to `request`.
#[inline(never)]
fn mocked_work(mock: &crate::mock::Mock, action: &Action, request: Box<dyn Any + Send>) -> Work {
    let answer = Answer::of_reply(mock.answer(action.name(), request), action.name());
    Box::pin(std::future::ready(answer))
}
