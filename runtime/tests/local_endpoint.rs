//! The local endpoint on its own, driven by plain reqwest with requests signed by hand, so
//! each check it makes is seen answering with its exact code.

mod common;

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use common::*;
use serde_json::{json, Value};
use tencentcloud_runtime::local::{LocalEndpoint, Outcome, Reply};
use tencentcloud_runtime::signing::{sign, Payload, SigningRequest};
use tencentcloud_runtime::Credential;

/// A request to send by hand: headers to add or leave out, and how to sign.
struct Raw<'a> {
    action: Option<&'a str>,
    body: Vec<u8>,
    credential: Option<Credential>,
    timestamp_offset: i64,
    skip: bool,
}

impl Default for Raw<'_> {
    fn default() -> Self {
        Self {
            action: Some("DescribeOrganization"),
            body: b"{}".to_vec(),
            credential: Some(credential()),
            timestamp_offset: 0,
            skip: false,
        }
    }
}

/// The request `raw` describes, signed (or not) as it says.
fn build(endpoint: &LocalEndpoint, raw: Raw<'_>) -> reqwest::RequestBuilder {
    let host = endpoint.url().trim_start_matches("http://").to_owned();
    let timestamp = (SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
        + raw.timestamp_offset) as u64;
    let mut request = reqwest::Client::new()
        .post(endpoint.url())
        .header("content-type", "application/json")
        .header("x-tc-version", "2021-03-31")
        .header("x-tc-timestamp", timestamp.to_string());
    if let Some(action) = raw.action {
        request = request.header("x-tc-action", action);
    }
    if raw.skip {
        request = request.header("authorization", "SKIP");
    } else if let Some(credential) = &raw.credential {
        let signed = sign(
            &SigningRequest {
                method: "POST",
                host: &host,
                path: "/",
                query: "",
                content_type: "application/json",
                payload: Payload::Bytes(&raw.body),
                service: "organization",
                timestamp,
            },
            credential,
        );
        for (name, value) in signed.iter() {
            request = request.header(name, value);
        }
    }
    request.body(raw.body)
}

async fn send(
    endpoint: &LocalEndpoint,
    raw: Raw<'_>,
) -> (u16, reqwest::header::HeaderMap, Vec<u8>) {
    let response = build(endpoint, raw).send().await.expect("answered");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    (status, headers, response.bytes().await.unwrap().to_vec())
}

fn error_code(body: &[u8]) -> (String, String) {
    let v: Value = serde_json::from_slice(body).unwrap();
    let e = &v["Response"]["Error"];
    assert!(e.is_object(), "not an error: {v}");
    assert!(
        v["Response"]["RequestId"].is_string(),
        "error answers carry a RequestId"
    );
    (
        e["Code"].as_str().unwrap().to_owned(),
        e["Message"].as_str().unwrap().to_owned(),
    )
}

#[tokio::test]
async fn a_signed_request_gets_the_scripted_answer_with_a_request_id() {
    let endpoint = endpoint().await;
    endpoint.reply("DescribeOrganization", Reply::success(json!({"OrgId": 7})));
    let (status, headers, body) = send(&endpoint, Raw::default()).await;
    assert_eq!(status, 200);
    assert_eq!(headers["content-type"], "application/json");
    let v: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(v["Response"]["OrgId"], 7);
    assert_eq!(v["Response"]["RequestId"].as_str().unwrap().len(), 36);
    let recorded = endpoint.requests_for("DescribeOrganization");
    assert_eq!(recorded.len(), 1);
    assert_eq!(recorded[0].outcome, Outcome::Answered);
    assert_eq!(&recorded[0].body[..], b"{}");
}

