//! The soak: many calls at once through the generated clients against the local endpoint,
//! every answer drawn at random from the faults the endpoint can play, for as long as asked;
//! then the checks that nothing was lost on the way. `scripts/soak.sh` runs it long (the
//! `soak` binary), `tests/tests/soak.rs` briefly in CI.
//!
//! What one run mixes: three actions (DescribeOrganization, safe to repeat;
//! UpdateOrganizationMemberEmailBind, not; hunyuan ChatCompletions, a stream, not), each
//! answered by a reply made for it as its head arrives: a success (60 %), or a connection
//! dropped before the request is read or after, a 502 page, throttling, an answer slower than
//! the attempt timeout, a body cut short, or for the stream a stream broken half-way. Besides:
//! one call in fifty signed with a wrong key (refused), the endpoint's clock moved ten minutes
//! one way or the other every `skew_every` calls, and credentials that live six seconds,
//! fetched again and again and refused by the endpoint once expired.
//!
//! What it checks: every call ends, in success or a typed error of the kinds the faults
//! explain; no request of an action that is not safe to repeat reaches the service twice
//! (the endpoint's log, by a mark in each request); every success is an answer the endpoint
//! made, each taken once; the main client never fails for an expired signature or
//! credential; resident memory, the endpoint's open connections and the runtime's live tasks
//! after warm-up stay within stated bounds of what they were just after it.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use futures_core::Stream as _;
use http::HeaderMap;
use serde_json::json;
use tencentcloud_runtime::credential::{BoxFuture, CachedProvider};
use tencentcloud_runtime::local::{LocalEndpoint, Outcome, RecordedRequest, Reply, Step};
use tencentcloud_runtime::{
    Config, ConfigBuilder, Credential, CredentialError, ErrorKind, ProvideCredential, RateLimits,
    RetryPolicy,
};
use tencentcloud_sdk::hunyuan::v20230901 as hunyuan;
use tencentcloud_sdk::organization::v20210331 as organization;

/// How long to run and how hard.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Calls in all.
    pub calls: usize,
    /// Calls in flight at once.
    pub concurrency: usize,
    /// The endpoint's clock moves every this many calls.
    pub skew_every: usize,
    /// Stop starting calls after this long, even if fewer have run.
    pub time_limit: Duration,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            calls: 200_000,
            concurrency: 64,
            skew_every: 25_000,
            time_limit: Duration::from_secs(3600),
        }
    }
}

/// What a run saw.
#[derive(Debug, Default)]
pub struct Report {
    /// Calls started and calls that ended.
    pub started: usize,
    /// Calls that ended.
    pub ended: usize,
    /// Successes.
    pub succeeded: usize,
    /// Failures by kind (`service:<code>`, `timeout`, `transport`, `invalid_answer`, ...).
    pub failed: BTreeMap<String, usize>,
    /// Requests the endpoint received, by what it did with them.
    pub requests: BTreeMap<String, usize>,
    /// Requests of actions unsafe to repeat that reached the service more than once.
    pub unsafe_reached_twice: usize,
    /// Successes whose answer the endpoint did not make, or that came twice.
    pub unknown_successes: usize,
    /// Credentials fetched by the main client.
    pub credentials_fetched: usize,
    /// Times the endpoint's clock moved.
    pub clock_moves: usize,
    /// The largest of each gauge just after warm-up (20–40 % of the calls) and at the end
    /// (80–100 %): resident memory in KiB, the endpoint's open connections, live tasks.
    pub after_warm_up: Gauges,
    /// See `after_warm_up`.
    pub at_the_end: Gauges,
    /// Wall time.
    pub elapsed: Duration,
}

/// Resource gauges, sampled as the run goes.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Gauges {
    /// Resident memory, KiB.
    pub rss_kib: u64,
    /// The endpoint's open connections (the client's pool is their other end).
    pub open_connections: usize,
    /// Live tasks of the runtime (the calls' workers, the endpoint's connections).
    pub live_tasks: usize,
}

