//! The call path over real HTTP against the local endpoint: headers, answers, every error
//! class, retries counted on the endpoint's side, and timeouts.

mod common;

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use common::*;
use serde_json::json;
use tencentcloud_runtime::error::{InvalidRequest, TimeoutKind};
use tencentcloud_runtime::local::{Outcome, Reply};
use tencentcloud_runtime::transport::TransportErrorKind;
use tencentcloud_runtime::ErrorKind;
use tencentcloud_runtime::{CommonErrorCode, Credential, Language, RetryPolicy};

#[tokio::test]
async fn seed_request_round_trip_with_every_header() {
    let endpoint = endpoint().await;
    endpoint.reply(
        UPDATE_EMAIL_BIND.name(),
        Reply::success(json!({"RequestId": "b46d2afe-6893-4529-bc96-2c82d9214957"})),
    );
    let client = client(
        config(&endpoint)
            .region("ap-guangzhou")
            .language(Language::EnUs)
            .request_client("tests/1.0"),
    );
    let answer: Answer = client
        .call::<_, _, SeedError>(&UPDATE_EMAIL_BIND, seed_request())
        .await
        .expect("success");
    assert_eq!(answer.request_id, "b46d2afe-6893-4529-bc96-2c82d9214957");

    let requests = endpoint.requests();
    assert_eq!(requests.len(), 1);
    let r = &requests[0];
    assert_eq!(r.outcome, Outcome::Answered);
    assert_eq!(r.method, http::Method::POST);
    assert_eq!(r.path, "/");
    assert_eq!(&r.body[..], SEED_JSON.as_bytes());
    let header = |name: &str| r.headers.get(name).map(|v| v.to_str().unwrap().to_owned());
    assert_eq!(header("content-type").as_deref(), Some("application/json"));
    assert_eq!(
        header("host"),
        Some(endpoint.url().trim_start_matches("http://").to_owned())
    );
    assert_eq!(
        header("x-tc-action").as_deref(),
        Some("UpdateOrganizationMemberEmailBind")
    );
    assert_eq!(header("x-tc-version").as_deref(), Some("2021-03-31"));
    assert_eq!(header("x-tc-language").as_deref(), Some("en-US"));
    assert_eq!(
        header("x-tc-requestclient"),
        Some(format!(
            "tencentcloud-rs/{} tests/1.0",
            env!("CARGO_PKG_VERSION")
        ))
    );
    // The seed action needs no region, so none is sent even though one is configured.
    assert_eq!(header("x-tc-region"), None);
    assert_eq!(header("x-tc-token"), None);
    let timestamp: u64 = header("x-tc-timestamp").unwrap().parse().unwrap();
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    assert!(now.abs_diff(timestamp) <= 5);
    let authorization = header("authorization").unwrap();
    assert!(authorization.starts_with(&format!(
        "TC3-HMAC-SHA256 Credential={SECRET_ID}/{}/organization/tc3_request, SignedHeaders=content-type;host, Signature=",
        tencentcloud_runtime::signing::utc_date(timestamp)
    )));
}

