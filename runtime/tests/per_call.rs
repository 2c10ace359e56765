//! Steering one call: call options (timeouts, region, endpoint, retry policy, headers),
//! any action by name, octet-stream bodies and unsigned payloads, all through a real local
//! endpoint. The trace ids and the span are in observability.rs.

mod common;

use std::time::Duration;

use common::*;
use serde_json::json;
use tencentcloud_runtime::body::{BodyKind, EncodeError, Encoded};
use tencentcloud_runtime::error::TimeoutKind;
use tencentcloud_runtime::local::{Reply, Step};
use tencentcloud_runtime::ErrorKind;
use tencentcloud_runtime::{
    Action, Binary, CallOptions, Client, CommonErrorCode, ConfigError, Request, RetryPolicy,
    Service,
};

fn options() -> tencentcloud_runtime::CallOptionsBuilder {
    CallOptions::builder()
}

#[tokio::test]
async fn options_apply_to_the_calls_of_the_view_only() {
    let endpoint = endpoint().await;
    let other = common::endpoint().await;
    endpoint.script(
        "DescribeOrganization",
        [
            Reply::success(json!({})).delayed(Duration::from_millis(400)),
            Reply::success(json!({})).delayed(Duration::from_millis(400)),
        ],
    );
    other.reply("DescribeOrganization", Reply::success(json!({})));
    let client = client(
        config(&endpoint)
            .region("ap-guangzhou")
            .attempt_timeout(Duration::from_millis(100))
            .retry_policy(RetryPolicy::disabled()),
    );
    // The config's 100 ms attempt timeout fails the slow answer...
    let error = client
        .call::<_, Answer, SeedError>(&DESCRIBE, Empty {})
        .await
        .unwrap_err();
    assert!(matches!(error.kind(), ErrorKind::Timeout(t) if t.kind == TimeoutKind::Attempt));
    // ...a view with a longer one waits for it, in another region, with a header.
    let patient = client.with_options(
        &options()
            .attempt_timeout(Duration::from_secs(5))
            .region("ap-singapore")
            .header("X-Custom", "yes")
            .build()
            .unwrap(),
    );
    patient
        .call::<_, Answer, SeedError>(&DESCRIBE, Empty {})
        .await
        .unwrap();
    let sent = endpoint.requests_for("DescribeOrganization");
    let header = |i: usize, name: &str| {
        sent[i]
            .headers
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
    };
    assert_eq!(header(0, "x-tc-region").as_deref(), Some("ap-guangzhou"));
    assert_eq!(header(1, "x-tc-region").as_deref(), Some("ap-singapore"));
    assert_eq!(header(1, "x-custom").as_deref(), Some("yes"));
    assert_eq!(header(0, "x-custom"), None);
    // Another endpoint for one view; the original client still goes to its own.
    let elsewhere = client.with_options(&options().endpoint(other.url()).build().unwrap());
    elsewhere
        .call::<_, Answer, SeedError>(&DESCRIBE, Empty {})
        .await
        .unwrap();
    assert_eq!(other.requests().len(), 1);
    assert_eq!(endpoint.requests().len(), 2);
}

#[tokio::test]
async fn a_view_can_retry_where_the_config_does_not() {
    let endpoint = endpoint().await;
    endpoint.script(
        "DescribeOrganization",
        [
            Reply::error("RequestLimitExceeded", "slow down"),
            Reply::success(json!({})),
        ],
    );
    let client = client(config(&endpoint).retry_policy(RetryPolicy::disabled()));
    let retrying = client.with_options(
        &options()
            .retry_policy(
                RetryPolicy::standard()
                    .with_initial_backoff(Duration::from_millis(5))
                    .with_max_backoff(Duration::from_millis(10)),
            )
            .build()
            .unwrap(),
    );
    retrying
        .call::<_, Answer, SeedError>(&DESCRIBE, Empty {})
        .await
        .unwrap();
    assert_eq!(endpoint.requests().len(), 2);
}

#[test]
fn bad_options_are_refused_when_built() {
    let refused = |builder: tencentcloud_runtime::CallOptionsBuilder| {
        builder.build().unwrap_err().to_string()
    };
    assert_eq!(
        refused(options().region("Not A Region")),
        "invalid region \"Not A Region\": expected lower-case letters, digits and dashes, such as ap-guangzhou"
    );
    assert_eq!(
        refused(options().endpoint("ftp://x")),
        "invalid endpoint \"ftp://x\": the scheme must be http or https"
    );
    assert_eq!(
        refused(options().header("Authorization", "x")),
        "invalid header: \"Authorization\": set by the call path itself"
    );
    assert_eq!(
        refused(options().header("X-TC-Region", "x")),
        "invalid header: \"X-TC-Region\": set by the call path itself"
    );
    assert_eq!(
        refused(options().header("X-Ok", "line\nbreak")),
        "invalid header: \"X-Ok\": not a valid header value"
    );
    assert!(matches!(
        options().attempt_timeout(Duration::ZERO).build(),
        Err(ConfigError::InvalidSetting {
            name: "attempt_timeout",
            ..
        })
    ));
}

