//! Errors that compose: every public error type is a `std::error::Error` (with `Send`,
//! `Sync` and `'static`, so it boxes), `Error<E>` goes into `Box<dyn Error + Send + Sync>`
//! and through `?` in an `anyhow` function, and each message of a chain shows once.

mod common;

use std::error::Error as StdError;

use common::*;
use tencentcloud_runtime::local::Reply;
use tencentcloud_runtime::{CommonErrorCode, Error, ErrorChain};

/// Compiles only for an error type that composes.
fn composes<T: StdError + Send + Sync + 'static>() {}

#[test]
fn every_public_error_type_is_a_std_error_that_can_be_boxed() {
    use tencentcloud_runtime::{body, credential, decode, endpoint, error, sse, transport};
    composes::<Error<CommonErrorCode>>();
    composes::<Error<SeedError>>();
    composes::<error::ServiceError>();
    composes::<error::ErrorKind>();
    composes::<error::TimeoutError>();
    composes::<error::InvalidResponse>();
    composes::<error::InvalidRequest>();
    composes::<error::BlockingError>();
    composes::<transport::TransportError>();
    composes::<credential::CredentialError>();
    composes::<tencentcloud_runtime::ConfigError>();
    composes::<endpoint::InvalidEndpoint>();
    composes::<body::multipart::EncodeError>();
    composes::<body::multipart::ParseError>();
    composes::<decode::DecodeError>();
    composes::<sse::TooLarge>();
}

/// A caller's own function, with `anyhow` as its error type.
async fn describe(client: &tencentcloud_runtime::Client) -> anyhow::Result<Answer> {
    let answer = client
        .call::<_, Answer, SeedError>(&DESCRIBE, Empty {})
        .await?;
    Ok(answer)
}

#[tokio::test]
async fn a_service_error_goes_through_question_mark_into_anyhow_and_box_dyn_error() {
    let endpoint = endpoint().await;
    endpoint.script(
        "DescribeOrganization",
        [
            Reply::error(
                "FailedOperation.EmailAlreadyUsed",
                "The email has been used.",
            ),
            Reply::error(
                "FailedOperation.EmailAlreadyUsed",
                "The email has been used.",
            ),
        ],
    );
    let client = client(config(&endpoint));
    let error = describe(&client).await.unwrap_err();
    let shown = format!("{error:#}");
    assert!(
        shown.starts_with("FailedOperation.EmailAlreadyUsed: The email has been used. (RequestId "),
        "{shown}"
    );
    let typed = error
        .downcast_ref::<Error<SeedError>>()
        .expect("the typed error inside");
    assert_eq!(typed.service_code().unwrap(), SeedError::EmailAlreadyUsed);
    assert!(typed.trace_id().is_some());

    let boxed: Box<dyn StdError + Send + Sync> = client
        .call::<_, Answer, SeedError>(&DESCRIBE, Empty {})
        .await
        .unwrap_err()
        .into();
    assert!(boxed.to_string().contains("(RequestId "));
    assert!(boxed.source().is_none(), "a service error has no cause");
}

#[tokio::test]
async fn a_transport_failure_shows_each_cause_once() {
    // A port nothing listens on: the connection is refused.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let client = client(
        tencentcloud_runtime::Config::builder()
            .credential(credential())
            .endpoint(url)
            .retry_policy(tencentcloud_runtime::RetryPolicy::disabled()),
    );
    let error = describe(&client).await.unwrap_err();
    let typed = error.downcast_ref::<Error<SeedError>>().unwrap();
    assert_eq!(typed.to_string(), "could not connect");
    let chain = format!("{error:#}");
    assert!(chain.starts_with("could not connect: "), "{chain}");
    // The same chain as the runtime's own logs print it.
    assert_eq!(chain, ErrorChain(typed).to_string());
    let mut messages = vec![typed.to_string()];
    let mut cause = typed.source();
    while let Some(c) = cause {
        messages.push(c.to_string());
        cause = c.source();
    }
    assert!(messages.len() >= 2, "the cause is a source: {messages:?}");
    for (i, m) in messages.iter().enumerate() {
        assert!(
            !messages[i + 1..].contains(m),
            "{m:?} shown twice: {messages:?}"
        );
    }
}

#[tokio::test]
async fn an_error_is_one_pointer_and_reads_its_typed_code_from_the_code() {
    use tencentcloud_runtime::{ErrorCode, ErrorKind};
    // What keeps a caller's crate from compiling the error's drop once per action.
    assert_eq!(
        std::mem::size_of::<Error<SeedError>>(),
        std::mem::size_of::<usize>()
    );
    let endpoint = endpoint().await;
    endpoint.script(
        "DescribeOrganization",
        [
            Reply::error("FailedOperation.EmailAlreadyUsed", "m"),
            Reply::error("FailedOperation.NotYetKnown", "m"),
        ],
    );
    let client = client(config(&endpoint));
    let call = || client.call::<_, Answer, SeedError>(&DESCRIBE, Empty {});
    let known = call().await.unwrap_err();
    assert_eq!(known.service_code(), Some(SeedError::EmailAlreadyUsed));
    assert_eq!(known.code(), Some("FailedOperation.EmailAlreadyUsed"));
    let unknown = call().await.unwrap_err();
    let code = unknown.service_code().expect("a service error");
    assert_eq!(code.code(), "FailedOperation.NotYetKnown");
    // Retyped for another action: the same kind, the code read as the other enum.
    let request_id = known.request_id().unwrap().to_owned();
    let common: Error<CommonErrorCode> = known.retyped();
    assert_eq!(
        common.service_code(),
        Some(CommonErrorCode::Other(
            "FailedOperation.EmailAlreadyUsed".into()
        ))
    );
    let kind = common.into_kind();
    assert!(matches!(&kind, ErrorKind::Service(s) if s.request_id == request_id));
    assert_eq!(
        kind.to_string(),
        format!("FailedOperation.EmailAlreadyUsed: m (RequestId {request_id})")
    );
    // Not a service error: no code, typed or not.
    let blocked: Error<SeedError> =
        ErrorKind::Blocking(tencentcloud_runtime::BlockingError::InsideAsyncRuntime).into();
    assert_eq!(blocked.service_code(), None);
    assert_eq!(blocked.code(), None);
    assert!(!blocked.is_retryable());
}