/// How far the gauges may grow from just after warm-up to the end.
pub const RSS_GROWTH_KIB: u64 = 16 * 1024;
/// See [`RSS_GROWTH_KIB`].
pub const CONNECTION_GROWTH: usize = 16;
/// See [`RSS_GROWTH_KIB`].
pub const TASK_GROWTH: usize = 32;

impl Report {
    /// Every check; the list of what failed otherwise.
    pub fn check(&self) -> Result<(), Vec<String>> {
        let mut problems = Vec::new();
        if self.ended != self.started {
            problems.push(format!(
                "{} calls started, {} ended",
                self.started, self.ended
            ));
        }
        if self.unsafe_reached_twice > 0 {
            problems.push(format!(
                "{} requests of unsafe actions reached the service twice",
                self.unsafe_reached_twice
            ));
        }
        if self.unknown_successes > 0 {
            problems.push(format!(
                "{} successes the endpoint did not make, or taken twice",
                self.unknown_successes
            ));
        }
        for (kind, count) in &self.failed {
            if !EXPLAINED.contains(&kind.as_str()) {
                problems.push(format!(
                    "{count} calls failed with {kind}, which no fault explains"
                ));
            }
        }
        let (early, late) = (self.after_warm_up, self.at_the_end);
        if late.rss_kib > early.rss_kib + RSS_GROWTH_KIB {
            problems.push(format!(
                "resident memory grew {} -> {} KiB",
                early.rss_kib, late.rss_kib
            ));
        }
        if late.open_connections > early.open_connections + CONNECTION_GROWTH {
            problems.push(format!(
                "open connections grew {} -> {}",
                early.open_connections, late.open_connections
            ));
        }
        if late.live_tasks > early.live_tasks + TASK_GROWTH {
            problems.push(format!(
                "live tasks grew {} -> {}",
                early.live_tasks, late.live_tasks
            ));
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }
}

/// The failures the faults explain. An expired signature or credential is not among them:
/// the clock is corrected and credentials refreshed, so the main client never fails so.
const EXPLAINED: &[&str] = &[
    "service:AuthFailure.SignatureFailure", // the wrong key's calls
    "service:RequestLimitExceeded",         // throttled on every attempt
    "timeout",                              // slow answers, for unsafe actions or every attempt
    "transport",                            // drops and cuts, for unsafe actions or every attempt
    "invalid_answer",                       // 502 pages on every attempt
];

/// The answers the endpoint made, by number: made, and taken by a success.
struct Answers {
    next: AtomicU64,
    made: Vec<AtomicBool>,
    taken: Vec<AtomicBool>,
}

impl Answers {
    fn new(capacity: usize) -> Self {
        let flags = || (0..capacity).map(|_| AtomicBool::new(false)).collect();
        Self {
            next: AtomicU64::new(0),
            made: flags(),
            taken: flags(),
        }
    }

    /// A fresh answer id, `soak-<n>`, marked as made.
    fn make(&self) -> String {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        if let Some(made) = self.made.get(n as usize) {
            made.store(true, Ordering::Relaxed);
        }
        format!("soak-{n}")
    }

    /// Whether `id` is one the endpoint made and no success took before.
    fn take(&self, id: &str) -> bool {
        let Some(n) = id
            .strip_prefix("soak-")
            .and_then(|n| n.parse::<usize>().ok())
        else {
            return false;
        };
        let made = self.made.get(n).is_some_and(|m| m.load(Ordering::Relaxed));
        made && self
            .taken
            .get(n)
            .is_some_and(|t| !t.swap(true, Ordering::Relaxed))
    }
}

/// The faults, drawn for each request as its head arrives.
fn reply_for(answers: &Answers, stream: bool, output: serde_json::Value) -> Reply {
    let slow = Duration::from_millis(400);
    match fastrand::u32(..100) {
        0..=59 if stream => {
            let id = answers.make();
            let piece = |text: &str| json!({"Id": id, "Choices": [{"Delta": {"Content": text}}]});
            Reply::stream([Step::event(piece("soak")), Step::event(piece("ed"))])
        }
        0..=59 => {
            let mut output = output;
            output["RequestId"] = json!(answers.make());
            Reply::success(output)
        }
        60..=64 => Reply::drop_unread(),
        65..=69 => Reply::drop_connection(),
        70..=74 => Reply::raw(502, "text/html", "<h1>502 Bad Gateway</h1>"),
        75..=79 => Reply::error("RequestLimitExceeded", "slow down"),
        80..=84 => Reply::success(json!({})).delayed(slow),
        85..=89 if stream => {
            Reply::stream([Step::event(json!({"Choices": []})), Step::disconnect()])
        }
        _ => Reply::cut_short(json!({"OrgId": 1})),
    }
}

/// Credentials that live six seconds by the endpoint's clock, each one made known to the
/// endpoint when fetched: an STS in miniature.
struct Rotating {
    endpoint: Arc<LocalEndpoint>,
    skew: Arc<AtomicI64>,
    fetched: Arc<AtomicUsize>,
}

impl std::fmt::Debug for Rotating {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rotating").finish_non_exhaustive()
    }
}