#[tokio::test]
async fn region_is_sent_only_when_set_and_required_where_the_action_needs_it() {
    let endpoint = endpoint().await;
    endpoint.reply(OPTIONAL_REGION.name(), Reply::success(json!({})));
    endpoint.reply(REGIONAL.name(), Reply::success(json!({})));

    let with_region = client(config(&endpoint).region("ap-singapore"));
    let _: Answer = with_region
        .call::<_, _, SeedError>(&OPTIONAL_REGION, Empty {})
        .await
        .unwrap();
    let _: Answer = with_region
        .call::<_, _, SeedError>(&REGIONAL, Empty {})
        .await
        .unwrap();
    let without = client(config(&endpoint));
    let _: Answer = without
        .call::<_, _, SeedError>(&OPTIONAL_REGION, Empty {})
        .await
        .unwrap();

    let regions: Vec<_> = endpoint
        .requests()
        .iter()
        .map(|r| {
            r.headers
                .get("x-tc-region")
                .map(|v| v.to_str().unwrap().to_owned())
        })
        .collect();
    assert_eq!(
        regions,
        [
            Some("ap-singapore".to_owned()),
            Some("ap-singapore".to_owned()),
            None
        ]
    );

    let error = without
        .call::<_, Answer, SeedError>(&REGIONAL, Empty {})
        .await
        .unwrap_err();
    assert!(
        matches!(error.kind(), ErrorKind::InvalidRequest(InvalidRequest::RegionRequired { ref action })
                if action == "DescribeRegional"
        )
    );
    assert_eq!(
        error.to_string(),
        "DescribeRegional needs a region: set Config::builder().region(..) or TENCENTCLOUD_REGION"
    );
    assert_eq!(endpoint.requests().len(), 3, "refused before sending");
}

#[tokio::test]
async fn temporary_credential_sends_its_token() {
    let endpoint = endpoint().await;
    let temporary = Credential::new("AKIDtemporary", "temporary-key").with_token("temporary-token");
    endpoint.add_credential(temporary.clone());
    endpoint.reply(DESCRIBE.name(), Reply::success(json!({})));
    let client = client(config(&endpoint).credential(temporary));
    let _: Answer = client
        .call::<_, _, SeedError>(&DESCRIBE, Empty {})
        .await
        .unwrap();
    let r = &endpoint.requests()[0];
    assert_eq!(r.headers["x-tc-token"], "temporary-token");
    assert_eq!(r.outcome, Outcome::Answered);

    // One that has expired by the endpoint's clock is refused, as Tencent Cloud refuses it.
    let expired = Credential::new("AKIDexpired", "expired-key")
        .with_token("expired-token")
        .with_expiry(SystemTime::now() - Duration::from_secs(1));
    endpoint.add_credential(expired.clone());
    let expired = tencentcloud_runtime::Client::new(
        config(&endpoint).credential(expired).build().unwrap(),
        ORGANIZATION,
    );
    let error = expired
        .call::<_, Answer, SeedError>(&DESCRIBE, Empty {})
        .await
        .unwrap_err();
    assert_eq!(error.code(), Some("AuthFailure.TokenFailure"));
    assert!(error.to_string().contains("expired"), "{error}");
}

#[tokio::test]
async fn service_error_is_typed_with_code_message_and_request_id() {
    let endpoint = endpoint().await;
    endpoint.reply(
        UPDATE_EMAIL_BIND.name(),
        Reply::error(
            "FailedOperation.EmailAlreadyUsed",
            "The email has been used.",
        ),
    );
    let client = client(config(&endpoint));
    let error = client
        .call::<_, Answer, SeedError>(&UPDATE_EMAIL_BIND, seed_request())
        .await
        .unwrap_err();
    let service = error.service_error().expect("a service error");
    assert_eq!(error.service_code(), Some(SeedError::EmailAlreadyUsed));
    assert_eq!(service.code, "FailedOperation.EmailAlreadyUsed");
    assert_eq!(service.message, "The email has been used.");
    assert!(!service.request_id.is_empty());
    assert_eq!(error.request_id(), Some(service.request_id.as_str()));
    assert_eq!(
        error.to_string(),
        format!(
            "FailedOperation.EmailAlreadyUsed: The email has been used. (RequestId {})",
            service.request_id
        )
    );
    assert!(!error.is_retryable());
    assert_eq!(endpoint.requests().len(), 1, "not retried");

    // A code the enum does not know is kept, not lost.
    endpoint.reply(
        UPDATE_EMAIL_BIND.name(),
        Reply::error("FailedOperation.Brand.New", "new"),
    );
    let error = client
        .call::<_, Answer, SeedError>(&UPDATE_EMAIL_BIND, seed_request())
        .await
        .unwrap_err();
    assert_eq!(
        error.service_code().unwrap(),
        SeedError::Other("FailedOperation.Brand.New".into())
    );
    // The common codes map too.
    endpoint.reply(
        UPDATE_EMAIL_BIND.name(),
        Reply::error("ResourceInUse", "busy"),
    );
    let error = client
        .call::<_, Answer, CommonErrorCode>(&UPDATE_EMAIL_BIND, seed_request())
        .await
        .unwrap_err();
    assert_eq!(
        error.service_code().unwrap(),
        CommonErrorCode::ResourceInUse
    );
}

