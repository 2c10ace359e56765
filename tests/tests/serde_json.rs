//! JSON in and out through the `serde` feature: a response printed as JSON in the wire
//! form (Tencent's field names, an absent `Option` left out) and read back equal; a request
//! kept in a JSON file read strictly and sent, the local endpoint seeing what the file says.

use serde_json::json;
use tencentcloud_runtime::decode;
use tencentcloud_runtime::local::Reply;
use tencentcloud_runtime::Credential;
use tencentcloud_sdk::organization::v20210331::{
    AddOrganizationMemberEmailResponse, Client, DescribeOrganizationRequest,
    DescribeOrganizationResponse, UpdateOrganizationMemberEmailBindRequest,
};

#[tokio::test]
async fn a_response_prints_as_json_in_the_wire_form_and_reads_back_equal() {
    let credential = Credential::new("AKIDjson", "json-secret");
    let answer = json!({
        "OrgId": 45155,
        "HostUin": 1_000_000_001u64,
        "NickName": "org",
        "IsManager": true,
        "OrgPermission": [{"Id": 1, "Name": "finance"}],
        "RequestId": "5a6c6d2f-0000-4000-8000-000000000001"
    });
    let (_endpoint, config) = tencentcloud_tests::local_endpoint(
        &credential,
        [("DescribeOrganization", Reply::success(answer.clone()))],
    )
    .await;
    let client = Client::new(config.build().unwrap());
    let response = client
        .describe_organization(DescribeOrganizationRequest::new())
        .await
        .unwrap();

    let printed = serde_json::to_value(&response).unwrap();
    assert_eq!(printed["OrgId"], 45155);
    assert_eq!(printed["NickName"], "org");
    assert_eq!(
        printed["OrgPermission"],
        json!([{"Id": 1, "Name": "finance"}])
    );
    assert_eq!(printed["RequestId"], answer["RequestId"]);
    // A field the spec calls always present but the answer lacked has its empty value.
    assert_eq!(printed["RootNodeId"], 0);

    // Read back, through the same decoding as a call: equal.
    let body = serde_json::to_vec(&json!({"Response": printed})).unwrap();
    let again = decode::response::<DescribeOrganizationResponse>(&body)
        .unwrap()
        .output;
    assert_eq!(again, response);

    // An absent `Option` is left out, not written as null.
    let body = br#"{"Response": {"RequestId": "r-1"}}"#;
    let bare = decode::response::<AddOrganizationMemberEmailResponse>(body)
        .unwrap()
        .output;
    assert_eq!(bare.bind_id, None);
    assert_eq!(
        serde_json::to_value(&bare).unwrap(),
        json!({"RequestId": "r-1"})
    );
}

#[tokio::test]
async fn a_request_kept_in_a_file_is_read_strictly_and_sent_as_written() {
    let credential = Credential::new("AKIDjson", "json-secret");
    let (endpoint, config) = tencentcloud_tests::local_endpoint(
        &credential,
        [(
            "UpdateOrganizationMemberEmailBind",
            Reply::success(json!({"RequestId": "5a6c6d2f-0000-4000-8000-000000000002"})),
        )],
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bind.json");
    let kept = json!({
        "MemberUin": 100_001,
        "BindId": 7,
        "Email": "ops@example.com",
        "CountryCode": "86",
        "Phone": "13800000000"
    });
    std::fs::write(&path, kept.to_string()).unwrap();

    let request: UpdateOrganizationMemberEmailBindRequest =
        serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    assert_eq!(request.member_uin, 100_001);
    // Written back, it is the file's JSON.
    assert_eq!(serde_json::to_value(&request).unwrap(), kept);
    Client::new(config.build().unwrap())
        .update_organization_member_email_bind(request)
        .await
        .unwrap();
    let seen = endpoint.requests();
    let sent: serde_json::Value = serde_json::from_slice(&seen[0].body).unwrap();
    assert_eq!(sent, kept);
}

#[test]
fn reading_a_request_names_an_unknown_field_and_a_missing_required_one() {
    let unknown = serde_json::from_str::<UpdateOrganizationMemberEmailBindRequest>(
        r#"{"MemberUin": 1, "BindId": 7, "Email": "a@b.c", "CountryCode": "86", "Phone": "1", "Phnoe": "2"}"#,
    )
    .unwrap_err()
    .to_string();
    assert!(unknown.contains("unknown field `Phnoe`"), "{unknown}");
    let missing = serde_json::from_str::<UpdateOrganizationMemberEmailBindRequest>(
        r#"{"MemberUin": 1, "BindId": 7, "Email": "a@b.c", "CountryCode": "86"}"#,
    )
    .unwrap_err()
    .to_string();
    assert!(missing.contains("missing field `Phone`"), "{missing}");
    // An optional field may be absent; a request with none set reads from `{}`.
    let empty: DescribeOrganizationRequest = serde_json::from_str("{}").unwrap();
    assert_eq!(empty, DescribeOrganizationRequest::new());
}