impl ProvideCredential for Rotating {
    fn provide(&self) -> BoxFuture<'_, Result<Credential, CredentialError>> {
        let n = self.fetched.fetch_add(1, Ordering::SeqCst);
        let skew = self.skew.load(Ordering::SeqCst);
        let server_now = if skew >= 0 {
            SystemTime::now() + Duration::from_secs(skew.unsigned_abs())
        } else {
            SystemTime::now() - Duration::from_secs(skew.unsigned_abs())
        };
        let credential = Credential::new(format!("AKIDsoak{n}"), format!("soak-key-{n}"))
            .with_token(format!("soak-token-{n}"))
            .with_expiry(server_now + Duration::from_secs(6));
        self.endpoint.add_credential(credential.clone());
        Box::pin(async move { Ok(credential) })
    }
}

/// The config every client of the run shares the shape of.
fn config(endpoint: &LocalEndpoint) -> ConfigBuilder {
    let fast = RetryPolicy::standard()
        .with_initial_backoff(Duration::from_millis(5))
        .with_max_backoff(Duration::from_millis(40));
    let limits = ["DescribeOrganization", "UpdateOrganizationMemberEmailBind"]
        .iter()
        .fold(RateLimits::spec(), |limits, action| {
            limits.action("organization", action, 20_000)
        })
        .action("hunyuan", "ChatCompletions", 20_000);
    Config::builder()
        .endpoint(endpoint.url())
        .backup_endpoint(endpoint.url())
        .region("ap-guangzhou")
        .attempt_timeout(Duration::from_millis(250))
        .retry_policy(fast)
        .rate_limits(limits)
}

/// One call's outcome: `Ok` with the success's answer id, or the failure's kind.
type Ended = Result<Option<String>, String>;

fn kind<E>(error: &tencentcloud_runtime::Error<E>) -> String {
    match error.kind() {
        ErrorKind::Service(service) => format!("service:{}", service.code),
        ErrorKind::Timeout(_) => "timeout".to_owned(),
        ErrorKind::Transport(_) => "transport".to_owned(),
        ErrorKind::InvalidResponse(_) => "invalid_answer".to_owned(),
        ErrorKind::Credential(_) => "credential".to_owned(),
        ErrorKind::InvalidRequest(_) => "invalid_request".to_owned(),
        _ => "other".to_owned(),
    }
}

/// The clients of a run.
struct Clients {
    organization: organization::Client,
    hunyuan: hunyuan::Client,
    wrong_key: organization::Client,
}

