//! Responses that drift from their spec, over real HTTP: read under the decoding policy
//! (runtime/src/decode.rs), with each filled-in field logged as a warning; a response the
//! policy refuses is an error that names the field and keeps the whole body.

mod common;

use common::*;
use tencentcloud_runtime::local::Reply;
use tencentcloud_runtime::ErrorKind;

/// A response type as the generator writes one: plain fields where the spec says always
/// present, `Option` elsewhere.
#[derive(Debug, PartialEq, Default)]
struct Organization {
    org_id: i64,
    host_uin: u64,
    nick_name: String,
    is_manager: bool,
    org_permission: Vec<Permission>,
    pay_uin: Option<String>,
    request_id: String,
}

tencentcloud_runtime::impl_decode!(Organization {
    org_id: "OrgId",
    host_uin: "HostUin",
    nick_name: "NickName",
    is_manager: "IsManager",
    org_permission: "OrgPermission",
    pay_uin: "PayUin",
    request_id: "RequestId",
});

#[derive(Debug, PartialEq, Default)]
struct Permission {
    id: u64,
    name: String,
}

tencentcloud_runtime::impl_decode!(Permission {
    id: "Id",
    name: "Name"
});

#[tokio::test]
async fn a_drifting_answer_is_read_and_each_filled_field_is_a_warning() {
    let endpoint = endpoint().await;
    endpoint.reply(
        DESCRIBE.name(),
        Reply::success(serde_json::json!({
            "OrgId": "4",
            "HostUin": 100.0,
            "IsManager": "TRUE",
            "NickName": 12,
            "OrgPermission": [{"Id": "7"}],
            "PayUin": null,
            "RequestId": "req-drift",
        })),
    );
    let client = client(config(&endpoint));
    let mut answer = None;
    let log = capture(async {
        answer = Some(
            client
                .call::<_, Organization, SeedError>(&DESCRIBE, Empty {})
                .await
                .unwrap(),
        );
    })
    .await;
    assert_eq!(
        answer.unwrap(),
        Organization {
            org_id: 4,
            host_uin: 100,
            nick_name: "12".into(),
            is_manager: true,
            org_permission: vec![Permission {
                id: 7,
                name: String::new()
            }],
            pay_uin: None,
            request_id: "req-drift".into(),
        }
    );
    let warnings: Vec<&str> = log.lines().filter(|l| l.contains("WARN")).collect();
    assert_eq!(warnings.len(), 1, "{log}");
    for expected in [
        "service=\"organization\"",
        "action=\"DescribeOrganization\"",
        "field=Response.OrgPermission[0].Name",
        "found=Missing",
        "read as its empty value",
    ] {
        assert!(
            warnings[0].contains(expected),
            "{expected} in {}",
            warnings[0]
        );
    }
}

#[tokio::test]
async fn a_refused_value_names_its_field_and_keeps_the_whole_answer() {
    let endpoint = endpoint().await;
    let body = serde_json::json!({"Response": {
        "OrgId": "Memory usage", "HostUin": 1, "NickName": "n", "IsManager": true,
        "OrgPermission": [], "RequestId": "req-refused",
    }})
    .to_string();
    endpoint.reply(
        DESCRIBE.name(),
        Reply::raw(200, "application/json", body.clone()),
    );
    let client = client(config(&endpoint));
    let error = client
        .call::<_, Organization, SeedError>(&DESCRIBE, Empty {})
        .await
        .unwrap_err();
    let ErrorKind::InvalidResponse(invalid) = error.kind() else {
        panic!("{error:?}")
    };
    let mismatch = invalid
        .mismatch
        .as_deref()
        .expect("a success answer that did not match");
    assert_eq!(mismatch.field.as_deref(), Some("Response.OrgId"));
    assert_eq!(mismatch.body, body.as_bytes());
    let shown = error.to_string();
    assert!(
        shown.contains(r#"Response.OrgId: expected an integer, found the text "Memory usage""#),
        "{shown}"
    );
    // Not retried: the action took effect.
    assert_eq!(endpoint.requests_for(DESCRIBE.name()).len(), 1);
}