#[tokio::test]
async fn signature_failures_come_back_as_their_codes() {
    let endpoint = endpoint().await;
    endpoint.reply(DESCRIBE.name(), Reply::success(json!({})));

    let wrong_key = client(config(&endpoint).credential(Credential::new(SECRET_ID, "wrong")));
    let error = wrong_key
        .call::<_, Answer, SeedError>(&DESCRIBE, Empty {})
        .await
        .unwrap_err();
    assert_eq!(
        error.service_code().unwrap(),
        SeedError::AuthFailureSignatureFailure
    );

    let unknown = client(config(&endpoint).credential(Credential::new("AKIDunknown", "k")));
    let error = unknown
        .call::<_, Answer, SeedError>(&DESCRIBE, Empty {})
        .await
        .unwrap_err();
    assert_eq!(
        error.service_code().unwrap(),
        SeedError::AuthFailureSecretIdNotFound
    );

    endpoint.set_clock_skew(400);
    // Without correction, a refusal for the clock is the call's error (tests/clock_skew.rs
    // has the correction).
    let right = client(config(&endpoint).clock_skew_correction(false));
    let error = right
        .call::<_, Answer, SeedError>(&DESCRIBE, Empty {})
        .await
        .unwrap_err();
    assert_eq!(
        error.service_code().unwrap(),
        SeedError::AuthFailureSignatureExpire
    );
    endpoint.set_clock_skew(-400);
    let error = right
        .call::<_, Answer, SeedError>(&DESCRIBE, Empty {})
        .await
        .unwrap_err();
    assert_eq!(error.code(), Some("AuthFailure.SignatureExpire"));
    endpoint.set_clock_skew(0);
    let _: Answer = right
        .call::<_, _, SeedError>(&DESCRIBE, Empty {})
        .await
        .unwrap();

    assert_eq!(
        endpoint.requests().len(),
        5,
        "auth failures are not retried"
    );
}

#[tokio::test]
async fn rate_limits_are_retried_even_for_unsafe_actions() {
    let endpoint = endpoint().await;
    endpoint.script(
        UPDATE_EMAIL_BIND.name(),
        [
            Reply::error("RequestLimitExceeded", "slow down"),
            Reply::error("RequestLimitExceeded.UinLimitExceeded", "slow down"),
            Reply::success(json!({})),
        ],
    );
    let client = client(config(&endpoint));
    let _: Answer = client
        .call::<_, _, SeedError>(&UPDATE_EMAIL_BIND, seed_request())
        .await
        .expect("third attempt succeeds");
    assert_eq!(endpoint.requests_for(UPDATE_EMAIL_BIND.name()).len(), 3);

    endpoint.reply(
        UPDATE_EMAIL_BIND.name(),
        Reply::error("RequestLimitExceeded", "slow down"),
    );
    let error = client
        .call::<_, Answer, SeedError>(&UPDATE_EMAIL_BIND, seed_request())
        .await
        .unwrap_err();
    assert_eq!(
        error.service_code().unwrap(),
        SeedError::RequestLimitExceeded
    );
    assert!(error.is_retryable());
    assert_eq!(
        endpoint.requests_for(UPDATE_EMAIL_BIND.name()).len(),
        6,
        "3 attempts at most"
    );

    let once = common::client(config(&endpoint).retry_policy(RetryPolicy::disabled()));
    let _ = once
        .call::<_, Answer, SeedError>(&UPDATE_EMAIL_BIND, seed_request())
        .await;
    assert_eq!(endpoint.requests_for(UPDATE_EMAIL_BIND.name()).len(), 7);
}