/// Call `i`: which action, and with what mark in the request.
async fn call(clients: &Clients, i: usize) -> Ended {
    let mark = format!("soak-call-{i}");
    if i % 50 == 49 {
        let request = organization::DescribeOrganizationRequest::new();
        return match clients.wrong_key.describe_organization(request).await {
            Ok(answer) => Ok(Some(answer.request_id)),
            Err(e) => Err(kind(&e)),
        };
    }
    match i % 3 {
        0 => {
            let request = organization::DescribeOrganizationRequest::new();
            match clients.organization.describe_organization(request).await {
                Ok(answer) => Ok(Some(answer.request_id)),
                Err(e) => Err(kind(&e)),
            }
        }
        1 => {
            let request = organization::UpdateOrganizationMemberEmailBindRequest::new(
                i as i64,
                12,
                format!("{mark}@example.com"),
                "86",
                "13800000000",
            );
            match clients
                .organization
                .update_organization_member_email_bind(request)
                .await
            {
                Ok(answer) => Ok(Some(answer.request_id)),
                Err(e) => Err(kind(&e)),
            }
        }
        _ => {
            let message = hunyuan::Message::new().with_role("user").with_content(mark);
            let request = hunyuan::ChatCompletionsRequest::new("hunyuan-lite", vec![message]);
            #[allow(deprecated)] // listed deprecated by the China-site catalog; still served
            let mut events = match clients.hunyuan.chat_completions_stream(request).await {
                Ok(events) => events,
                Err(e) => return Err(kind(&e)),
            };
            let mut id = None;
            while let Some(event) =
                std::future::poll_fn(|cx| std::pin::Pin::new(&mut events).poll_next(cx)).await
            {
                match event {
                    Ok(event) => id = event.id.or(id),
                    Err(e) => return Err(kind(&e)),
                }
            }
            Ok(id)
        }
    }
}

/// Counts what the endpoint did with its requests, and, per call mark, how many requests of
/// an unsafe action reached the service.
struct Log {
    outcomes: BTreeMap<String, usize>,
    reached: Vec<u8>,
}

impl Log {
    fn read(&mut self, requests: Vec<RecordedRequest>) {
        for request in requests {
            let outcome = match &request.outcome {
                Outcome::Rejected { code } => format!("rejected:{code}"),
                other => format!("{other:?}").to_lowercase(),
            };
            *self.outcomes.entry(outcome).or_default() += 1;
            let unsafe_action = matches!(
                request.action.as_deref(),
                Some("UpdateOrganizationMemberEmailBind" | "ChatCompletions")
            );
            // Throttled requests were refused unprocessed, like those refused at the door.
            let throttled = request
                .answered_code
                .as_deref()
                .is_some_and(|code| code.starts_with("RequestLimitExceeded"));
            let reached =
                matches!(request.outcome, Outcome::Answered | Outcome::Dropped) && !throttled;
            if !(unsafe_action && reached) {
                continue;
            }
            let body = String::from_utf8_lossy(&request.body);
            let call = body
                .split("soak-call-")
                .nth(1)
                .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
                .and_then(|n| n.parse::<usize>().ok());
            if let Some(count) = call.and_then(|call| self.reached.get_mut(call)) {
                *count = count.saturating_add(1);
            }
        }
    }
}

/// The process's resident memory in KiB (Linux; 0 elsewhere).
fn rss_kib() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: u64 = statm
        .split(' ')
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(0);
    pages * 4
}

