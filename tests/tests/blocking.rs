//! The blocking client: the same generated call path without an async runtime in the
//! caller, against the local endpoint (which runs on a runtime of its own).

use serde_json::json;
use tencentcloud_runtime::local::{LocalEndpoint, Reply};
use tencentcloud_runtime::ErrorKind;
use tencentcloud_runtime::{BlockingError, Config, Credential};
use tencentcloud_sdk::organization::v20210331::{
    blocking, UpdateOrganizationMemberEmailBindError as E,
};
use tencentcloud_tests::seed_request;

const SEED: &str = "UpdateOrganizationMemberEmailBind";

/// The local endpoint on a runtime the test keeps alive; the test thread has none.
fn endpoint(credential: &Credential) -> (tokio::runtime::Runtime, LocalEndpoint) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let endpoint = runtime
        .block_on(
            LocalEndpoint::builder()
                .credential(credential.clone())
                .start(),
        )
        .unwrap();
    (runtime, endpoint)
}

#[test]
fn a_program_without_a_runtime_calls_and_gets_typed_answers_and_errors() {
    let credential = Credential::new("AKIDblocking", "blocking-secret");
    let (_runtime, endpoint) = endpoint(&credential);
    endpoint.script(
        SEED,
        [
            Reply::success(json!({"RequestId": "req-blocking-1"})),
            Reply::error("FailedOperation.EmailAlreadyUsed", "used"),
        ],
    );
    let config = Config::builder()
        .credential(credential)
        .endpoint(endpoint.url())
        .build()
        .unwrap();
    let client = blocking::Client::new(config);
    let answer = client
        .update_organization_member_email_bind(seed_request())
        .unwrap();
    assert_eq!(answer.request_id, "req-blocking-1");
    let error = client
        .update_organization_member_email_bind(seed_request())
        .unwrap_err();
    assert_eq!(
        error.service_code().unwrap(),
        E::FailedOperationEmailAlreadyUsed
    );
    // Many threads share the one executor.
    endpoint.reply(SEED, Reply::success(json!({})));
    std::thread::scope(|scope| {
        for _ in 0..4 {
            scope.spawn(|| {
                client
                    .update_organization_member_email_bind(seed_request())
                    .unwrap()
            });
        }
    });
    assert_eq!(endpoint.requests_for(SEED).len(), 6);
}

#[tokio::test]
async fn called_from_async_code_it_refuses_instead_of_stalling_the_executor() {
    let config = Config::builder()
        .credential(Credential::new("AKIDblocking", "blocking-secret"))
        .endpoint("http://127.0.0.1:9")
        .build()
        .unwrap();
    let error = blocking::Client::new(config)
        .update_organization_member_email_bind(seed_request())
        .unwrap_err();
    assert!(matches!(
        error.kind(),
        ErrorKind::Blocking(BlockingError::InsideAsyncRuntime)
    ));
    assert_eq!(
        error.to_string(),
        "a blocking client was called from inside an async runtime; use the async client there; not sent"
    );
}
