//! Event streams over real HTTP: each event handed over as it arrives, errors before and
//! during the stream, the idle timeout, no retry once events flow (the span: in
//! observability.rs).

mod common;

use std::time::Duration;

use common::*;
use serde_json::json;
use tencentcloud_runtime::error::TimeoutKind;
use tencentcloud_runtime::local::{Gate, Reply, Step};
use tencentcloud_runtime::ErrorKind;
use tencentcloud_runtime::{Action, Error, EventStream};

/// A chat action that streams when asked.
static CHAT: Action = Action::new("ChatCompletions");

/// An event: every field optional, as generated event types are.
#[derive(Debug, PartialEq, Default)]
struct Chunk {
    note: Option<String>,
    choices: Option<Vec<String>>,
    request_id: String,
}

tencentcloud_runtime::impl_decode!(Chunk {
    note: "Note",
    choices: "Choices",
    request_id: "RequestId",
});

fn chunk(note: &str) -> serde_json::Value {
    json!({ "Note": note, "Choices": [note] })
}

async fn open(
    client: &tencentcloud_runtime::Client,
) -> Result<EventStream<Chunk, SeedError>, Error<SeedError>> {
    client.stream::<_, Chunk, SeedError>(&CHAT, Empty {}).await
}

#[tokio::test]
async fn the_first_event_reaches_the_caller_before_the_last_is_sent() {
    let endpoint = endpoint().await;
    let gate = Gate::new();
    endpoint.reply(
        "ChatCompletions",
        Reply::stream([
            Step::event(chunk("one")),
            Step::wait(&gate),
            Step::raw(": a comment, then an event in two pieces\n\ndata: {\"Note\":"),
            Step::raw("\"two\"}\n\n"),
        ]),
    );
    let client = client(config(&endpoint));
    let mut events = open(&client).await.unwrap();
    let request_id = events.request_id().to_owned();
    assert!(!request_id.is_empty(), "the X-TC-RequestId header");
    // The script cannot send the second event until the gate opens: the first is here.
    let first = next(&mut events).await.unwrap().unwrap();
    assert_eq!(
        first,
        Chunk {
            note: Some("one".into()),
            choices: Some(vec!["one".into()]),
            request_id: request_id.clone(),
        }
    );
    gate.open();
    let second = next(&mut events).await.unwrap().unwrap();
    assert_eq!(second.note.as_deref(), Some("two"));
    assert_eq!(second.choices, None, "a field the event lacks is None");
    assert!(next(&mut events).await.is_none());
    assert!(next(&mut events).await.is_none(), "ended for good");
}

#[tokio::test]
async fn an_error_envelope_instead_of_a_stream_is_the_calls_typed_error() {
    let endpoint = endpoint().await;
    endpoint.reply(
        "ChatCompletions",
        Reply::error("FailedOperation.EmailAlreadyUsed", "no"),
    );
    let error = open(&client(config(&endpoint))).await.unwrap_err();
    assert!(
        matches!(error.kind(), ErrorKind::Service(_) if error.service_code() == Some(SeedError::EmailAlreadyUsed)
        )
    );
    assert!(error.trace_id().is_some());
}

#[tokio::test]
async fn one_envelope_where_a_stream_was_asked_is_one_event() {
    let endpoint = endpoint().await;
    endpoint.reply("ChatCompletions", Reply::success(chunk("whole")));
    let mut events = open(&client(config(&endpoint))).await.unwrap();
    let only = next(&mut events).await.unwrap().unwrap();
    assert_eq!(only.note.as_deref(), Some("whole"));
    assert_eq!(only.request_id, events.request_id());
    assert!(next(&mut events).await.is_none());
}

