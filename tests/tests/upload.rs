//! File uploads (tests/specs/upload, the shape of cii 2021-04-08): a request with a
//! `binary` member goes as multipart/form-data, TC3-signed over the exact body, and the
//! local endpoint verifies the signature and reads it back part by part. The same spec has
//! an `offline` action, generated and marked.

use bytes::Bytes;
use serde_json::json;
use tencentcloud_runtime::local::{LocalEndpoint, Outcome, Reply};
use tencentcloud_runtime::{
    Action, Binary, BodyKind, Config, ConfigBuilder, Credential, FormMethod, LegacyMethod,
    SignatureMethod,
};
use tencentcloud_tests::obstacle_course::upload::v20210408 as upload;

use upload::{Client, DescribeQualityScoreRequest, Patient, UploadMedicalFileRequest};

/// A part as compared: name, file name, content type, content.
type PartView<'a> = (&'a str, Option<&'a str>, Option<&'a str>, &'a [u8]);

/// Bytes that would break a careless encoder: CR LF, dashes, a quote, NUL, invalid UTF-8.
const SCAN: &[u8] = b"\x89PNG\r\n\x1a\n--\r\n\"\0\xff\xfe end";

/// The local endpoint, answering both upload actions, and a configuration for it.
async fn endpoint(credential: &Credential) -> (LocalEndpoint, ConfigBuilder) {
    let replies = [
        (
            "UploadMedicalFile",
            Reply::success(json!({"FileKey": "k/1"})),
        ),
        (
            "DescribeQualityScore",
            Reply::success(json!({"QualityScore": 87})),
        ),
    ];
    tencentcloud_tests::local_endpoint(credential, replies).await
}