#[tokio::test]
async fn any_action_by_name_goes_through_the_same_call_path() {
    let endpoint = endpoint().await;
    endpoint.script(
        "DescribeNewThing",
        [
            Reply::error("RequestLimitExceeded", "once"),
            Reply::success(json!({"Things": [{"Id": 1}], "TotalCount": 1})),
        ],
    );
    endpoint.reply("DescribeMissing", Reply::error("ResourceNotFound", "none"));
    let config = config(&endpoint).build().unwrap();
    let client = Client::new(config, Service::named("newservice", "2025-01-01"));
    let answer = client
        .call_by_name("DescribeNewThing", &json!({"Limit": 10}))
        .await
        .unwrap();
    assert_eq!(answer["Things"][0]["Id"], 1);
    assert_eq!(answer["TotalCount"], 1);
    assert!(answer["RequestId"].is_string());
    let sent = endpoint.requests_for("DescribeNewThing");
    assert_eq!(sent.len(), 2, "retried after the rate limit");
    assert_eq!(&sent[1].body[..], br#"{"Limit":10}"#);
    assert_eq!(sent[1].headers["x-tc-version"], "2025-01-01");
    let error = client
        .call_by_name("DescribeMissing", &json!({}))
        .await
        .unwrap_err();
    assert!(
        matches!(error.kind(), ErrorKind::Service(_) if error.service_code() == Some(CommonErrorCode::ResourceNotFound)
        )
    );
}

#[tokio::test]
async fn any_streaming_action_by_name_yields_json_events() {
    let endpoint = endpoint().await;
    endpoint.reply(
        "ChatCompletions",
        Reply::stream([
            Step::event(json!({"Delta": "a"})),
            Step::event(json!({"Delta": "b"})),
        ]),
    );
    let client = client(config(&endpoint));
    let mut events = client
        .stream_by_name("ChatCompletions", &json!({"Stream": true}))
        .await
        .unwrap();
    let first = next(&mut events).await.unwrap().unwrap();
    assert_eq!(first["Delta"], "a");
    assert_eq!(first["RequestId"], events.request_id());
    assert_eq!(next(&mut events).await.unwrap().unwrap()["Delta"], "b");
    assert!(next(&mut events).await.is_none());
}

/// cls `UploadLog`, as its spec describes it.
static UPLOAD_LOG: Action = Action::new("UploadLog").body(BodyKind::OctetStream {
    body: "LogGroupList",
    headers: &[
        ("TopicId", "X-CLS-TopicId"),
        ("CompressType", "X-CLS-CompressType"),
    ],
});

#[derive(serde::Serialize)]
struct UploadLog {
    #[serde(rename = "TopicId")]
    topic_id: String,
    #[serde(rename = "CompressType", skip_serializing_if = "Option::is_none")]
    compress_type: Option<String>,
    #[serde(rename = "LogGroupList")]
    log_group_list: Binary,
}

impl Request for UploadLog {
    fn body(&self, kind: BodyKind) -> Result<Encoded, EncodeError> {
        tencentcloud_runtime::body::encode(kind, self)
    }
}

impl tencentcloud_runtime::body::WriteJson for UploadLog {
    fn write_json(&self, out: &mut tencentcloud_runtime::body::JsonWriter) {
        out.serde(self);
    }
}

#[tokio::test]
async fn an_octet_stream_body_is_sent_and_signed_as_is_with_its_fields_as_headers() {
    let endpoint = endpoint().await;
    endpoint.reply("UploadLog", Reply::success(json!({})));
    endpoint.reply("DescribeOrganization", Reply::success(json!({})));
    let bytes: Vec<u8> = (0..=255u8).cycle().take(70_000).collect();
    for unsigned in [false, true] {
        let client = client(config(&endpoint).unsigned_payload(unsigned));
        client
            .call::<_, Answer, SeedError>(
                &UPLOAD_LOG,
                UploadLog {
                    topic_id: "f6c4fa6f-1".into(),
                    compress_type: Some("lz4".into()),
                    log_group_list: Binary::from(bytes.clone()),
                },
            )
            .await
            .unwrap();
        // JSON actions sign the same way with an unsigned payload.
        client
            .call::<_, Answer, SeedError>(&DESCRIBE, Empty {})
            .await
            .unwrap();
    }
    let sent = endpoint.requests_for("UploadLog");
    for (request, unsigned) in sent.iter().zip([false, true]) {
        assert_eq!(request.headers["content-type"], "application/octet-stream");
        assert_eq!(request.headers["x-cls-topicid"], "f6c4fa6f-1");
        assert_eq!(request.headers["x-cls-compresstype"], "lz4");
        assert_eq!(&request.body[..], &bytes[..]);
        assert_eq!(
            request.headers.get("x-tc-content-sha256").is_some(),
            unsigned
        );
    }
    assert_eq!(
        endpoint.requests_for("DescribeOrganization")[1].headers["x-tc-content-sha256"],
        "UNSIGNED-PAYLOAD"
    );
}