#[tokio::test]
async fn every_check_answers_with_its_code() {
    let endpoint = endpoint().await;
    endpoint.reply("DescribeOrganization", Reply::success(json!({})));
    let temporary = Credential::new("AKIDtmp", "tmp-key").with_token("tmp-token");
    endpoint.add_credential(temporary.clone());

    let cases: Vec<(Raw, &str, &str)> = vec![
        (
            Raw {
                credential: Some(Credential::new(SECRET_ID, "wrong")),
                ..Raw::default()
            },
            "AuthFailure.SignatureFailure",
            "does not match",
        ),
        (
            Raw {
                credential: Some(Credential::new("AKIDnobody", "k")),
                ..Raw::default()
            },
            "AuthFailure.SecretIdNotFound",
            "AKIDnobody does not exist",
        ),
        (
            Raw {
                timestamp_offset: -301,
                ..Raw::default()
            },
            "AuthFailure.SignatureExpire",
            "s away from the server time",
        ),
        (
            Raw {
                timestamp_offset: 400,
                ..Raw::default()
            },
            "AuthFailure.SignatureExpire",
            "s away from the server time",
        ),
        (
            Raw {
                credential: None,
                ..Raw::default()
            },
            "AuthFailure.InvalidAuthorization",
            "it is missing",
        ),
        (
            Raw {
                skip: true,
                ..Raw::default()
            },
            "AuthFailure.InvalidAuthorization",
            "must be signed",
        ),
        (
            Raw {
                credential: Some(Credential::new("AKIDtmp", "tmp-key").with_token("other")),
                ..Raw::default()
            },
            "AuthFailure.TokenFailure",
            "does not belong",
        ),
        (
            Raw {
                action: None,
                ..Raw::default()
            },
            "MissingParameter",
            "X-TC-Action",
        ),
        (
            Raw {
                action: Some("NoSuchThing"),
                ..Raw::default()
            },
            "InvalidAction",
            "no response for action NoSuchThing",
        ),
        (
            Raw {
                body: vec![b' '; 10 * 1024 * 1024 + 1],
                ..Raw::default()
            },
            "RequestSizeLimitExceeded",
            "10485761 bytes",
        ),
    ];
    for (raw, code, detail) in cases {
        let (status, _, body) = send(&endpoint, raw).await;
        assert_eq!(status, 200);
        let (got, message) = error_code(&body);
        assert_eq!(got, code);
        assert!(message.contains(detail), "{code}: {message}");
        assert!(
            !message.contains("tmp-key") && !message.contains(SECRET_KEY),
            "{message}"
        );
    }
    // A temporary credential without its token is refused too; with it, accepted.
    let (_, _, body) = send(
        &endpoint,
        Raw {
            credential: Some(Credential::new("AKIDtmp", "tmp-key")),
            ..Raw::default()
        },
    )
    .await;
    assert_eq!(error_code(&body).0, "AuthFailure.TokenFailure");
    let (_, _, body) = send(
        &endpoint,
        Raw {
            credential: Some(temporary),
            ..Raw::default()
        },
    )
    .await;
    assert!(serde_json::from_slice::<Value>(&body).unwrap()["Response"]["Error"].is_null());

    let rejected = endpoint
        .requests()
        .iter()
        .filter(|r| matches!(r.outcome, Outcome::Rejected { .. }))
        .count();
    assert_eq!(rejected, 11);
}

#[tokio::test]
async fn unsigned_actions_accept_skip() {
    let endpoint = endpoint().await;
    endpoint.reply(UNSIGNED.name(), Reply::success(json!({})));
    let (_, _, body) = send(
        &endpoint,
        Raw {
            action: Some(UNSIGNED.name()),
            skip: true,
            ..Raw::default()
        },
    )
    .await;
    assert!(serde_json::from_slice::<Value>(&body).unwrap()["Response"]["Error"].is_null());
}

#[tokio::test]
async fn scripts_play_once_each_in_order_then_the_action_is_unknown_as_in_the_mock() {
    let endpoint = endpoint().await;
    endpoint.script(
        "DescribeOrganization",
        [
            Reply::error("InternalError", "first"),
            Reply::success(json!({"N": 2})),
            Reply::success(json!({"N": 3})),
        ],
    );
    let mut seen = Vec::new();
    for _ in 0..4 {
        let (_, _, body) = send(&endpoint, Raw::default()).await;
        let v: Value = serde_json::from_slice(&body).unwrap();
        let answer = &v["Response"];
        seen.push(match answer["Error"]["Code"].as_str() {
            Some(code) => code.to_owned(),
            None => answer["N"].to_string(),
        });
    }
    assert_eq!(seen, ["InternalError", "2", "3", "InvalidAction"]);
    // A standing reply answers every call.
    endpoint.reply("DescribeOrganization", Reply::success(json!({"N": 9})));
    for _ in 0..2 {
        let (_, _, body) = send(&endpoint, Raw::default()).await;
        assert_eq!(
            serde_json::from_slice::<Value>(&body).unwrap()["Response"]["N"],
            9
        );
    }
}

