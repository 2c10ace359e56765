//! The tracing span of each call: service, action, region, attempts, request id, latency and
//! outcome recorded; secrets never logged; bodies only when asked, with secrets masked.

mod common;

use common::*;
use tencentcloud_runtime::local::Reply;

fn assert_no_secrets(log: &str) {
    for secret in [
        SECRET_KEY,
        "TC3-HMAC-SHA256",
        "Signature=",
        "sts-secret",
        "sts-token",
    ] {
        assert!(!log.contains(secret), "{secret:?} is in the log:\n{log}");
    }
}

#[tokio::test]
async fn each_call_has_a_span_with_what_happened_and_no_secrets_or_bodies() {
    let endpoint = endpoint().await;
    endpoint.script(
        REGIONAL.name(),
        [
            Reply::error("RequestLimitExceeded", "slow down"),
            Reply::success(serde_json::json!({"RequestId": "req-ok-1"})),
        ],
    );
    endpoint.reply(
        UPDATE_EMAIL_BIND.name(),
        Reply::error("FailedOperation.EmailAlreadyUsed", "used"),
    );
    let client = client(config(&endpoint).region("ap-guangzhou"));
    let log = capture(async {
        client
            .call::<_, Answer, SeedError>(&REGIONAL, seed_request())
            .await
            .unwrap();
        client
            .call::<_, Answer, SeedError>(&UPDATE_EMAIL_BIND, seed_request())
            .await
            .unwrap_err();
    })
    .await;
    let succeeded = log
        .lines()
        .find(|l| l.contains("close") && l.contains("action=\"DescribeRegional\""))
        .unwrap_or_else(|| panic!("no span close for DescribeRegional:\n{log}"));
    for field in [
        "tencentcloud.call",
        "service=\"organization\"",
        "version=\"2021-03-31\"",
        "region=\"ap-guangzhou\"",
        "attempts=2",
        "request_id=\"req-ok-1\"",
        "outcome=\"success\"",
        "latency_ms=",
    ] {
        assert!(
            succeeded.contains(field),
            "{field} missing from {succeeded}"
        );
    }
    assert!(log.contains("attempt failed") && log.contains("RequestLimitExceeded"));
    let failed = log
        .lines()
        .find(|l| l.contains("close") && l.contains("UpdateOrganizationMemberEmailBind"))
        .unwrap_or_else(|| panic!("no span close for the seed action:\n{log}"));
    assert!(
        failed.contains("outcome=\"FailedOperation.EmailAlreadyUsed\""),
        "{failed}"
    );
    assert!(failed.contains("attempts=1"), "{failed}");
    assert!(
        !failed.contains("region="),
        "the seed action takes no region: {failed}"
    );
    assert_no_secrets(&log);
    assert!(!log.contains("12***@qq.com"), "a body was logged:\n{log}");
}

#[tokio::test]
async fn bodies_are_logged_only_when_asked_and_then_with_secrets_masked() {
    let endpoint = endpoint().await;
    endpoint.reply(
        DESCRIBE.name(),
        Reply::success(serde_json::json!({
            "Credentials": {"TmpSecretId": "AKIDsts", "TmpSecretKey": "sts-secret", "Token": "sts-token"},
            "Note": "visible"
        })),
    );
    let client = client(config(&endpoint).log_bodies(true));
    let log = capture(async {
        client
            .call::<_, Answer, SeedError>(&DESCRIBE, seed_request())
            .await
            .unwrap();
    })
    .await;
    assert!(log.contains("request body"), "{log}");
    assert!(log.contains("12***@qq.com"), "{log}");
    assert!(log.contains("visible"), "{log}");
    assert!(log.contains(r#""TmpSecretKey":"***""#), "{log}");
    assert_no_secrets(&log);
}
