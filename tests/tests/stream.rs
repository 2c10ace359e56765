//! Streaming answers, octet-stream bodies and per-call options through a generated client
//! (tests/specs/chat, shaped like hunyuan, trtc, es and cls) and a real local endpoint.

use std::time::Duration;

use serde_json::json;
use tencentcloud_runtime::local::{Gate, Reply, Step};
use tencentcloud_runtime::ErrorKind;
use tencentcloud_runtime::{CallOptions, Credential};
use tencentcloud_tests::obstacle_course::chat::v20240101 as chat;

use chat::{
    ChatCompletionsRequest, Client, Message, ParseDocumentRequest, SpeakSSERequest,
    UploadLogRequest,
};

fn credential() -> Credential {
    Credential::new("AKIDstream", "stream-secret")
}

fn ask() -> ChatCompletionsRequest {
    ChatCompletionsRequest::new("hunyuan-lite", vec![Message::new("user", "hello")])
}

/// The next item of a stream.
async fn next<S: futures_core::Stream + Unpin>(stream: &mut S) -> Option<S::Item> {
    std::future::poll_fn(|cx| std::pin::Pin::new(&mut *stream).poll_next(cx)).await
}

fn delta(text: &str) -> serde_json::Value {
    json!({"Created": 1, "Choices": [{"Delta": {"Role": "assistant", "Content": text}}]})
}

#[tokio::test]
async fn the_stream_method_turns_streaming_on_and_hands_over_each_event_as_it_arrives() {
    let gate = Gate::new();
    let (endpoint, config) = tencentcloud_tests::local_endpoint(
        &credential(),
        [(
            "ChatCompletions",
            Reply::stream([
                Step::event(delta("Hel")),
                Step::wait(&gate),
                Step::event(json!({"Choices": [{"Delta": {"Role": "assistant", "Content": "lo"}, "FinishReason": "stop"}]})),
            ]),
        )],
    )
    .await;
    let client = Client::new(config.build().unwrap());
    let mut events = client.chat_completions_stream(ask()).await.unwrap();
    let first = next(&mut events).await.unwrap().unwrap();
    assert_eq!(first.created, Some(1));
    let choices = first.choices.unwrap();
    assert_eq!(choices[0].delta.as_ref().unwrap().content, "Hel");
    assert_eq!(
        choices[0].finish_reason, None,
        "a field the event lacks is None"
    );
    assert_eq!(first.request_id, events.request_id());
    // The second event is held at the gate: the first arrived before it was sent.
    gate.open();
    let last = next(&mut events).await.unwrap().unwrap();
    assert_eq!(last.created, None);
    assert_eq!(
        last.choices.unwrap()[0].finish_reason.as_deref(),
        Some("stop")
    );
    assert!(next(&mut events).await.is_none());
    let sent = endpoint.requests_for("ChatCompletions");
    let body: serde_json::Value = serde_json::from_slice(&sent[0].body).unwrap();
    assert_eq!(body["Stream"], true, "the _stream method set Stream");
}

#[tokio::test]
async fn the_plain_method_of_an_action_that_can_stream_reads_one_envelope() {
    let (_endpoint, config) = tencentcloud_tests::local_endpoint(
        &credential(),
        [("ChatCompletions", Reply::success(delta("whole")))],
    )
    .await;
    let client = Client::new(config.build().unwrap());
    let answer = client.chat_completions(ask()).await.unwrap();
    assert_eq!(
        answer.choices.unwrap()[0].delta.as_ref().unwrap().content,
        "whole"
    );
}

#[tokio::test]
async fn a_plain_call_that_gets_a_stream_says_to_call_the_stream_method() {
    let (_endpoint, config) = tencentcloud_tests::local_endpoint(
        &credential(),
        [("ChatCompletions", Reply::stream([Step::event(delta("x"))]))],
    )
    .await;
    let client = Client::new(config.build().unwrap());
    let error = client
        .chat_completions(ask().with_stream(true))
        .await
        .unwrap_err();
    let ErrorKind::InvalidResponse(invalid) = error.kind() else {
        panic!("{error:?}")
    };
    assert!(
        invalid
            .reason
            .contains("call the action's `_stream` method"),
        "{}",
        invalid.reason
    );
    assert!(
        invalid.excerpt.contains("data: "),
        "the answer is kept: {invalid:?}"
    );
}

