//! TC3-HMAC-SHA256 stage by stage: Tencent's published DescribeInstances example, and cases
//! computed independently by `tests/vectors/tc3_vectors.py` (Python's hashlib and hmac).

use tencentcloud_runtime::signing::{
    self, authorization, canonical_request, hashed_payload, sha256_hex, sign, signature,
    signing_key, string_to_sign, utc_date, Payload, SigningRequest,
};
use tencentcloud_runtime::Credential;

const ID: &str = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******";
const KEY: &str = "Gu5t9xGARNpq86cd98joQYCN3*******";
const DOC_PAYLOAD: &str =
    r#"{"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]}"#;

fn doc_request() -> SigningRequest<'static> {
    SigningRequest {
        method: "POST",
        host: "cvm.tencentcloudapi.com",
        path: "/",
        query: "",
        content_type: "application/json; charset=utf-8",
        payload: Payload::Bytes(DOC_PAYLOAD.as_bytes()),
        service: "cvm",
        timestamp: 1_551_113_065,
    }
}

/// Every value below is printed in Tencent's Signature v3 documentation.
#[test]
fn tencent_documentation_example_stage_by_stage() {
    let request = doc_request();
    assert_eq!(
        hashed_payload(request.payload),
        "35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064"
    );
    let canonical = canonical_request(&request);
    assert_eq!(
        canonical,
        "POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\n\n\
         content-type;host\n35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064"
    );
    let hashed = sha256_hex(canonical.as_bytes());
    assert_eq!(
        hashed,
        "5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031"
    );
    let date = utc_date(request.timestamp);
    assert_eq!(date, "2019-02-25");
    let to_sign = string_to_sign(request.timestamp, &date, "cvm", &hashed);
    assert_eq!(
        to_sign,
        "TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n\
         5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031"
    );
    let key = signing_key(KEY, &date, "cvm");
    // Not printed by Tencent; computed by tc3_vectors.py.
    assert_eq!(
        hex(&key),
        "8aa8ab5755582f576e94bcfe383b8e29325b0ca90c3590d569221c6a63a091ed"
    );
    let sig = signature(&key, &to_sign);
    assert_eq!(
        sig,
        "2230eefd229f582d8b1b891af7107b91597240707d778ab3738f756258d7652c"
    );
    let expected_authorization = "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature=2230eefd229f582d8b1b891af7107b91597240707d778ab3738f756258d7652c";
    assert_eq!(
        authorization(ID, &date, "cvm", &sig),
        expected_authorization
    );

    let headers = sign(&request, &Credential::new(ID, KEY));
    assert_eq!(headers.authorization, expected_authorization);
    assert_eq!(headers.timestamp, "1551113065");
    assert_eq!(headers.token, None);
    assert_eq!(headers.content_sha256, None);
    let names: Vec<_> = headers.iter().map(|(n, _)| n).collect();
    assert_eq!(names, ["Authorization", "X-TC-Timestamp"]);
}

struct Case {
    request: SigningRequest<'static>,
    hashed_payload: &'static str,
    hashed_canonical_request: &'static str,
    signing_key: &'static str,
    signature: &'static str,
}

fn check(case: &Case) -> signing::SignedHeaders {
    let r = &case.request;
    assert_eq!(hashed_payload(r.payload), case.hashed_payload);
    let hashed = sha256_hex(canonical_request(r).as_bytes());
    assert_eq!(hashed, case.hashed_canonical_request);
    let date = utc_date(r.timestamp);
    let key = signing_key(KEY, &date, r.service);
    assert_eq!(hex(&key), case.signing_key);
    let to_sign = string_to_sign(r.timestamp, &date, r.service, &hashed);
    assert_eq!(signature(&key, &to_sign), case.signature);
    let headers = sign(r, &Credential::new(ID, KEY));
    assert!(headers
        .authorization
        .ends_with(&format!("Signature={}", case.signature)));
    assert!(headers
        .authorization
        .contains(&format!("Credential={ID}/{date}/{}/tc3_request", r.service)));
    headers
}

#[test]
fn empty_payload() {
    check(&Case {
        request: SigningRequest {
            method: "POST",
            host: "organization.intl.tencentcloudapi.com",
            path: "/",
            query: "",
            content_type: "application/json",
            payload: Payload::Bytes(b""),
            service: "organization",
            timestamp: 1_700_000_000,
        },
        hashed_payload: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        hashed_canonical_request:
            "2783be24a991f1804f5d201ff661453e59315772961a83a4cd5fbd1c12a12aec",
        signing_key: "efec4c500989c6c6a565a095db704c57e6e31cc1371cf4443af35fb156b01fab",
        signature: "b9c66fc607e4d7159283088622855393c9ae51791e7721a11186ec0676898c33",
    });
}