#[tokio::test]
async fn a_break_mid_stream_is_one_error_then_the_end_and_nothing_is_retried() {
    let endpoint = endpoint().await;
    endpoint.script(
        "ChatCompletions",
        [
            Reply::stream([Step::event(chunk("one")), Step::disconnect()]),
            Reply::stream([Step::event(chunk("again"))]),
        ],
    );
    let mut events = open(&client(config(&endpoint))).await.unwrap();
    assert_eq!(
        next(&mut events).await.unwrap().unwrap().note.as_deref(),
        Some("one")
    );
    let broken = next(&mut events).await.unwrap().unwrap_err();
    assert!(
        matches!(broken.kind(), ErrorKind::Transport(_)),
        "{broken:?}"
    );
    assert!(next(&mut events).await.is_none());
    assert_eq!(endpoint.requests_for("ChatCompletions").len(), 1);
}

#[tokio::test]
async fn an_idle_stream_ends_with_a_timeout_that_replaces_the_attempt_timeout() {
    let endpoint = endpoint().await;
    endpoint.reply(
        "ChatCompletions",
        Reply::stream([
            Step::event(chunk("one")),
            Step::delay(Duration::from_millis(300)),
            Step::event(chunk("two")),
            Step::delay(Duration::from_secs(30)),
            Step::event(chunk("never")),
        ]),
    );
    // The stream lasts longer than the attempt timeout, and each gap is under the idle one.
    let client = client(
        config(&endpoint)
            .attempt_timeout(Duration::from_millis(200))
            .stream_idle_timeout(Duration::from_millis(900)),
    );
    let mut events = open(&client).await.unwrap();
    assert!(next(&mut events).await.unwrap().is_ok());
    assert!(next(&mut events).await.unwrap().is_ok(), "after 300 ms");
    let idle = next(&mut events).await.unwrap().unwrap_err();
    assert!(
        matches!(idle.kind(), ErrorKind::Timeout(t) if t.kind == TimeoutKind::StreamIdle && t.limit == Duration::from_millis(900)),
        "{idle:?}"
    );
    assert!(next(&mut events).await.is_none());
}

#[tokio::test]
async fn an_error_event_ends_the_stream_with_the_typed_error() {
    let endpoint = endpoint().await;
    endpoint.reply(
        "ChatCompletions",
        Reply::stream([
            Step::event(chunk("one")),
            Step::event(
                json!({"Error": {"Code": "FailedOperation.EmailAlreadyUsed", "Message": "m"}}),
            ),
            Step::event(chunk("after")),
        ]),
    );
    let mut events = open(&client(config(&endpoint))).await.unwrap();
    assert!(next(&mut events).await.unwrap().is_ok());
    let error = next(&mut events).await.unwrap().unwrap_err();
    assert!(
        matches!(error.kind(), ErrorKind::Service(e) if error.service_code() == Some(SeedError::EmailAlreadyUsed) && e.request_id == events.request_id())
    );
    assert!(next(&mut events).await.is_none());
}

#[tokio::test]
async fn an_event_that_does_not_match_is_an_error_that_keeps_it_and_the_stream_goes_on() {
    let endpoint = endpoint().await;
    let odd = json!({ "Note": "odd", "Choices": "not a list" });
    endpoint.reply(
        "ChatCompletions",
        Reply::stream([Step::event(odd.clone()), Step::event(chunk("after"))]),
    );
    let mut events = open(&client(config(&endpoint))).await.unwrap();
    let error = next(&mut events).await.unwrap().unwrap_err();
    let ErrorKind::InvalidResponse(invalid) = error.kind() else {
        panic!("{error}");
    };
    let mismatch = invalid.mismatch.as_ref().expect("a mismatch");
    assert_eq!(mismatch.field.as_deref(), Some("Response.Choices"));
    // The event's data as it came, not a copy rebuilt around it.
    let kept: serde_json::Value = serde_json::from_slice(&mismatch.body).unwrap();
    assert_eq!(kept, odd);
    assert_eq!(invalid.content_type.as_deref(), Some("text/event-stream"));
    // Not the service's error and not a broken stream: the next event still comes.
    let after = next(&mut events).await.unwrap().unwrap();
    assert_eq!(after.note.as_deref(), Some("after"));
    assert_eq!(after.request_id, events.request_id());
    assert!(next(&mut events).await.is_none());
}
