//! The obstacle course (tests/specs/obstacle): names that break naive generators, compiled
//! into this crate and sent through the local endpoint.

use serde_json::json;
use tencentcloud_runtime::body::JsonWriter;
use tencentcloud_runtime::local::{LocalEndpoint, Reply};
use tencentcloud_runtime::ErrorKind;
use tencentcloud_runtime::{CommonErrorCode, Config, Credential, ErrorCode};
use tencentcloud_tests::obstacle_course::obstacle::v20200101 as obstacle;

use obstacle::{
    Client, CreateThingRequest, DescribeThingsRequest, GetPublicKeyRequest, Node,
    Option as OptionStruct, ReportErrorError, ReportErrorRequest,
};

async fn setup(region: core::option::Option<&str>) -> (LocalEndpoint, Client) {
    let credential = Credential::new("AKIDobstacle", "obstacle-secret");
    let endpoint = LocalEndpoint::builder()
        .credential(credential.clone())
        .unsigned_action("GetPublicKey")
        .start()
        .await
        .unwrap();
    let mut config = Config::builder()
        .credential(credential)
        .endpoint(endpoint.url());
    if let Some(region) = region {
        config = config.region(region);
    }
    (endpoint, Client::new(config.build().unwrap()))
}

#[test]
fn keywords_collisions_and_std_names_serialise_to_wire_names() {
    // `Parent` holds a `Node` and is marked required: optional all the same, so there is a
    // `Node::new()` and a `Node::default()` to start from.
    assert_eq!(Node::default().parent, None);
    let tree = Node::new()
        .with_value("root")
        .with_parent(Box::new(Node::new().with_value("up")))
        .with_children(vec![Node::new().with_value("leaf").with_children(vec![])]);
    let request = DescribeThingsRequest::new("kind", 7)
        .with_match("m")
        .with_self("me")
        .with_request("r")
        .with_client("c")
        .with_config(-1)
        .with_where(true)
        .with_super(1.5)
        .with_async(u64::MAX)
        .with_app_id_2("upper")
        .with_filters(vec![OptionStruct::new(
            "zone",
            vec!["ap-guangzhou-1".into()],
        )])
        .with_tree(tree);
    let value = sent(&request);
    assert_eq!(
        value,
        json!({
            "Type": "kind", "Match": "m", "Self": "me", "Request": "r", "Client": "c",
            "Config": -1, "Where": true, "Super": 1.5, "Async": u64::MAX,
            "AppId": 7, "AppID": "upper",
            "Filters": [{"Name": "zone", "Values": ["ap-guangzhou-1"]}],
            "Tree": {"Value": "root", "Parent": {"Value": "up"}, "Children": [{"Value": "leaf", "Children": []}]}
        })
    );
    // Absent optionals are not sent at all.
    let minimal =
        String::from_utf8(JsonWriter::to_vec(&DescribeThingsRequest::new("t", 1)).unwrap())
            .unwrap();
    assert_eq!(minimal, r#"{"Type":"t","AppId":1}"#);
}

#[tokio::test]
async fn answers_with_std_names_recursion_and_unknown_fields_parse() {
    let (endpoint, client) = setup(Some("ap-guangzhou")).await;
    endpoint.reply(
        "DescribeThings",
        Reply::success(json!({
            "Result": {"Vec": {"Len": 3}, "String": {"Text": "s"}},
            "Error": null,
            "Boxes": [{"Size": 0.5}],
            "Total": 3,
            "Ping": {"Pong": {"Ping": {}}},
            "Client": {"Id": "c-1"},
            "FieldFromTheFuture": {"anything": [1, 2]}
        })),
    );
    let answer = client
        .describe_things(DescribeThingsRequest::new("t", 1))
        .await
        .unwrap();
    let result: obstacle::Result = answer.result;
    assert_eq!(result.vec.unwrap().len, Some(3));
    assert_eq!(result.string.unwrap().text.as_deref(), Some("s"));
    assert!(answer.error.is_none());
    assert_eq!(answer.boxes.unwrap()[0].size, Some(0.5));
    assert_eq!(answer.total, 3);
    // `Ping.Pong` is required (boxed, no `Option`): the way back to `Ping` is through
    // `Pong.Ping`, an optional field. The innermost `Ping` lacks its `Pong`: filled in.
    let ping = answer.ping.unwrap();
    let inner: Box<obstacle::Ping> = ping.pong.ping.unwrap();
    assert_eq!(inner.pong.ping, None);
    let client_struct: obstacle::Client2 = answer.client.unwrap();
    assert_eq!(client_struct.id.as_deref(), Some("c-1"));
    assert_eq!(
        endpoint.requests()[0].headers["x-tc-region"],
        "ap-guangzhou"
    );
}

#[tokio::test]
async fn a_region_required_action_refuses_to_send_without_one() {
    let (endpoint, client) = setup(None).await;
    let error = client
        .describe_things(DescribeThingsRequest::new("t", 1))
        .await
        .unwrap_err();
    assert!(
        matches!(error.kind(), ErrorKind::InvalidRequest(_)),
        "{error:?}"
    );
    assert!(endpoint.requests().is_empty());
}

#[tokio::test]
async fn error_enum_of_an_action_ending_in_error() {
    let (endpoint, client) = setup(None).await;
    for (code, variant) in [
        (
            "FailedOperation.Common",
            ReportErrorError::FailedOperationCommon,
        ),
        ("Common", ReportErrorError::Common2),
        (
            "InvalidParameter.Type",
            ReportErrorError::InvalidParameterType,
        ),
        (
            "InvalidParameterValue.Range",
            ReportErrorError::InvalidParameterValueRange,
        ),
        (
            "InvalidParameterValueRange",
            ReportErrorError::InvalidParameterValueRange2,
        ),
        // Documented by the action and common: one variant, the common one.
        (
            "InternalError",
            ReportErrorError::Common(CommonErrorCode::InternalError),
        ),
    ] {
        assert_eq!(ReportErrorError::from_code(code), variant);
        assert_eq!(variant.code(), code);
        endpoint.reply("ReportError", Reply::error(code, "x"));
        let error = client
            .report_error(ReportErrorRequest::new(3))
            .await
            .unwrap_err();
        assert_eq!(error.service_code().unwrap(), variant);
    }
}

#[tokio::test]
async fn unsigned_action_and_client_token() {
    let (endpoint, client) = setup(None).await;
    endpoint.reply("GetPublicKey", Reply::success(json!({"Key": "k"})));
    let answer = client
        .get_public_key(GetPublicKeyRequest::default())
        .await
        .unwrap();
    assert_eq!(answer.key.as_deref(), Some("k"));
    assert_eq!(endpoint.requests()[0].headers["authorization"], "SKIP");

    endpoint.script(
        "CreateThing",
        [
            Reply::drop_connection(),
            Reply::success(json!({"ThingId": "t-1"})),
        ],
    );
    let answer = client
        .create_thing(CreateThingRequest::new("thing"))
        .await
        .unwrap();
    assert_eq!(answer.thing_id, "t-1");
    let sent = endpoint.requests_for("CreateThing");
    assert_eq!(sent.len(), 2, "retried: the ClientToken makes it safe");
    let token = |i: usize| {
        serde_json::from_slice::<serde_json::Value>(&sent[i].body).unwrap()["ClientToken"].clone()
    };
    assert!(token(0).is_string());
    assert_eq!(token(0), token(1));
}

#[tokio::test]
#[allow(deprecated)]
async fn deprecated_actions_still_work() {
    let (endpoint, client) = setup(None).await;
    endpoint.reply("OldThing", Reply::success(json!({})));
    client
        .old_thing(obstacle::OldThingRequest::new())
        .await
        .unwrap();
}

#[test]
fn flags_written_as_numbers_and_underscored_names() {
    // `"required": 1` made Level a parameter of `new`; `Under_Score` became `UnderScore`.
    let request =
        ReportErrorRequest::new(3).with_detail(obstacle::UnderScore::new().with_note("n"));
    assert_eq!(sent(&request), json!({"Level": 3, "Detail": {"Note": "n"}}));
}

#[tokio::test]
async fn a_service_named_with_a_keyword_is_a_raw_module() {
    use tencentcloud_tests::obstacle_course::r#as::v20180419 as autoscaling;
    let credential = Credential::new("AKIDas", "as-secret");
    let limits = Reply::success(json!({"MaxNumberOfLaunchConfigurations": 20}));
    let (endpoint, config) =
        tencentcloud_tests::local_endpoint(&credential, [("DescribeAccountLimits", limits)]).await;
    let client = autoscaling::Client::new(config.build().unwrap());
    let answer = client
        .describe_account_limits(autoscaling::DescribeAccountLimitsRequest::new())
        .await
        .unwrap();
    assert_eq!(answer.max_number_of_launch_configurations, 20);
    let signed = endpoint.requests()[0].headers["authorization"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(signed.contains("/as/tc3_request"), "{signed}");
}

#[tokio::test]
async fn a_region_the_spec_does_not_list_is_refused_before_sending() {
    let (endpoint, client) = setup(Some("eu-frankfurt")).await;
    endpoint.reply("DescribeThings", Reply::success(json!({"Total": 0})));
    let error = client
        .describe_things(DescribeThingsRequest::new("t", 1))
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "DescribeThings is not available in region eu-frankfurt; its spec lists ap-guangzhou, ap-shanghai-fsi; not sent"
    );
    assert!(matches!(
        error.kind(),
        ErrorKind::InvalidRequest(
            tencentcloud_runtime::error::InvalidRequest::UnsupportedRegion { .. }
        )
    ));
    assert!(endpoint.requests().is_empty());
}

/// What a request sends: its body, read back as JSON.
fn sent(request: &impl tencentcloud_runtime::body::WriteJson) -> serde_json::Value {
    serde_json::from_slice(&JsonWriter::to_vec(request).unwrap()).unwrap()
}