#[tokio::test]
async fn a_file_upload_is_sent_as_multipart_and_read_back_part_by_part() {
    let credential = Credential::new("AKIDupload", "upload-secret");
    let (endpoint, config) = endpoint(&credential).await;
    let client = Client::new(config.build().unwrap());
    let request = UploadMedicalFileRequest::new()
        .with_file(SCAN)
        .with_file_url("https://example.com/scan.png")
        .with_pages(3)
        .with_ratio(0.25)
        .with_deep(false)
        .with_tags(vec!["胸片".into(), "a\"b".into()])
        .with_patient(Patient::new("张三").with_age(42));
    assert_eq!(
        format!("{:?}", request.file),
        format!("Some(Binary({} bytes))", SCAN.len())
    );
    let answer = client.upload_medical_file(request).await.unwrap();
    assert_eq!(answer.file_key, "k/1");

    let sent = &endpoint.requests_for("UploadMedicalFile")[0];
    assert_eq!(
        sent.outcome,
        Outcome::Answered,
        "the signature over the body checks"
    );
    let content_type = sent.headers["content-type"].to_str().unwrap();
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap();
    assert_eq!(boundary.len(), 32);
    let authorization = sent.headers["authorization"].to_str().unwrap();
    assert!(authorization.starts_with("TC3-HMAC-SHA256 Credential=AKIDupload/"));

    let parts = sent.parts().unwrap();
    let seen: Vec<PartView<'_>> = parts
        .iter()
        .map(|p| {
            (
                p.name.as_str(),
                p.filename.as_deref(),
                p.content_type.as_deref(),
                &p.data[..],
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("File", Some("File"), None, SCAN),
            ("FileURL", None, None, &b"https://example.com/scan.png"[..]),
            ("Pages", None, None, b"3"),
            ("Ratio", None, None, b"0.25"),
            ("Deep", None, None, b"false"),
            (
                "Tags",
                None,
                Some("application/json"),
                "[\"胸片\",\"a\\\"b\"]".as_bytes()
            ),
            (
                "Patient",
                None,
                Some("application/json"),
                r#"{"Name":"张三","Age":42}"#.as_bytes()
            ),
        ]
    );
    // The body is exactly the parts, with nothing before or after.
    assert!(sent
        .body
        .starts_with(format!("--{boundary}\r\n").as_bytes()));
    assert!(sent
        .body
        .ends_with(format!("\r\n--{boundary}--\r\n").as_bytes()));
}

#[tokio::test]
async fn a_required_file_and_the_blocking_client() {
    let credential = Credential::new("AKIDupload", "upload-secret");
    let (endpoint, config) = endpoint(&credential).await;
    let config = config.build().unwrap();
    let answer = Client::new(config.clone())
        .describe_quality_score(DescribeQualityScoreRequest::new(vec![1, 2, 3]))
        .await
        .unwrap();
    assert_eq!(answer.quality_score, 87);
    // From a thread outside the async runtime, as blocking clients are meant to be used.
    let blocking = tokio::task::spawn_blocking(move || {
        std::thread::spawn(move || {
            upload::blocking::Client::new(config).describe_quality_score(
                DescribeQualityScoreRequest::new(Binary::from(Bytes::from_static(b"xyz"))),
            )
        })
        .join()
    })
    .await
    .unwrap()
    .unwrap()
    .unwrap();
    assert_eq!(blocking.quality_score, 87);
    let sent = endpoint.requests_for("DescribeQualityScore");
    let files: Vec<Vec<u8>> = sent
        .iter()
        .map(|r| {
            let parts = r.parts().unwrap();
            assert_eq!(parts.len(), 1);
            parts[0].data.to_vec()
        })
        .collect();
    assert_eq!(files, [vec![1, 2, 3], b"xyz".to_vec()]);
}

#[tokio::test]
async fn a_multipart_action_is_tc3_signed_even_when_the_config_asks_for_an_older_method() {
    let credential = Credential::new("AKIDupload", "upload-secret");
    let (endpoint, config) = endpoint(&credential).await;
    let config = config
        .signature_method(SignatureMethod::Legacy {
            method: LegacyMethod::HmacSha256,
            http: FormMethod::Post,
        })
        .build()
        .unwrap();
    Client::new(config)
        .describe_quality_score(DescribeQualityScoreRequest::new(SCAN))
        .await
        .unwrap();
    let sent = &endpoint.requests_for("DescribeQualityScore")[0];
    assert_eq!(sent.outcome, Outcome::Answered);
    assert!(sent.headers["authorization"]
        .to_str()
        .unwrap()
        .starts_with("TC3-HMAC-SHA256 "));
    assert_eq!(sent.parts().unwrap()[0].data, SCAN);
}

static QUALITY: Action = Action::new("DescribeQualityScore").body(BodyKind::Multipart);

#[tokio::test]
async fn the_endpoint_refuses_a_changed_body_and_a_malformed_one() {
    let credential = Credential::new("AKIDupload", "upload-secret");
    let (endpoint, config) = endpoint(&credential).await;
    let config = config.build().unwrap();
    let runtime = tencentcloud_runtime::Client::new(config.clone(), upload::SERVICE);
    let signed = runtime
        .signed_request(&QUALITY, DescribeQualityScoreRequest::new(SCAN))
        .await
        .unwrap();

    // One byte of the file changed after signing: the signature no longer matches.
    let (mut head, body) = signed.into_parts();
    let mut changed = body.to_vec();
    let at = changed.windows(4).position(|w| w == b"PNG\r").unwrap();
    changed[at] = b'J';
    let answer = config
        .transport()
        .send(http::Request::from_parts(
            head.clone(),
            Bytes::from(changed),
        ))
        .await
        .unwrap();
    assert!(String::from_utf8_lossy(answer.body()).contains("AuthFailure.SignatureFailure"));

    // Correctly signed, but the parts are malformed (no closing boundary): InvalidRequest.
    let body: &[u8] = b"--B\r\nContent-Disposition: form-data; name=\"File\"\r\n\r\nno end";
    let content_type = "multipart/form-data; boundary=B";
    let timestamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let host = head.headers["host"].to_str().unwrap().to_owned();
    let signed = tencentcloud_runtime::signing::sign(
        &tencentcloud_runtime::signing::SigningRequest {
            method: "POST",
            host: &host,
            path: "/",
            query: "",
            content_type,
            payload: tencentcloud_runtime::signing::Payload::Bytes(body),
            service: "upload",
            timestamp,
        },
        &credential,
    );
    let headers = &mut head.headers;
    headers.insert("content-type", http::HeaderValue::from_static(content_type));
    headers.insert("x-tc-timestamp", timestamp.into());
    headers.insert("authorization", signed.authorization.parse().unwrap());
    let answer = config
        .transport()
        .send(http::Request::from_parts(head, Bytes::from_static(body)))
        .await
        .unwrap();
    let text = String::from_utf8_lossy(answer.body()).into_owned();
    assert!(text.contains("\"Code\":\"InvalidRequest\""), "{text}");
    assert!(
        text.contains("part 0: no boundary follows its content"),
        "{text}"
    );
    let outcomes: Vec<Outcome> = endpoint.requests().into_iter().map(|r| r.outcome).collect();
    let rejected = |code: &str| Outcome::Rejected { code: code.into() };
    assert_eq!(
        outcomes,
        [
            rejected("AuthFailure.SignatureFailure"),
            rejected("InvalidRequest")
        ]
    );
}

#[test]
#[allow(deprecated)]
fn an_offline_action_is_generated_and_marked() {
    // `#[deprecated]` with the offline note: this test allows it, user code gets a warning.
    let config = Config::builder()
        .credential(Credential::new("AKID", "secret"))
        .build()
        .unwrap();
    let client = Client::new(config);
    let _call = client.describe_legacy_thing(upload::DescribeLegacyThingRequest::new("id"));
}
