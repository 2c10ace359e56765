//! Calls by name at parity with generated methods, through the local endpoint: an action the
//! client knows keeps its region rule; retries follow the same rules (read-only by name, a
//! `ClientToken` filled once and sent in every attempt); the answer reads into a type of the
//! caller's own.

mod common;

use common::*;
use serde_json::json;
use tencentcloud_runtime::error::InvalidRequest;
use tencentcloud_runtime::local::Reply;
use tencentcloud_runtime::{Client, CommonErrorCode, ErrorKind};

/// The actions a generated organization client would give the runtime.
static KNOWN: [&tencentcloud_runtime::Action; 2] = [&UPDATE_EMAIL_BIND, &REGIONAL];

#[tokio::test]
async fn a_known_action_called_by_name_keeps_its_region_rule() {
    let endpoint = endpoint().await;
    endpoint.reply(UPDATE_EMAIL_BIND.name(), Reply::success(json!({})));
    endpoint.reply(REGIONAL.name(), Reply::success(json!({})));
    let config = config(&endpoint).region("ap-guangzhou").build().unwrap();
    let client = Client::with_actions(config.clone(), ORGANIZATION, &KNOWN);

    // The seed action takes no region: none is sent, by name as by its method.
    client
        .call_by_name(UPDATE_EMAIL_BIND.name(), &json!({}))
        .await
        .unwrap();
    let sent = &endpoint.requests_for(UPDATE_EMAIL_BIND.name())[0];
    assert!(
        !sent.headers.contains_key("x-tc-region"),
        "{:?}",
        sent.headers
    );

    // A client that does not know the action sends the configured region.
    Client::new(config, ORGANIZATION)
        .call_by_name(UPDATE_EMAIL_BIND.name(), &json!({}))
        .await
        .unwrap();
    let sent = &endpoint.requests_for(UPDATE_EMAIL_BIND.name())[1];
    assert_eq!(sent.headers["x-tc-region"], "ap-guangzhou");

    // One that needs a region fails before sending without one.
    let bare = config_without_region(&endpoint);
    let error = Client::with_actions(bare, ORGANIZATION, &KNOWN)
        .call_by_name(REGIONAL.name(), &json!({}))
        .await
        .unwrap_err();
    assert!(
        matches!(
            error.kind(),
            ErrorKind::InvalidRequest(InvalidRequest::RegionRequired { .. })
        ),
        "{error:?}"
    );
}

fn config_without_region(
    endpoint: &tencentcloud_runtime::local::LocalEndpoint,
) -> tencentcloud_runtime::Config {
    config(endpoint).build().unwrap()
}

#[tokio::test]
async fn retries_follow_the_rules_of_generated_methods() {
    let endpoint = endpoint().await;
    let client = client(config(&endpoint));
    let busy = || Reply::raw(503, "text/html", "busy");

    // Read-only by its name: retried after a gateway error.
    endpoint.script(
        "DescribeNewThing",
        [busy(), Reply::success(json!({"Count": 1}))],
    );
    let answer = client
        .call_by_name("DescribeNewThing", &json!({}))
        .await
        .unwrap();
    assert_eq!(answer["Count"], 1);
    assert_eq!(endpoint.requests_for("DescribeNewThing").len(), 2);

    // Not read-only, no ClientToken: not retried once sent.
    endpoint.script("CreateNewThing", [busy(), Reply::success(json!({}))]);
    client
        .call_by_name("CreateNewThing", &json!({"Name": "a"}))
        .await
        .unwrap_err();
    assert_eq!(endpoint.requests_for("CreateNewThing").len(), 1);

    // With an empty ClientToken: filled once, retried, the same token in both attempts.
    endpoint.script("CreateOtherThing", [busy(), Reply::success(json!({}))]);
    client
        .call_by_name("CreateOtherThing", &json!({"Name": "a", "ClientToken": ""}))
        .await
        .unwrap();
    let tokens: Vec<String> = endpoint
        .requests_for("CreateOtherThing")
        .iter()
        .map(|r| {
            serde_json::from_slice::<serde_json::Value>(&r.body).unwrap()["ClientToken"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(tokens.len(), 2);
    assert_eq!(tokens[0], tokens[1]);
    assert_eq!(tokens[0].len(), 36);
}

/// A type of the caller's own for the part of an answer it reads.
#[derive(Debug, PartialEq, Default)]
struct Count {
    count: u64,
    label: Option<String>,
}
tencentcloud_runtime::impl_decode!(Count {
    count: "Count",
    label: "Label"
});

#[tokio::test]
async fn the_answer_reads_into_the_callers_own_type_and_a_bad_body_is_refused() {
    let endpoint = endpoint().await;
    endpoint.reply("DescribeNewThing", Reply::success(json!({"Count": "3"})));
    let client = client(config(&endpoint));
    let count: Count = client
        .call_by_name_as::<_, CommonErrorCode>("DescribeNewThing", &json!({}))
        .await
        .unwrap();
    // The decoding policy applies: the count came as text.
    assert_eq!(
        count,
        Count {
            count: 3,
            label: None
        }
    );

    let error = client
        .call_by_name("DescribeNewThing", &json!(["not", "an", "object"]))
        .await
        .unwrap_err();
    match error.kind() {
        ErrorKind::InvalidRequest(InvalidRequest::Serialize(why)) => {
            assert_eq!(
                why,
                "a body called by name must be a JSON object, not a list"
            )
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(endpoint.requests_for("DescribeNewThing").len(), 1);
}