#[tokio::test]
async fn scripts_for_a_region_come_before_those_for_any_region() {
    let endpoint = endpoint().await;
    endpoint.reply(
        DESCRIBE.name(),
        Reply::success(json!({"Where": "anywhere"})),
    );
    endpoint.script_in(
        "ap-shanghai",
        DESCRIBE.name(),
        [Reply::success(json!({"Where": "shanghai"}))],
    );
    endpoint.reply_in(
        "ap-guangzhou",
        DESCRIBE.name(),
        Reply::error("ResourceUnavailable", "not here"),
    );
    let answer = |region: Option<&'static str>| {
        let mut config = config(&endpoint);
        if let Some(region) = region {
            config = config.region(region);
        }
        let client = client(config);
        async move {
            match client.call_by_name(DESCRIBE.name(), &json!({})).await {
                Ok(answer) => answer["Where"].as_str().unwrap().to_owned(),
                Err(error) => error.code().unwrap().to_owned(),
            }
        }
    };
    assert_eq!(answer(Some("ap-shanghai")).await, "shanghai");
    // Its one reply used, Shanghai falls back to the script for any region.
    assert_eq!(answer(Some("ap-shanghai")).await, "anywhere");
    assert_eq!(answer(Some("ap-guangzhou")).await, "ResourceUnavailable");
    assert_eq!(answer(Some("ap-guangzhou")).await, "ResourceUnavailable");
    assert_eq!(answer(None).await, "anywhere");
}

#[tokio::test]
async fn raw_oversized_delayed_and_dropped_replies() {
    let endpoint = endpoint().await;
    endpoint.reply(
        "DescribeOrganization",
        Reply::raw(502, "text/html", "<h1>Bad Gateway</h1>"),
    );
    let (status, headers, body) = send(&endpoint, Raw::default()).await;
    assert_eq!((status, &body[..]), (502, &b"<h1>Bad Gateway</h1>"[..]));
    assert_eq!(headers["content-type"], "text/html");

    endpoint.reply("DescribeOrganization", Reply::oversized(100_000));
    let (_, _, body) = send(&endpoint, Raw::default()).await;
    assert!(body.len() >= 100_000);
    assert!(serde_json::from_slice::<Value>(&body).unwrap()["Response"]["RequestId"].is_string());

    endpoint.reply(
        "DescribeOrganization",
        Reply::success(json!({})).delayed(Duration::from_millis(200)),
    );
    let started = Instant::now();
    send(&endpoint, Raw::default()).await;
    assert!(started.elapsed() >= Duration::from_millis(200));

    endpoint.reply("DescribeOrganization", Reply::drop_connection());
    let dropped = build(&endpoint, Raw::default()).send().await;
    assert!(dropped.is_err(), "closed without an answer: {dropped:?}");
    assert_eq!(
        endpoint.requests().last().unwrap().outcome,
        Outcome::Dropped
    );
}

#[tokio::test]
async fn gzip_when_accepted() {
    let endpoint = LocalEndpoint::builder()
        .credential(credential())
        .compress(true)
        .start()
        .await
        .unwrap();
    endpoint.reply(
        "DescribeOrganization",
        Reply::success(json!({"Text": "a".repeat(2000)})),
    );
    // reqwest with the gzip feature asks for gzip and decodes it.
    let (_, _, body) = send(&endpoint, Raw::default()).await;
    assert_eq!(
        serde_json::from_slice::<Value>(&body).unwrap()["Response"]["Text"]
            .as_str()
            .unwrap()
            .len(),
        2000
    );
    // A client that does not accept gzip gets plain bytes.
    let plain = reqwest::Client::builder().no_gzip().build().unwrap();
    let response = plain.get(endpoint.metadata_url()).send().await.unwrap();
    assert!(response.headers().get("content-encoding").is_none());
}