/// Runs the soak on the current (multi-thread) tokio runtime.
pub async fn run(settings: &Settings) -> Report {
    let started_at = Instant::now();
    let endpoint = Arc::new(
        LocalEndpoint::builder()
            .credential(Credential::new("AKIDsoakwrong", "the-right-key"))
            .start()
            .await
            .expect("the local endpoint starts"),
    );
    let answers = Arc::new(Answers::new(settings.calls * 4 + 1024));
    for (action, stream, output) in [
        ("DescribeOrganization", false, json!({"OrgId": 45155})),
        ("UpdateOrganizationMemberEmailBind", false, json!({})),
        ("ChatCompletions", true, json!({})),
    ] {
        let answers = answers.clone();
        endpoint.reply_with(action, move |_: &HeaderMap| {
            reply_for(&answers, stream, output.clone())
        });
    }
    let skew = Arc::new(AtomicI64::new(0));
    let fetched = Arc::new(AtomicUsize::new(0));
    let rotating = CachedProvider::new(Rotating {
        endpoint: endpoint.clone(),
        skew: skew.clone(),
        fetched: fetched.clone(),
    });
    let main = config(&endpoint)
        .credential_provider(rotating)
        .build()
        .expect("config");
    let wrong = config(&endpoint)
        .credential(Credential::new("AKIDsoakwrong", "a-wrong-key"))
        .build()
        .expect("config");
    let clients = Arc::new(Clients {
        organization: organization::Client::new(main.clone()),
        hunyuan: hunyuan::Client::new(main),
        wrong_key: organization::Client::new(wrong),
    });

    let next = Arc::new(AtomicUsize::new(0));
    let started = Arc::new(AtomicUsize::new(0));
    let ended = Arc::new(AtomicUsize::new(0));
    let outcomes = Arc::new(Mutex::new((
        0usize,
        BTreeMap::<String, usize>::new(),
        0usize,
    )));
    let mut log = Log {
        outcomes: BTreeMap::new(),
        reached: vec![0; settings.calls],
    };
    let deadline = started_at + settings.time_limit;
    let mut workers = tokio::task::JoinSet::new();
    for _ in 0..settings.concurrency {
        let (clients, next, started, ended, outcomes, answers) = (
            clients.clone(),
            next.clone(),
            started.clone(),
            ended.clone(),
            outcomes.clone(),
            answers.clone(),
        );
        let calls = settings.calls;
        workers.spawn(async move {
            loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                if i >= calls || Instant::now() >= deadline {
                    return;
                }
                started.fetch_add(1, Ordering::SeqCst);
                let result = call(&clients, i).await;
                let mut tally = outcomes.lock().unwrap_or_else(|e| e.into_inner());
                match result {
                    Ok(id) => {
                        tally.0 += 1;
                        if !id.is_some_and(|id| answers.take(&id)) {
                            tally.2 += 1;
                        }
                    }
                    Err(kind) => *tally.1.entry(kind).or_default() += 1,
                }
                drop(tally);
                ended.fetch_add(1, Ordering::SeqCst);
            }
        });
    }

    // The monitor: reads the endpoint's log as it goes, moves its clock, samples the gauges.
    let mut report = Report::default();
    let mut next_move = settings.skew_every;
    let moves = [600, 0, -600, 0];
    let sample = |endpoint: &LocalEndpoint| Gauges {
        rss_kib: rss_kib(),
        open_connections: endpoint.open_connections(),
        live_tasks: tokio::runtime::Handle::current()
            .metrics()
            .num_alive_tasks(),
    };
    let max = |a: Gauges, b: Gauges| Gauges {
        rss_kib: a.rss_kib.max(b.rss_kib),
        open_connections: a.open_connections.max(b.open_connections),
        live_tasks: a.live_tasks.max(b.live_tasks),
    };
    while !workers.is_empty() {
        tokio::select! {
            _ = workers.join_next() => {}
            () = tokio::time::sleep(Duration::from_millis(100)) => {}
        }
        log.read(endpoint.take_requests());
        let done = ended.load(Ordering::SeqCst);
        if done >= next_move {
            let to = moves[report.clock_moves % moves.len()];
            skew.store(to, Ordering::SeqCst);
            endpoint.set_clock_skew(to);
            report.clock_moves += 1;
            next_move += settings.skew_every;
        }
        let gauges = sample(&endpoint);
        let share = done * 100 / settings.calls.max(1);
        if (20..40).contains(&share) {
            report.after_warm_up = max(report.after_warm_up, gauges);
        } else if share >= 80 {
            report.at_the_end = max(report.at_the_end, gauges);
        }
    }
    log.read(endpoint.take_requests());

    let (succeeded, failed, unknown) =
        std::mem::take(&mut *outcomes.lock().unwrap_or_else(|e| e.into_inner()));
    report.started = started.load(Ordering::SeqCst);
    report.ended = ended.load(Ordering::SeqCst);
    report.succeeded = succeeded;
    report.failed = failed;
    report.unknown_successes = unknown;
    report.requests = log.outcomes;
    report.unsafe_reached_twice = log.reached.iter().filter(|count| **count > 1).count();
    report.credentials_fetched = fetched.load(Ordering::SeqCst);
    report.elapsed = started_at.elapsed();
    report
}
