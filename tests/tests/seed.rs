//! Everything the seed page (shared/seed/UpdateOrganizationMemberEmailBind.txt) says holds
//! of the generated client.

use serde_json::json;
use tencentcloud_runtime::body::JsonWriter;
use tencentcloud_runtime::local::{LocalEndpoint, Reply};
use tencentcloud_runtime::ErrorKind;
use tencentcloud_runtime::{CommonErrorCode, Config, Credential, ErrorCode};
use tencentcloud_sdk::organization::v20210331::{
    Client, UpdateOrganizationMemberEmailBindError as E, UpdateOrganizationMemberEmailBindFuture,
    UpdateOrganizationMemberEmailBindResponse, SERVICE,
};
use tencentcloud_tests::seed_request;

const SEED_BODY: &str = r#"{
    "MemberUin": 111111111111,
    "BindId": 12,
    "Email": "12***@qq.com",
    "CountryCode": "86",
    "Phone": "18***32"
}"#;
const SEED_ANSWER: &str = r#"{
    "Response": {
        "RequestId": "b46d2afe-6893-4529-bc96-2c82d9214957"
    }
}"#;

/// The page's JSON without the white space between tokens, key order kept.
fn compact(json: &str) -> String {
    let mut out = String::new();
    let mut in_string = false;
    let mut escaped = false;
    for c in json.chars() {
        if in_string {
            out.push(c);
            match (escaped, c) {
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => escaped = false,
            }
        } else if !c.is_whitespace() {
            in_string = c == '"';
            out.push(c);
        }
    }
    out
}

#[test]
fn the_example_request_serialises_to_the_pages_json() {
    let sent = String::from_utf8(JsonWriter::to_vec(&seed_request()).unwrap()).unwrap();
    assert_eq!(
        sent,
        compact(SEED_BODY),
        "same fields, same order, same values"
    );
    let request = seed_request();
    let _: (i64, i64, &String, &String, &String) = (
        request.member_uin,
        request.bind_id,
        &request.email,
        &request.country_code,
        &request.phone,
    );
}

#[test]
fn the_example_answer_parses() {
    let answer =
        tencentcloud_runtime::decode::response::<UpdateOrganizationMemberEmailBindResponse>(
            SEED_ANSWER.as_bytes(),
        )
        .unwrap();
    assert!(answer.corrections.is_empty(), "{:?}", answer.corrections);
    assert_eq!(
        answer.output.request_id,
        "b46d2afe-6893-4529-bc96-2c82d9214957"
    );
}

#[test]
fn endpoint_version_and_service() {
    assert_eq!(SERVICE.name(), "organization");
    assert_eq!(SERVICE.version(), "2021-03-31");
    assert_eq!(
        SERVICE.default_host(),
        "organization.intl.tencentcloudapi.com"
    );
}

async fn endpoint_and_client(region: Option<&str>) -> (LocalEndpoint, Client) {
    let credential = Credential::new("AKIDseedtest", "seed-test-secret");
    let endpoint = LocalEndpoint::builder()
        .credential(credential.clone())
        .start()
        .await
        .unwrap();
    let mut config = Config::builder()
        .credential(credential)
        .endpoint(endpoint.url());
    if let Some(region) = region {
        config = config.region(region);
    }
    let client = Client::new(config.build().unwrap());
    (endpoint, client)
}

#[tokio::test]
async fn the_call_is_a_named_future_that_can_be_spawned() {
    let (endpoint, client) = endpoint_and_client(None).await;
    endpoint.reply(
        "UpdateOrganizationMemberEmailBind",
        Reply::success(json!({"RequestId": "b46d2afe-6893-4529-bc96-2c82d9214957"})),
    );
    // Its own type, to keep in a struct or a collection, and nothing sent until polled.
    let call: UpdateOrganizationMemberEmailBindFuture =
        client.update_organization_member_email_bind(seed_request());
    assert_eq!(
        format!("{call:?}"),
        "UpdateOrganizationMemberEmailBindFuture(Pending { .. })"
    );
    assert!(endpoint.requests().is_empty());
    let answer = tokio::spawn(call).await.unwrap().unwrap();
    assert_eq!(answer.request_id, "b46d2afe-6893-4529-bc96-2c82d9214957");
    assert_eq!(endpoint.requests().len(), 1);
}

