//! The older signature methods, HmacSHA1 and HmacSHA256 ("signature v1"), for accounts and
//! tools that still use them. The request's parameters travel as a form, in the query of a
//! GET or the body of a POST, and are signed as a sorted `key=value` list.
//!
//! Pure functions like TC3: [`flatten`] turns a JSON request into form parameters,
//! [`string_to_sign`] and [`signature`] follow Tencent's documented steps, and
//! [`encode_form`] writes the signed parameters as the query or body.

use std::collections::BTreeMap;
use std::fmt;

use base64::Engine as _;
use hmac::{Hmac, Mac};
use serde_json::Value;

/// The Content-Type of a form body, signed or not, as sent.
pub const FORM_CONTENT_TYPE: &str = "application/x-www-form-urlencoded";

/// An older signature method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum LegacyMethod {
    /// HMAC-SHA1, the original method.
    HmacSha1,
    /// HMAC-SHA256.
    HmacSha256,
}

impl LegacyMethod {
    /// The value of the `SignatureMethod` parameter.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::HmacSha1 => "HmacSHA1",
            Self::HmacSha256 => "HmacSHA256",
        }
    }

    /// The method a `SignatureMethod` parameter names; absent means HmacSHA1.
    pub fn from_param(value: Option<&str>) -> Option<Self> {
        match value {
            None | Some("HmacSHA1") => Some(Self::HmacSha1),
            Some("HmacSHA256") => Some(Self::HmacSha256),
            Some(_) => None,
        }
    }
}

impl fmt::Display for LegacyMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Form parameters, sorted by name as the signature needs them.
pub type Params = BTreeMap<String, String>;

/// Adds the parameters of a JSON request to `params`: nested objects as `Outer.Inner`, list
/// elements as `Name.0`, `Name.1`; `null` is left out, booleans are `true`/`false`.
pub fn flatten(value: &Value, params: &mut Params) {
    flatten_into(String::new(), value, params);
}

fn flatten_into(prefix: String, value: &Value, params: &mut Params) {
    let join = |key: &str| {
        if prefix.is_empty() {
            key.to_owned()
        } else {
            format!("{prefix}.{key}")
        }
    };
    match value {
        Value::Null => {}
        Value::Object(map) => {
            for (key, value) in map {
                flatten_into(join(key), value, params);
            }
        }
        Value::Array(items) => {
            for (i, value) in items.iter().enumerate() {
                flatten_into(join(&i.to_string()), value, params);
            }
        }
        Value::String(s) => {
            params.insert(prefix, s.clone());
        }
        Value::Bool(b) => {
            params.insert(prefix, b.to_string());
        }
        Value::Number(n) => {
            params.insert(prefix, n.to_string());
        }
    }
}

/// The string to sign: method, host, path, `?`, then `name=value` pairs in name order,
/// joined by `&`, neither names nor values URL-encoded.
pub fn string_to_sign(method: &str, host: &str, path: &str, params: &Params) -> String {
    let mut out = format!("{method}{host}{path}?");
    for (i, (name, value)) in params.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(name);
        out.push('=');
        out.push_str(value);
    }
    out
}

/// The base64 HMAC of `string_to_sign` under the secret key.
pub fn signature(method: LegacyMethod, secret_key: &str, string_to_sign: &str) -> String {
    let key = secret_key.as_bytes();
    let message = string_to_sign.as_bytes();
    let digest = match method {
        LegacyMethod::HmacSha1 => {
            let mut mac = <Hmac<sha1::Sha1>>::new_from_slice(key).expect("HMAC takes any key");
            mac.update(message);
            mac.finalize().into_bytes().to_vec()
        }
        LegacyMethod::HmacSha256 => {
            let mut mac = <Hmac<sha2::Sha256>>::new_from_slice(key).expect("HMAC takes any key");
            mac.update(message);
            mac.finalize().into_bytes().to_vec()
        }
    };
    base64::engine::general_purpose::STANDARD.encode(digest)
}

/// The parameters as `application/x-www-form-urlencoded`, for a query or a body.
pub fn encode_form(params: &Params) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(params)
        .finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Tencent's published example of signature v1, with its full example keys and with the
    /// masked ones of the current page; both results are on Tencent's pages.
    #[test]
    fn tencents_published_example() {
        for (secret_id, secret_key, expected) in [
            (
                "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
                "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
                "EliP9YW3pW28FpsEdkXt/+WcGeI=",
            ),
            (
                "AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******",
                "Gu5t9xGARNpq86cd98joQYCN3*******",
                "zmmjn35mikh6pM3V7sUEuX4wyYM=",
            ),
        ] {
            let mut params = Params::new();
            flatten(
                &serde_json::json!({
                    "Action": "DescribeInstances",
                    "InstanceIds": ["ins-09dx96dg"],
                    "Limit": 20,
                    "Nonce": 11886,
                    "Offset": 0,
                    "Region": "ap-guangzhou",
                    "SecretId": secret_id,
                    "Timestamp": 1465185768,
                    "Version": "2017-03-12",
                }),
                &mut params,
            );
            let to_sign = string_to_sign("GET", "cvm.tencentcloudapi.com", "/", &params);
            assert_eq!(
                to_sign,
                format!("GETcvm.tencentcloudapi.com/?Action=DescribeInstances&InstanceIds.0=ins-09dx96dg&Limit=20&Nonce=11886&Offset=0&Region=ap-guangzhou&SecretId={secret_id}&Timestamp=1465185768&Version=2017-03-12")
            );
            assert_eq!(
                signature(LegacyMethod::HmacSha1, secret_key, &to_sign),
                expected
            );
        }
    }

    #[test]
    fn hmac_sha256_and_form_encoding() {
        // HMAC-SHA256 of the same published string, computed independently (Python's hmac).
        let to_sign = "GETcvm.tencentcloudapi.com/?Action=DescribeInstances&InstanceIds.0=ins-09dx96dg&Limit=20&Nonce=11886&Offset=0&Region=ap-guangzhou&SecretId=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE&Timestamp=1465185768&Version=2017-03-12";
        assert_eq!(
            signature(
                LegacyMethod::HmacSha256,
                "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
                to_sign
            ),
            SHA256_OF_PUBLISHED
        );
        let mut params = Params::new();
        flatten(
            &serde_json::json!({"Filters": [{"Name": "zone", "Values": ["a b", "c&d"]}], "DryRun": false, "Skip": null}),
            &mut params,
        );
        assert_eq!(
            encode_form(&params),
            "DryRun=false&Filters.0.Name=zone&Filters.0.Values.0=a+b&Filters.0.Values.1=c%26d"
        );
        assert_eq!(
            LegacyMethod::from_param(Some("HmacSHA256")),
            Some(LegacyMethod::HmacSha256)
        );
        assert_eq!(LegacyMethod::from_param(None), Some(LegacyMethod::HmacSha1));
        assert_eq!(LegacyMethod::from_param(Some("MD5")), None);
    }

    const SHA256_OF_PUBLISHED: &str = "bR/zQ3QqOmcEYeRv71IzG/NxfisUDgy9cqRMQC+UB5g=";
}