#[test]
fn non_ascii_payload_is_signed_as_utf8_bytes() {
    check(&Case {
        request: SigningRequest {
            method: "POST",
            host: "organization.intl.tencentcloudapi.com",
            path: "/",
            query: "",
            content_type: "application/json",
            payload: Payload::Bytes("{\"Name\":\"未命名 ✓ 组织\"}".as_bytes()),
            service: "organization",
            timestamp: 1_700_000_000,
        },
        hashed_payload: "2344aa5e7880457628c1568c9d97c8cba91a1693513b8b8d4e62c0548209b103",
        hashed_canonical_request:
            "9091ab6cc986eb705977baec53b2549e5c89c526c81f967722127b1a9ac87ec1",
        signing_key: "efec4c500989c6c6a565a095db704c57e6e31cc1371cf4443af35fb156b01fab",
        signature: "27c1cbc2e17c55dde31203e508e2a8bc548a966bff9d335d6e2d2acdfcbb4cf7",
    });
}

#[test]
fn get_with_query_string() {
    let case = Case {
        request: SigningRequest {
            method: "GET",
            host: "cvm.tencentcloudapi.com",
            path: "/",
            query: "Limit=10&Offset=0",
            content_type: "application/x-www-form-urlencoded",
            payload: Payload::Bytes(b""),
            service: "cvm",
            timestamp: 1_551_113_065,
        },
        hashed_payload: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        hashed_canonical_request:
            "91c9c192c14460df6c1ffc69e34e6c5e90708de2a6d282cccf957dbf1aa7f3a7",
        signing_key: "8aa8ab5755582f576e94bcfe383b8e29325b0ca90c3590d569221c6a63a091ed",
        signature: "83ea459dcc7529689abdf0ac4d5bde3b9f5df95383b0ba9bcedbc1426c1ebc00",
    };
    assert!(canonical_request(&case.request).starts_with("GET\n/\nLimit=10&Offset=0\n"));
    check(&case);
}

#[test]
fn unsigned_payload_hashes_the_marker_and_adds_its_header() {
    let headers = check(&Case {
        request: SigningRequest {
            method: "POST",
            host: "cos.tencentcloudapi.com",
            path: "/",
            query: "",
            content_type: "application/octet-stream",
            payload: Payload::Unsigned,
            service: "cos",
            timestamp: 1_551_113_065,
        },
        hashed_payload: "438d4109ef0d676b8c2c7ed13cdfcb418e494d53b843d4634ce3b1085f07bb96",
        hashed_canonical_request:
            "2491810de4acc120901679bb4c7f817de9bf1078f57dc9c3ae37f62d3d70f882",
        signing_key: "cf56cbb6dd8635096541530e87457ec9aa097e45c176b6ef4d54cf9b7246c2df",
        signature: "3e6ee3db252a34cc6c900159c96b91acb1ba0c7ddb60e1697bddd4ef8b3c7903",
    });
    assert_eq!(headers.content_sha256, Some("UNSIGNED-PAYLOAD"));
    let added: Vec<_> = headers.iter().collect();
    assert_eq!(added[2], ("X-TC-Content-SHA256", "UNSIGNED-PAYLOAD"));
}

#[test]
fn temporary_token_is_sent_but_not_signed_and_not_shown() {
    let permanent = sign(&doc_request(), &Credential::new(ID, KEY));
    let temporary = sign(
        &doc_request(),
        &Credential::new(ID, KEY).with_token("token-value-123"),
    );
    // The token is a header beside the signature, not part of it.
    assert_eq!(temporary.authorization, permanent.authorization);
    assert_eq!(temporary.token.as_deref(), Some("token-value-123"));
    let added: Vec<_> = temporary.iter().collect();
    assert_eq!(added[2], ("X-TC-Token", "token-value-123"));
    assert!(!format!("{temporary:?}").contains("token-value-123"));
}

#[test]
fn signature_changes_with_every_input() {
    let base = sign(&doc_request(), &Credential::new(ID, KEY)).authorization;
    let variants = [
        SigningRequest {
            timestamp: 1_551_113_066,
            ..doc_request()
        },
        SigningRequest {
            host: "cvm.intl.tencentcloudapi.com",
            ..doc_request()
        },
        SigningRequest {
            content_type: "application/json",
            ..doc_request()
        },
        SigningRequest {
            payload: Payload::Bytes(b"{}"),
            ..doc_request()
        },
        SigningRequest {
            service: "cbs",
            ..doc_request()
        },
        SigningRequest {
            method: "GET",
            ..doc_request()
        },
    ];
    for variant in variants {
        assert_ne!(
            sign(&variant, &Credential::new(ID, KEY)).authorization,
            base,
            "{variant:?}"
        );
    }
    assert_ne!(
        sign(&doc_request(), &Credential::new(ID, "other")).authorization,
        base
    );
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