#[tokio::test]
async fn the_call_sends_the_pages_request_without_a_region() {
    let (endpoint, client) = endpoint_and_client(Some("ap-guangzhou")).await;
    endpoint.reply(
        "UpdateOrganizationMemberEmailBind",
        Reply::success(json!({"RequestId": "b46d2afe-6893-4529-bc96-2c82d9214957"})),
    );
    let answer = client
        .update_organization_member_email_bind(seed_request())
        .await
        .unwrap();
    assert_eq!(answer.request_id, "b46d2afe-6893-4529-bc96-2c82d9214957");
    let sent = &endpoint.requests()[0];
    assert_eq!(
        sent.headers["x-tc-action"],
        "UpdateOrganizationMemberEmailBind"
    );
    assert_eq!(sent.headers["x-tc-version"], "2021-03-31");
    assert_eq!(sent.headers["content-type"], "application/json");
    assert!(
        sent.headers.get("x-tc-region").is_none(),
        "Region is not required for this API"
    );
    let body: serde_json::Value = serde_json::from_slice(&sent.body).unwrap();
    assert_eq!(
        body,
        serde_json::from_str::<serde_json::Value>(SEED_BODY).unwrap()
    );
}

#[tokio::test]
async fn each_documented_code_arrives_as_its_own_variant() {
    // The seed documents three common codes; they are `Common`, as in every action, so
    // each code has exactly one variant.
    let codes = [
        (
            "FailedOperation.CheckMailAccount",
            E::FailedOperationCheckMailAccount,
        ),
        (
            "FailedOperation.EmailAlreadyUsed",
            E::FailedOperationEmailAlreadyUsed,
        ),
        (
            "FailedOperation.EmailBindRecordInvalid",
            E::FailedOperationEmailBindRecordInvalid,
        ),
        ("InternalError", E::Common(CommonErrorCode::InternalError)),
        (
            "InvalidParameter",
            E::Common(CommonErrorCode::InvalidParameter),
        ),
        (
            "LimitExceeded.UpdateEmailBindOverLimit",
            E::LimitExceededUpdateEmailBindOverLimit,
        ),
        (
            "ResourceNotFound.EmailBindRecordNotExist",
            E::ResourceNotFoundEmailBindRecordNotExist,
        ),
        (
            "ResourceNotFound.OrganizationMemberNotExist",
            E::ResourceNotFoundOrganizationMemberNotExist,
        ),
        (
            "ResourceNotFound.OrganizationNotExist",
            E::ResourceNotFoundOrganizationNotExist,
        ),
        (
            "UnsupportedOperation",
            E::Common(CommonErrorCode::UnsupportedOperation),
        ),
    ];
    let (endpoint, client) = endpoint_and_client(None).await;
    for (code, variant) in codes {
        endpoint.reply(
            "UpdateOrganizationMemberEmailBind",
            Reply::error(code, "from the local endpoint"),
        );
        let error = client
            .update_organization_member_email_bind(seed_request())
            .await
            .unwrap_err();
        let ErrorKind::Service(service) = error.kind() else {
            panic!("{code}: {error:?}")
        };
        assert_eq!(error.service_code(), Some(variant.clone()), "{code}");
        assert_eq!(service.code, code);
        assert_eq!(variant.code(), code);
        assert_eq!(
            error.to_string(),
            format!(
                "{code}: from the local endpoint (RequestId {})",
                service.request_id
            )
        );
    }
    // A common code, and one no spec knows, land in Common with the code kept.
    endpoint.reply(
        "UpdateOrganizationMemberEmailBind",
        Reply::error("ResourceInUse", "busy"),
    );
    let error = client
        .update_organization_member_email_bind(seed_request())
        .await
        .unwrap_err();
    assert_eq!(
        error.service_code().unwrap(),
        E::Common(CommonErrorCode::ResourceInUse)
    );
    endpoint.reply(
        "UpdateOrganizationMemberEmailBind",
        Reply::error("FailedOperation.New", "new"),
    );
    let error = client
        .update_organization_member_email_bind(seed_request())
        .await
        .unwrap_err();
    assert_eq!(
        error.service_code().unwrap(),
        E::Common(CommonErrorCode::Other("FailedOperation.New".into()))
    );
    assert_eq!(
        endpoint.requests().len(),
        12,
        "documented errors are not retried"
    );
}
