//! The older signature methods, HmacSHA1 and HmacSHA256, with the parameters in a GET query
//! or a form POST, verified by the local endpoint with its own implementation of the check.

mod common;

use common::*;
use serde::Serialize;
use tencentcloud_runtime::error::InvalidRequest;
use tencentcloud_runtime::local::{Outcome, Reply};
use tencentcloud_runtime::{
    Credential, ErrorKind, FormMethod, LegacyMethod, Request, SignatureMethod,
};

fn legacy(method: LegacyMethod, http: FormMethod) -> SignatureMethod {
    SignatureMethod::Legacy { method, http }
}

fn params(form: &str) -> std::collections::BTreeMap<String, String> {
    form.split('&')
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap();
            (k.to_owned(), v.to_owned())
        })
        .collect()
}

#[tokio::test]
async fn hmac_sha1_over_get_puts_the_signed_parameters_in_the_query() {
    let endpoint = endpoint().await;
    endpoint.reply(
        UPDATE_EMAIL_BIND.name(),
        Reply::success(serde_json::json!({})),
    );
    let client = client(
        config(&endpoint)
            .region("ap-guangzhou")
            .signature_method(legacy(LegacyMethod::HmacSha1, FormMethod::Get)),
    );
    client
        .call::<_, Answer, SeedError>(&UPDATE_EMAIL_BIND, seed_request())
        .await
        .unwrap();
    let sent = &endpoint.requests()[0];
    assert_eq!(sent.method, "GET");
    assert_eq!(sent.outcome, Outcome::Answered);
    assert!(sent.body.is_empty());
    assert!(sent.headers.get("authorization").is_none());
    let query = params(sent.query.as_deref().unwrap());
    assert_eq!(query["Action"], "UpdateOrganizationMemberEmailBind");
    assert_eq!(query["Version"], "2021-03-31");
    assert_eq!(query["SignatureMethod"], "HmacSHA1");
    assert_eq!(query["SecretId"], SECRET_ID);
    assert_eq!(query["MemberUin"], "111111111111");
    assert_eq!(query["Email"], "12***%40qq.com");
    // The seed action takes no region, so none is sent even in a form.
    assert!(!query.contains_key("Region"));
    assert!(query["Signature"].ends_with("%3D"), "base64, URL-encoded");
}

#[derive(Debug, Serialize)]
struct Filtered {
    #[serde(rename = "Filters")]
    filters: Vec<Filter>,
    #[serde(rename = "Limit")]
    limit: u32,
}

#[derive(Debug, Serialize)]
struct Filter {
    #[serde(rename = "Name")]
    name: String,
    #[serde(rename = "Values")]
    values: Vec<String>,
}

impl Request for Filtered {}

impl tencentcloud_runtime::body::WriteJson for Filtered {
    fn write_json(&self, out: &mut tencentcloud_runtime::body::JsonWriter) {
        out.serde(self);
    }
}

#[tokio::test]
async fn hmac_sha256_over_post_sends_a_form_body_with_nested_fields_flattened() {
    let endpoint = endpoint().await;
    let temporary = Credential::new("AKIDtemporary", "temporary-key").with_token("session token");
    endpoint.add_credential(temporary.clone());
    endpoint.reply(REGIONAL.name(), Reply::success(serde_json::json!({})));
    let client = client(
        config(&endpoint)
            .credential(temporary)
            .region("ap-guangzhou")
            .signature_method(legacy(LegacyMethod::HmacSha256, FormMethod::Post)),
    );
    let request = Filtered {
        filters: vec![Filter {
            name: "zone".into(),
            values: vec!["ap-guangzhou-3".into(), "a&b c".into()],
        }],
        limit: 20,
    };
    client
        .call::<_, Answer, SeedError>(&REGIONAL, request)
        .await
        .unwrap();
    let sent = &endpoint.requests()[0];
    assert_eq!(sent.method, "POST");
    assert_eq!(sent.outcome, Outcome::Answered);
    assert_eq!(
        sent.headers["content-type"],
        "application/x-www-form-urlencoded"
    );
    let body = params(std::str::from_utf8(&sent.body).unwrap());
    assert_eq!(body["Filters.0.Name"], "zone");
    assert_eq!(body["Filters.0.Values.0"], "ap-guangzhou-3");
    assert_eq!(body["Filters.0.Values.1"], "a%26b+c");
    assert_eq!(body["Limit"], "20");
    assert_eq!(body["Region"], "ap-guangzhou");
    assert_eq!(body["SignatureMethod"], "HmacSHA256");
    assert_eq!(body["Token"], "session+token");
}

#[tokio::test]
async fn a_wrong_key_is_refused_by_the_endpoint() {
    let endpoint = endpoint().await;
    let client = client(
        config(&endpoint)
            .credential(Credential::new(SECRET_ID, "not-the-key"))
            .signature_method(legacy(LegacyMethod::HmacSha1, FormMethod::Post)),
    );
    let error = client
        .call::<_, Answer, SeedError>(&DESCRIBE, Empty {})
        .await
        .unwrap_err();
    assert_eq!(
        error.service_code().unwrap(),
        SeedError::AuthFailureSignatureFailure
    );
    assert_eq!(
        endpoint.requests()[0].action.as_deref(),
        Some(DESCRIBE.name())
    );
}

#[derive(Debug, Serialize)]
struct WithRegionField {
    #[serde(rename = "Region")]
    region: String,
}

impl Request for WithRegionField {}

impl tencentcloud_runtime::body::WriteJson for WithRegionField {
    fn write_json(&self, out: &mut tencentcloud_runtime::body::JsonWriter) {
        out.serde(self);
    }
}

#[tokio::test]
async fn a_field_named_like_a_common_parameter_is_not_silently_overwritten() {
    let endpoint = endpoint().await;
    let client = client(
        config(&endpoint)
            .region("ap-guangzhou")
            .signature_method(legacy(LegacyMethod::HmacSha1, FormMethod::Get)),
    );
    let error = client
        .call::<_, Answer, SeedError>(
            &OPTIONAL_REGION,
            WithRegionField {
                region: "ap-beijing".into(),
            },
        )
        .await
        .unwrap_err();
    assert!(matches!(
        error.kind(),
        ErrorKind::InvalidRequest(InvalidRequest::ParameterClash { name }) if name == "Region"
    ));
    assert!(endpoint.requests().is_empty());
}