#[tokio::test]
async fn metadata_routes_serve_the_instance_role() {
    let endpoint = endpoint().await;
    let http = reqwest::Client::new();
    let get = |url: String| {
        let http = http.clone();
        async move {
            let r = http.get(url).send().await.unwrap();
            (r.status().as_u16(), r.text().await.unwrap())
        }
    };
    assert_eq!(get(endpoint.metadata_url()).await.0, 404);
    let expiry = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    endpoint.set_instance_role(
        "my-role",
        Credential::new("AKIDrole", "role-key")
            .with_token("role-token")
            .with_expiry(expiry),
    );
    assert_eq!(
        get(endpoint.metadata_url()).await,
        (200, "my-role".to_owned())
    );
    let (status, text) = get(format!("{}my-role", endpoint.metadata_url())).await;
    assert_eq!(status, 200);
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        v,
        json!({"TmpSecretId": "AKIDrole", "TmpSecretKey": "role-key", "Token": "role-token",
               "ExpiredTime": 1_700_000_000u64, "Expiration": "2023-11-14T22:13:20Z", "Code": "Success"})
    );
    assert_eq!(
        get(format!("{}other", endpoint.metadata_url())).await.0,
        404
    );
    assert!(endpoint
        .requests()
        .iter()
        .all(|r| r.outcome == Outcome::Metadata));
}

#[tokio::test]
async fn connections_are_counted_and_debug_hides_tokens() {
    let endpoint = endpoint().await;
    endpoint.reply("DescribeOrganization", Reply::success(json!({})));
    let temporary = Credential::new("AKIDtmp", "tmp-key").with_token("tmp-token-secret");
    endpoint.add_credential(temporary.clone());
    let http = reqwest::Client::new();
    for _ in 0..2 {
        let response = http.get(endpoint.metadata_url()).send().await.unwrap();
        response.bytes().await.unwrap();
    }
    assert_eq!(endpoint.connections(), 1, "one kept-alive connection");
    send(
        &endpoint,
        Raw {
            credential: Some(temporary),
            ..Raw::default()
        },
    )
    .await;
    let debug = format!("{:?}", endpoint.requests());
    assert!(debug.contains("x-tc-token"), "{debug}");
    assert!(!debug.contains("tmp-token-secret"), "{debug}");
}

#[tokio::test]
async fn computed_replies_drops_before_the_body_and_bodies_cut_short() {
    let endpoint = endpoint().await;
    // A reply made from each request's head: here, by a header the test sends.
    endpoint.reply_with("DescribeOrganization", |head| {
        match head.get("x-test-fault").and_then(|v| v.to_str().ok()) {
            Some("unread") => Reply::drop_unread(),
            Some("cut") => Reply::cut_short(json!({"OrgId": 7})),
            _ => Reply::success(json!({"RequestId": "made-for-this-one"})),
        }
    });
    let (status, _, body) = send(&endpoint, Raw::default()).await;
    let answer: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(
        (status, &answer["Response"]["RequestId"]),
        (200, &json!("made-for-this-one"))
    );

    let unread = build(&endpoint, Raw::default())
        .header("x-test-fault", "unread")
        .send()
        .await;
    assert!(unread.is_err(), "closed without an answer: {unread:?}");
    let recorded = endpoint.requests().pop().unwrap();
    assert_eq!(recorded.outcome, Outcome::DroppedUnread);
    assert!(recorded.body.is_empty(), "the body was not read");

    let cut = build(&endpoint, Raw::default())
        .header("x-test-fault", "cut")
        .send()
        .await
        .unwrap();
    let length: usize = cut.headers()["content-length"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    let read = cut.bytes().await;
    assert!(
        read.is_err(),
        "the body ends before its Content-Length of {length}: {read:?}"
    );

    // A signature the endpoint refuses gets the refusal, not the computed reply.
    let refused = Raw {
        credential: Some(Credential::new(SECRET_ID, "wrong")),
        ..Raw::default()
    };
    let (_, _, body) = send(&endpoint, refused).await;
    assert_eq!(error_code(&body).0, "AuthFailure.SignatureFailure");

    // The log can be taken as a run goes: the endpoint then forgets it.
    assert_eq!(endpoint.take_requests().len(), 4);
    assert!(endpoint.requests().is_empty());
    assert!(endpoint.open_connections() <= endpoint.connections());
}