#[tokio::test]
async fn always_streaming_actions_have_the_stream_method_only() {
    let (_endpoint, config) = tencentcloud_tests::local_endpoint(
        &credential(),
        [
            (
                "SpeakSSE",
                Reply::stream([
                    Step::event(json!({"Audio": "AAA="})),
                    Step::event(json!({"Audio": "BBB="})),
                ]),
            ),
            (
                "ParseDocument",
                Reply::stream([Step::event(json!({"Progress": "100"}))]),
            ),
        ],
    )
    .await;
    let client = Client::new(config.build().unwrap());
    let mut audio = client
        .speak_sse_stream(SpeakSSERequest::new("hi"))
        .await
        .unwrap();
    let mut chunks = Vec::new();
    while let Some(event) = next(&mut audio).await {
        chunks.push(event.unwrap().audio.unwrap());
    }
    assert_eq!(chunks, ["AAA=", "BBB="]);
    let mut progress = client
        .parse_document_stream(ParseDocumentRequest::new("https://example.com/a.pdf"))
        .await
        .unwrap();
    assert_eq!(
        next(&mut progress)
            .await
            .unwrap()
            .unwrap()
            .progress
            .as_deref(),
        Some("100")
    );
}

#[test]
fn the_blocking_client_iterates_the_events() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let (_endpoint, config) = runtime.block_on(tencentcloud_tests::local_endpoint(
        &credential(),
        [(
            "ChatCompletions",
            Reply::stream([
                Step::event(delta("a")),
                Step::delay(Duration::from_millis(50)),
                Step::event(delta("b")),
                Step::disconnect(),
            ]),
        )],
    ));
    let client = chat::blocking::Client::new(config.build().unwrap());
    let events = client.chat_completions_stream(ask()).unwrap();
    assert!(!events.request_id().is_empty());
    let items: Vec<_> = events.collect();
    assert_eq!(items.len(), 3, "two events, then the break: {items:?}");
    assert!(items[0].is_ok() && items[1].is_ok());
    assert!(matches!(
        items[2].as_ref().map_err(|e| e.kind()),
        Err(ErrorKind::Transport(_))
    ));
}

#[tokio::test]
async fn an_octet_stream_action_sends_its_body_as_is_and_its_fields_as_headers() {
    let (endpoint, config) = tencentcloud_tests::local_endpoint(
        &credential(),
        [("UploadLog", Reply::success(json!({})))],
    )
    .await;
    let client = Client::new(config.build().unwrap());
    let logs = vec![0x0a, 0x00, 0xff, b'\r', b'\n'];
    client
        .upload_log(UploadLogRequest::new("topic-1", logs.clone()).with_compress_type("lz4"))
        .await
        .unwrap();
    let sent = &endpoint.requests_for("UploadLog")[0];
    assert_eq!(sent.headers["content-type"], "application/octet-stream");
    assert_eq!(sent.headers["x-cls-topicid"], "topic-1");
    // No header given in the spec: the official SDKs' X-<SERVICE>-<Member>.
    assert_eq!(sent.headers["x-chat-compresstype"], "lz4");
    assert_eq!(&sent.body[..], &logs[..]);
}

#[tokio::test]
async fn with_options_steers_the_calls_of_one_view_and_runtime_reaches_any_action() {
    let (endpoint, config) = tencentcloud_tests::local_endpoint(
        &credential(),
        [
            (
                "ChatCompletions",
                Reply::stream([
                    Step::event(delta("a")),
                    Step::delay(Duration::from_millis(400)),
                    Step::event(delta("b")),
                ]),
            ),
            ("DescribeNotInTheSpec", Reply::success(json!({"Count": 3}))),
        ],
    )
    .await;
    let client = Client::new(
        config
            .stream_idle_timeout(Duration::from_millis(100))
            .build()
            .unwrap(),
    );
    let patient = client.with_options(
        &CallOptions::builder()
            .stream_idle_timeout(Duration::from_secs(5))
            .header("X-Team", "search")
            .region("ap-singapore")
            .build()
            .unwrap(),
    );
    let mut events = patient.chat_completions_stream(ask()).await.unwrap();
    assert!(next(&mut events).await.unwrap().is_ok());
    assert!(next(&mut events).await.unwrap().is_ok(), "waited 400 ms");
    let sent = &endpoint.requests_for("ChatCompletions")[0];
    assert_eq!(sent.headers["x-team"], "search");
    assert_eq!(sent.headers["x-tc-region"], "ap-singapore");
    assert!(sent.headers.contains_key("x-tc-traceid"));
    let answer = client
        .runtime()
        .call_by_name("DescribeNotInTheSpec", &json!({"Limit": 1}))
        .await
        .unwrap();
    assert_eq!(answer["Count"], 3);
}
