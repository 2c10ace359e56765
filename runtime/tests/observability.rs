//! The tracing span of each call: service, action, region, attempts, request id, latency and
//! outcome recorded; secrets never logged; bodies only when asked, with secrets masked.

mod common;

use common::*;
use tencentcloud_runtime::local::{Outcome, Reply, Step};
use tencentcloud_runtime::Action;

/// The line of `log` that closes the span whose line contains `what`.
fn closed<'a>(log: &'a str, what: &str) -> &'a str {
    log.lines()
        .find(|l| l.contains("close") && l.contains(what))
        .unwrap_or_else(|| panic!("no span close with {what}:\n{log}"))
}

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
    let succeeded = closed(&log, "action=\"DescribeRegional\"");
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
    let failed = closed(&log, "UpdateOrganizationMemberEmailBind");
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

/// A request that cannot be encoded is the call's failure before any attempt: its span
/// closes with the reason and no attempt, and nothing is sent.
#[tokio::test]
async fn a_request_that_cannot_be_encoded_closes_its_span_without_an_attempt() {
    let endpoint = endpoint().await;
    let client = client(config(&endpoint));
    let log = capture(async {
        let error = client
            .stream_by_name(
                "ChatCompletions",
                &serde_json::json!(["not", "an", "object"]),
            )
            .await
            .expect_err("a list is not a body");
        assert!(
            matches!(
                error.kind(),
                tencentcloud_runtime::ErrorKind::InvalidRequest(_)
            ),
            "{error:?}"
        );
    })
    .await;
    let failed = closed(&log, "action=\"ChatCompletions\"");
    assert!(failed.contains("attempts=0"), "{failed}");
    assert!(failed.contains("outcome=\"invalid_request\""), "{failed}");
    assert!(endpoint.requests().is_empty());
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

/// A chat action that streams when asked.
static CHAT: Action = Action::new("ChatCompletions");

#[tokio::test]
async fn the_calls_span_stays_open_until_the_last_event() {
    let endpoint = endpoint().await;
    endpoint.reply(
        "ChatCompletions",
        Reply::stream([
            Step::event(serde_json::json!({"Note": "one"})),
            Step::event(serde_json::json!({"Note": "two"})),
        ]),
    );
    let client = client(config(&endpoint));
    let log = capture(async {
        let mut events = client
            .stream::<_, serde_json::Value, SeedError>(&CHAT, Empty {})
            .await
            .unwrap();
        while let Some(event) = next(&mut events).await {
            event.unwrap();
        }
    })
    .await;
    assert!(log.contains("event stream started"), "{log}");
    assert!(log.contains("event stream ended events=2"), "{log}");
    let close = closed(&log, "tencentcloud.call");
    assert!(
        close.contains("events=2") && close.contains("outcome=\"success\""),
        "{close}"
    );
}

#[tokio::test]
async fn every_attempt_has_its_own_trace_id_and_the_error_names_the_last() {
    let endpoint = endpoint().await;
    endpoint.script(
        "DescribeOrganization",
        [
            Reply::error("RequestLimitExceeded", "1"),
            Reply::error("RequestLimitExceeded", "2"),
            Reply::error("RequestLimitExceeded", "3"),
        ],
    );
    let client = client(config(&endpoint));
    let log = capture(async {
        let error = client
            .call::<_, Answer, SeedError>(&DESCRIBE, Empty {})
            .await
            .unwrap_err();
        let sent = endpoint.requests();
        let ids: Vec<&str> = sent
            .iter()
            .map(|r| r.headers["x-tc-traceid"].to_str().unwrap())
            .collect();
        assert_eq!(ids.len(), 3);
        assert!(ids[0] != ids[1] && ids[1] != ids[2], "{ids:?}");
        assert!(ids.iter().all(|id| uuid::Uuid::parse_str(id).is_ok()));
        assert_eq!(error.trace_id(), Some(ids[2]));
        tracing::info!(last = ids[2], "ids");
    })
    .await;
    // The span carries the last attempt's id.
    let last = log
        .split("last=")
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap();
    let close = log.lines().find(|l| l.contains("close")).unwrap();
    assert!(close.contains(&format!("trace_id={last}")), "{close}");
}

#[tokio::test]
async fn a_deprecated_warning_in_an_answer_is_a_tracing_warning_with_the_action() {
    let endpoint = endpoint().await;
    endpoint.reply(
        DESCRIBE.name(),
        Reply::success(serde_json::json!({
            "DeprecatedWarning": "DescribeOrganization is replaced by DescribeOrganizationV2"
        })),
    );
    let client = client(config(&endpoint));
    let log = capture(async {
        client
            .call::<_, Answer, SeedError>(&DESCRIBE, Empty {})
            .await
            .unwrap();
    })
    .await;
    let line = log
        .lines()
        .find(|l| l.contains("the service says the action is deprecated"))
        .unwrap_or_else(|| panic!("{log}"));
    assert!(line.contains("WARN"), "{line}");
    assert!(line.contains("action=\"DescribeOrganization\""), "{line}");
    assert!(
        line.contains("warning=DescribeOrganization is replaced by DescribeOrganizationV2"),
        "{line}"
    );
}

/// A clock ten minutes fast (tests/clock_skew.rs has the rest): here, that the correction
/// is one warning however many calls were refused at once.
#[tokio::test]
async fn concurrent_refusals_correct_once_and_log_one_warning() {
    let endpoint = endpoint().await;
    endpoint.set_clock_skew(-600);
    endpoint.reply(DESCRIBE.name(), Reply::success(serde_json::json!({})));
    let client = client(config(&endpoint));
    let log = capture(async {
        // Eight calls at once, all signed before any refusal came back (one thread: the
        // test's runtime, whose tasks log to the captured sink).
        let calls: Vec<_> = (0..8)
            .map(|_| {
                let client = client.clone();
                tokio::spawn(async move {
                    client
                        .call::<_, Answer, SeedError>(&DESCRIBE, Empty {})
                        .await
                })
            })
            .collect();
        for call in calls {
            call.await.unwrap().unwrap();
        }
    })
    .await;
    let warnings: Vec<_> = log.lines().filter(|l| l.contains("WARN")).collect();
    assert_eq!(warnings.len(), 1, "{log}");
    assert!(
        warnings[0].contains("ahead of Tencent Cloud's"),
        "{}",
        warnings[0]
    );
    assert!(warnings[0].contains("skew_secs=-60"), "{}", warnings[0]);
    // Each call refused at most once; those signed before the first correction all were.
    let refused = endpoint
        .requests()
        .iter()
        .filter(|r| !matches!(r.outcome, Outcome::Answered))
        .count();
    assert_eq!(endpoint.requests().len() - refused, 8);
    assert!((1..=8).contains(&refused), "{refused}");
}

/// With the call's span disabled (a subscriber at `info`), the attempt's trace id goes
/// nowhere: not into a span of the caller's that is current around the call, even one with
/// a field of that name.
#[tokio::test]
async fn a_disabled_call_span_leaves_the_callers_span_alone() {
    use tracing::Instrument as _;
    let endpoint = endpoint().await;
    endpoint.reply(
        DESCRIBE.name(),
        Reply::success(serde_json::json!({"RequestId": "req-mine"})),
    );
    let client = client(config(&endpoint));
    let log = capture_at(tracing::Level::INFO, async {
        let mine = tracing::info_span!("mine", trace_id = tracing::field::Empty);
        client
            .call::<_, Answer, SeedError>(&DESCRIBE, seed_request())
            .instrument(mine)
            .await
            .unwrap();
    })
    .await;
    let mine = closed(&log, "mine");
    assert!(!mine.contains("trace_id"), "{mine}");
    assert!(!log.contains("tencentcloud.call"), "{log}");
}
