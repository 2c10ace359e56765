//! A China-site user's first program: hunyuan's `ChatCompletions`, which only the China-site
//! catalog lists, streamed through the SDK's own `hunyuan` feature (generated from
//! `api-specs/`, nothing else to import or generate) against a real local endpoint, with the
//! China site's settings.

use serde_json::json;
use tencentcloud_runtime::local::{Reply, Step};
use tencentcloud_runtime::{Credential, Language, Site};
use tencentcloud_sdk::hunyuan::v20230901::{ChatCompletionsRequest, Client, Message};

/// The next item of a stream.
async fn next<S: futures_core::Stream + Unpin>(stream: &mut S) -> Option<S::Item> {
    std::future::poll_fn(|cx| std::pin::Pin::new(&mut *stream).poll_next(cx)).await
}

#[tokio::test]
async fn a_china_site_user_streams_hunyuan_chat_completions() {
    let credential = Credential::new("AKIDchina", "china-secret");
    let event = |text: &str, finish: Option<&str>| json!({"Created": 1, "Choices": [{"Delta": {"Role": "assistant", "Content": text}, "FinishReason": finish}]});
    let (endpoint, config) = tencentcloud_tests::local_endpoint(
        &credential,
        [(
            "ChatCompletions",
            Reply::stream([
                Step::event(event("你", None)),
                Step::event(event("好", Some("stop"))),
            ]),
        )],
    )
    .await;
    // The README's China-site settings; the local endpoint stands in for the host.
    let config = config
        .site(Site::China)
        .language(Language::ZhCn)
        .region("ap-guangzhou")
        .build()
        .unwrap();
    let client = Client::new(config);
    let message = Message::new().with_role("user").with_content("你好");
    let request = ChatCompletionsRequest::new("hunyuan-turbos-latest", vec![message]);
    // The China-site catalog marks ChatCompletions deprecated (status `deprecated`), and the
    // method says so; it is still served.
    #[allow(deprecated)]
    let mut events = client.chat_completions_stream(request).await.unwrap();
    let mut text = String::new();
    while let Some(event) = next(&mut events).await {
        let event = event.unwrap();
        for choice in event.choices.unwrap_or_default() {
            text.push_str(&choice.delta.and_then(|d| d.content).unwrap_or_default());
        }
    }
    assert_eq!(text, "你好");
    let sent = endpoint.requests_for("ChatCompletions");
    assert_eq!(sent.len(), 1);
    let body: serde_json::Value = serde_json::from_slice(&sent[0].body).unwrap();
    assert_eq!(body["Stream"], true, "the _stream method set Stream");
    assert_eq!(body["Model"], "hunyuan-turbos-latest");
    let header = |name: &str| sent[0].headers[name].to_str().unwrap().to_owned();
    assert_eq!(header("X-TC-Language"), "zh-CN");
    assert_eq!(header("X-TC-Version"), "2023-09-01");
    assert_eq!(header("X-TC-Region"), "ap-guangzhou");
}