#[tokio::test]
async fn a_dropped_connection_is_retried_only_where_safe() {
    let endpoint = endpoint().await;
    endpoint.reply(UPDATE_EMAIL_BIND.name(), Reply::drop_connection());
    let client = client(config(&endpoint));
    let error = client
        .call::<_, Answer, SeedError>(&UPDATE_EMAIL_BIND, seed_request())
        .await
        .unwrap_err();
    match error.kind() {
        ErrorKind::Transport(e) => assert_eq!(e.kind(), TransportErrorKind::Io),
        other => panic!("{other:?}"),
    }
    assert!(error.is_retryable());
    assert_eq!(
        endpoint.requests_for(UPDATE_EMAIL_BIND.name()).len(),
        1,
        "unsafe: sent once"
    );

    endpoint.script(
        DESCRIBE.name(),
        [
            Reply::drop_connection(),
            Reply::drop_connection(),
            Reply::success(json!({})),
        ],
    );
    let _: Answer = client
        .call::<_, _, SeedError>(&DESCRIBE, Empty {})
        .await
        .unwrap();
    assert_eq!(
        endpoint.requests_for(DESCRIBE.name()).len(),
        3,
        "read-only: retried"
    );
}

#[tokio::test]
async fn client_token_is_filled_once_and_makes_retries_safe() {
    let endpoint = endpoint().await;
    endpoint.script(
        CREATE.name(),
        [Reply::drop_connection(), Reply::success(json!({}))],
    );
    let client = client(config(&endpoint));
    let request = CreateThing {
        name: "a".into(),
        client_token: None,
    };
    let _: Answer = client
        .call::<_, _, SeedError>(&CREATE, request)
        .await
        .unwrap();
    let sent = endpoint.requests_for(CREATE.name());
    assert_eq!(sent.len(), 2);
    let token = |i: usize| {
        let body: serde_json::Value = serde_json::from_slice(&sent[i].body).unwrap();
        body["ClientToken"].as_str().unwrap().to_owned()
    };
    assert_eq!(token(0).len(), 36, "a UUID");
    assert_eq!(token(0), token(1), "the same token on every attempt");

    endpoint.reply(CREATE.name(), Reply::success(json!({})));
    let mine = CreateThing {
        name: "b".into(),
        client_token: Some("my-token".into()),
    };
    let _: Answer = client.call::<_, _, SeedError>(&CREATE, mine).await.unwrap();
    let last = endpoint.requests_for(CREATE.name()).pop().unwrap();
    assert!(std::str::from_utf8(&last.body)
        .unwrap()
        .contains("\"ClientToken\":\"my-token\""));
}

#[tokio::test]
async fn attempt_timeout_is_retried_only_where_safe() {
    let endpoint = endpoint().await;
    let slow = Reply::success(json!({})).delayed(Duration::from_secs(3));
    endpoint.reply(UPDATE_EMAIL_BIND.name(), slow.clone());
    endpoint.reply(DESCRIBE.name(), slow);
    let client = client(config(&endpoint).attempt_timeout(Duration::from_millis(150)));

    let started = Instant::now();
    let error = client
        .call::<_, Answer, SeedError>(&UPDATE_EMAIL_BIND, seed_request())
        .await
        .unwrap_err();
    match error.kind() {
        ErrorKind::Timeout(t) => {
            assert_eq!(
                (t.kind, t.limit, t.attempts),
                (TimeoutKind::Attempt, Duration::from_millis(150), 1)
            );
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        error.to_string(),
        "attempt timed out after 150ms (1 attempt)"
    );
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(endpoint.requests_for(UPDATE_EMAIL_BIND.name()).len(), 1);

    let error = client
        .call::<_, Answer, SeedError>(&DESCRIBE, Empty {})
        .await
        .unwrap_err();
    assert!(
        matches!(error.kind(), ErrorKind::Timeout(t) if t.attempts == 3),
        "{error:?}"
    );
    assert_eq!(endpoint.requests_for(DESCRIBE.name()).len(), 3);
}

#[tokio::test]
async fn retries_never_outlast_the_call_timeout() {
    let endpoint = endpoint().await;
    endpoint.reply(
        DESCRIBE.name(),
        Reply::success(json!({})).delayed(Duration::from_secs(3)),
    );
    let client = client(
        config(&endpoint)
            .attempt_timeout(Duration::from_millis(300))
            .call_timeout(Duration::from_millis(500))
            .retry_policy(
                RetryPolicy::standard()
                    .with_max_attempts(10)
                    .with_initial_backoff(Duration::from_millis(1)),
            ),
    );
    let started = Instant::now();
    let error = client
        .call::<_, Answer, SeedError>(&DESCRIBE, Empty {})
        .await
        .unwrap_err();
    let elapsed = started.elapsed();
    match error.kind() {
        ErrorKind::Timeout(t) => assert_eq!(
            (t.kind, t.limit),
            (TimeoutKind::Call, Duration::from_millis(500))
        ),
        other => panic!("{other:?}"),
    }
    assert!(
        elapsed >= Duration::from_millis(490) && elapsed < Duration::from_millis(1500),
        "{elapsed:?}"
    );
    assert_eq!(endpoint.requests_for(DESCRIBE.name()).len(), 2);

    // A backoff that would end past the deadline is not waited out.
    endpoint.reply(
        DESCRIBE.name(),
        Reply::error("RequestLimitExceeded", "slow down"),
    );
    let client = common::client(
        config(&endpoint)
            .call_timeout(Duration::from_millis(300))
            .retry_policy(
                RetryPolicy::standard()
                    .with_initial_backoff(Duration::from_secs(2))
                    .with_max_backoff(Duration::from_secs(2)),
            ),
    );
    let started = Instant::now();
    let error = client
        .call::<_, Answer, SeedError>(&DESCRIBE, Empty {})
        .await
        .unwrap_err();
    assert_eq!(error.code(), Some("RequestLimitExceeded"));
    assert!(started.elapsed() < Duration::from_millis(300));
}

#[tokio::test]
async fn broken_answers_are_invalid_answers_with_an_excerpt() {
    let endpoint = endpoint().await;
    let client = client(config(&endpoint));
    let html = "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>";
    let cases = [
        (Reply::raw(200, "application/json", r#"{"Response":{"RequestId":"ab"#), 200, "the body is not a Tencent Cloud envelope: EOF while parsing a string at line 1 column 28"),
        (Reply::raw(502, "text/html", html), 502, "HTTP 502 without a Tencent Cloud envelope: expected value at line 1 column 1"),
        (Reply::raw(200, "application/json", ""), 200, "the body is empty"),
        (Reply::raw(200, "application/json", r#"{"Response":{"Data":1}}"#), 200, "the response has no `Response.RequestId`"),
    ];
    for (reply, status, reason) in cases {
        endpoint.reply(UPDATE_EMAIL_BIND.name(), reply);
        let error = client
            .call::<_, Answer, SeedError>(&UPDATE_EMAIL_BIND, seed_request())
            .await
            .unwrap_err();
        let ErrorKind::InvalidResponse(invalid) = error.kind() else {
            panic!("{error:?}")
        };
        assert_eq!((invalid.status, invalid.reason.as_str()), (status, reason));
        if status == 502 {
            assert_eq!(invalid.content_type.as_deref(), Some("text/html"));
            assert_eq!(invalid.excerpt, html);
            assert!(error.to_string().contains("502 Bad Gateway"), "{error}");
            assert!(error.is_retryable());
        }
    }
    assert_eq!(endpoint.requests().len(), 4, "unsafe action: none retried");

    // A typed pass that fails names the type and the field.
    endpoint.reply(
        DESCRIBE.name(),
        Reply::success(json!({"Count": "not a number"})),
    );
    #[derive(Debug, Default)]
    #[allow(dead_code)]
    struct Counted {
        count: u64,
    }
    tencentcloud_runtime::impl_decode!(Counted { count: "Count" });
    let error = client
        .call::<_, Counted, SeedError>(&DESCRIBE, Empty {})
        .await
        .unwrap_err();
    let ErrorKind::InvalidResponse(invalid) = error.kind() else {
        panic!("{error:?}")
    };
    assert!(invalid.reason.contains("Counted"), "{}", invalid.reason);
    assert!(
        invalid.reason.contains(
            "Response.Count: expected an unsigned integer, found the text \"not a number\""
        ),
        "{}",
        invalid.reason
    );
    let mismatch = invalid.mismatch.as_deref().expect("the answer is kept");
    assert_eq!(mismatch.field.as_deref(), Some("Response.Count"));

    // A gateway error on a read-only action is retried.
    endpoint.script(
        DESCRIBE.name(),
        [
            Reply::raw(503, "text/html", "busy"),
            Reply::success(json!({})),
        ],
    );
    let _: Answer = client
        .call::<_, _, SeedError>(&DESCRIBE, Empty {})
        .await
        .unwrap();
}

#[tokio::test]
async fn a_body_over_10_mb_is_refused_before_sending() {
    let endpoint = endpoint().await;
    let client = client(config(&endpoint));
    let big = Big {
        data: "x".repeat(10 * 1024 * 1024),
    };
    let error = client
        .call::<_, Answer, SeedError>(&UPDATE_EMAIL_BIND, big)
        .await
        .unwrap_err();
    assert!(
        matches!(
            error.kind(),
            ErrorKind::InvalidRequest(InvalidRequest::BodyTooLarge {
                size: 10_485_771,
                limit: 10_485_760
            })
        ),
        "{error:?}"
    );
    assert!(endpoint.requests().is_empty());
}

#[tokio::test]
async fn an_oversized_answer_is_refused_and_not_retried() {
    let endpoint = endpoint().await;
    endpoint.reply(DESCRIBE.name(), Reply::oversized(64 * 1024));
    let client = client(config(&endpoint).max_response_bytes(16 * 1024));
    let error = client
        .call::<_, Answer, SeedError>(&DESCRIBE, Empty {})
        .await
        .unwrap_err();
    match error.kind() {
        ErrorKind::Transport(e) => assert_eq!(e.kind(), TransportErrorKind::ResponseTooLarge),
        other => panic!("{other:?}"),
    }
    assert!(!error.is_retryable());
    assert_eq!(endpoint.requests().len(), 1);
}

#[tokio::test]
async fn connections_are_reused_and_compressed_answers_decoded() {
    let endpoint = tencentcloud_runtime::local::LocalEndpoint::builder()
        .credential(credential())
        .compress(true)
        .start()
        .await
        .unwrap();
    let padding = "compressible ".repeat(500);
    endpoint.reply(DESCRIBE.name(), Reply::success(json!({"Padding": padding})));
    let client = client(config(&endpoint));
    #[derive(Default)]
    struct Padded {
        padding: String,
    }
    tencentcloud_runtime::impl_decode!(Padded { padding: "Padding" });
    for _ in 0..3 {
        let answer: Padded = client
            .call::<_, _, SeedError>(&DESCRIBE, Empty {})
            .await
            .unwrap();
        assert_eq!(answer.padding, padding);
    }
    assert_eq!(endpoint.connections(), 1);
    let accepted = endpoint.requests()[0].headers["accept-encoding"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(accepted.contains("gzip"), "{accepted}");
}

#[tokio::test]
async fn unsigned_actions_need_no_credential() {
    let endpoint = endpoint().await;
    endpoint.reply(UNSIGNED.name(), Reply::success(json!({})));
    let failing = tencentcloud_runtime::credential::ChainProvider::new();
    let client = client(config(&endpoint).credential_provider(failing));
    let _: Answer = client
        .call::<_, _, SeedError>(&UNSIGNED, Empty {})
        .await
        .unwrap();
    assert_eq!(endpoint.requests()[0].headers["authorization"], "SKIP");

    // A signed action with the same (empty) provider fails before sending.
    let error = client
        .call::<_, Answer, SeedError>(&DESCRIBE, Empty {})
        .await
        .unwrap_err();
    assert!(
        matches!(error.kind(), ErrorKind::Credential(_)),
        "{error:?}"
    );
    assert_eq!(error.to_string(), "no credential found; tried");
    assert_eq!(endpoint.requests().len(), 1);
}

#[tokio::test]
async fn a_refused_connection_is_retried_for_any_action() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    use tencentcloud_runtime::transport::{
        HttpRequest, HttpResponse, ReqwestTransport, Transport, TransportError,
    };

    /// A transport that counts what passes through it, to count attempts no server sees.
    #[derive(Debug)]
    struct Counting(ReqwestTransport, Arc<AtomicUsize>);
    impl Transport for Counting {
        fn send(
            &self,
            request: HttpRequest,
        ) -> tencentcloud_runtime::credential::BoxFuture<'_, Result<HttpResponse, TransportError>>
        {
            self.1.fetch_add(1, Ordering::SeqCst);
            self.0.send(request)
        }
    }

    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap()
    };
    let count = Arc::new(AtomicUsize::new(0));
    let transport = Counting(
        ReqwestTransport::new(Duration::from_secs(1), 1 << 20).unwrap(),
        count.clone(),
    );
    let client = common::client(
        tencentcloud_runtime::Config::builder()
            .credential(credential())
            .endpoint(format!("http://{closed}"))
            .transport(transport)
            .retry_policy(RetryPolicy::standard().with_initial_backoff(Duration::from_millis(1))),
    );
    let error = client
        .call::<_, Answer, SeedError>(&UPDATE_EMAIL_BIND, seed_request())
        .await
        .unwrap_err();
    match error.kind() {
        ErrorKind::Transport(e) => assert_eq!(e.kind(), TransportErrorKind::Connect),
        other => panic!("{other:?}"),
    }
    assert!(
        error.to_string().starts_with("could not connect"),
        "{error}"
    );
    assert_eq!(
        count.load(Ordering::SeqCst),
        3,
        "never sent, so safe to retry"
    );
}

#[tokio::test]
async fn hand_made_services_and_actions_with_bad_values_fail_without_panicking() {
    let endpoint = endpoint().await;
    static BAD_ACTION: tencentcloud_runtime::Action =
        tencentcloud_runtime::Action::new("Bad\nAction");
    let client = client(config(&endpoint));
    let error = client
        .call::<_, Answer, SeedError>(&BAD_ACTION, Empty {})
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid action name \"Bad\\nAction\": not valid in an HTTP header; not sent"
    );
    let bad_service =
        tencentcloud_runtime::Service::new("x", "2020-01-01\r\n", "x.tencentcloudapi.com");
    let client = tencentcloud_runtime::Client::new(
        tencentcloud_runtime::Config::builder()
            .credential(credential())
            .build()
            .unwrap(),
        bad_service,
    );
    let error = client
        .call::<_, Answer, SeedError>(&DESCRIBE, Empty {})
        .await
        .unwrap_err();
    assert!(matches!(
        error.kind(),
        ErrorKind::InvalidRequest(InvalidRequest::InvalidValue {
            what: "service version",
            ..
        })
    ));
    assert!(endpoint.requests().is_empty());
}

#[tokio::test]
async fn a_huge_call_timeout_and_a_bad_credential_fail_cleanly() {
    let endpoint = endpoint().await;
    endpoint.reply(DESCRIBE.name(), Reply::success(json!({})));
    // Duration::MAX cannot be added to the clock: it means no limit, not a panic.
    let unlimited = client(
        config(&endpoint)
            .call_timeout(Duration::MAX)
            .attempt_timeout(Duration::MAX),
    );
    let _: Answer = unlimited
        .call::<_, _, SeedError>(&DESCRIBE, Empty {})
        .await
        .unwrap();

    // A secret id that cannot go into a header is an error, not a missing Authorization.
    let broken = client(config(&endpoint).credential(Credential::new("AKID\nbroken", "k")));
    let error = broken
        .call::<_, Answer, SeedError>(&DESCRIBE, Empty {})
        .await
        .unwrap_err();
    assert!(
        matches!(error.kind(), ErrorKind::Credential(_)),
        "{error:?}"
    );
    assert!(
        error.to_string().contains("not allowed in an HTTP header"),
        "{error}"
    );
    assert_eq!(
        endpoint.requests().len(),
        1,
        "the broken request was never sent"
    );
}

#[tokio::test]
async fn a_signed_request_can_be_built_sent_by_hand_and_its_answer_read() {
    use tencentcloud_runtime::call::response::read_response;
    use tencentcloud_runtime::transport::{ReqwestTransport, Transport};
    let endpoint = endpoint().await;
    endpoint.script(
        UPDATE_EMAIL_BIND.name(),
        [
            Reply::success(json!({"RequestId": "by-hand-1"})),
            Reply::error("FailedOperation.EmailAlreadyUsed", "used"),
        ],
    );
    let client = client(config(&endpoint));
    let request = client
        .signed_request(&UPDATE_EMAIL_BIND, seed_request())
        .await
        .unwrap();
    assert_eq!(request.headers()["x-tc-action"], UPDATE_EMAIL_BIND.name());
    assert_eq!(request.body().as_ref(), SEED_JSON.as_bytes());
    assert!(endpoint.requests().is_empty(), "built, not sent");
    let transport = ReqwestTransport::new(Duration::from_secs(5), 1 << 20).unwrap();
    let answer = transport.send(request.clone()).await.unwrap();
    let ok: Answer = read_response::<_, SeedError>(&answer).unwrap();
    assert_eq!(ok.request_id, "by-hand-1");
    let answer = transport.send(request).await.unwrap();
    let error = read_response::<Answer, SeedError>(&answer).unwrap_err();
    assert_eq!(error.service_code().unwrap(), SeedError::EmailAlreadyUsed);
}

/// A source that hands out a new secret id on every request, the secret key unchanged.
#[derive(Debug, Default)]
struct NewIdEachTime(std::sync::atomic::AtomicUsize);

impl tencentcloud_runtime::ProvideCredential for NewIdEachTime {
    fn provide(
        &self,
    ) -> tencentcloud_runtime::credential::BoxFuture<
        '_,
        Result<Credential, tencentcloud_runtime::CredentialError>,
    > {
        let n = self.0.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let credential = Credential::new(format!("AKIDsecond{n}"), "the-same-secret-key");
        Box::pin(async move { Ok(credential) })
    }
}

#[tokio::test]
async fn each_request_names_the_secret_id_it_was_signed_with_though_the_key_stays() {
    // The client keeps what a day's signatures share (the derived key, the header up to
    // the signature); another secret id with the same secret key must not reuse it.
    let endpoint = endpoint().await;
    let client = client(config(&endpoint).credential_provider(NewIdEachTime::default()));
    for n in 0..2 {
        let request = client
            .signed_request(&UPDATE_EMAIL_BIND, seed_request())
            .await
            .unwrap();
        let authorization = request.headers()["authorization"].to_str().unwrap();
        assert!(
            authorization.contains(&format!("Credential=AKIDsecond{n}/")),
            "{authorization}"
        );
    }
}
