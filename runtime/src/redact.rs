//! Bodies as the logs may show them: JSON with the values of secret-looking fields masked,
//! so turning on body logging never writes a key, token or password (an STS response holds
//! all three). URLs with credentials (a proxy's) show them masked.

use std::fmt;

use serde_json::Value;

/// Field names whose values are never logged, compared case-insensitively as substrings.
const SECRET_WORDS: &[&str] = &["secret", "token", "password", "passwd", "key", "credential"];

/// `body` for a log line: masked JSON, a form with masked values, or its size when it is
/// neither.
pub(crate) fn body(body: &[u8]) -> impl fmt::Display + '_ {
    Masked(body)
}

struct Masked<'a>(&'a [u8]);

impl fmt::Display for Masked<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Ok(mut value) = serde_json::from_slice::<Value>(self.0) {
            mask(&mut value);
            return write!(f, "{value}");
        }
        if let Ok(text) = std::str::from_utf8(self.0) {
            if !text.contains(['{', '<', ' ']) && text.contains('=') {
                let masked: Vec<String> = form_urlencoded::parse(self.0)
                    .map(|(k, v)| {
                        let v = if is_secret(&k) { "***".into() } else { v };
                        format!("{k}={v}")
                    })
                    .collect();
                return f.write_str(&masked.join("&"));
            }
        }
        write!(f, "<{} bytes, not JSON>", self.0.len())
    }
}

/// `url` with the password of its credentials masked (`http://user:***@host:port`), or
/// the user too when there is no password (`http://***@host`), whether or not the rest
/// parses: this also shows a URL that was refused. Everything up to the last `@` counts as
/// credentials, so a password with a raw `/` or `@` in it stays hidden too.
pub(crate) fn url(url: &str) -> String {
    let start = url.find("://").map_or(0, |i| i + 3);
    let Some(at) = url[start..].rfind('@').map(|i| start + i) else {
        return url.to_owned();
    };
    let masked = match url[start..at].split_once(':') {
        Some((user, _)) => format!("{user}:***"),
        None => "***".to_owned(),
    };
    format!("{}{masked}{}", &url[..start], &url[at..])
}

fn is_secret(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    // `Signature` carries no secret, but it is a credential for this one request.
    name == "signature" || SECRET_WORDS.iter().any(|w| name.contains(w))
}

fn mask(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (name, value) in map.iter_mut() {
                if is_secret(name) && !value.is_object() && !value.is_array() {
                    *value = Value::String("***".to_owned());
                } else {
                    mask(value);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(mask),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_masked_and_the_rest_kept() {
        let sts = br#"{"Response":{"Credentials":{"Token":"t0k","TmpSecretId":"AKIDx","TmpSecretKey":"s3cr3t"},"ExpiredTime":1,"RequestId":"r"}}"#;
        // Key order depends on serde_json's features, so compare as values.
        let masked: Value = serde_json::from_str(&body(sts).to_string()).unwrap();
        assert_eq!(
            masked,
            serde_json::json!({"Response": {"Credentials": {"Token": "***", "TmpSecretId": "***", "TmpSecretKey": "***"}, "ExpiredTime": 1, "RequestId": "r"}})
        );
        assert_eq!(
            body(b"Action=A&SecretId=AKID&Signature=abc%3D&Limit=1").to_string(),
            "Action=A&SecretId=***&Signature=***&Limit=1"
        );
        assert_eq!(body(b"<html>").to_string(), "<6 bytes, not JSON>");
    }

    #[test]
    fn url_credentials_are_masked() {
        for (given, shown) in [
            (
                "http://user:pa%40ss@proxy:3128",
                "http://user:***@proxy:3128",
            ),
            (
                "http://user:p@s/s@proxy:3128/",
                "http://user:***@proxy:3128/",
            ),
            ("https://token@proxy", "https://***@proxy"),
            ("user:secret@proxy:3128", "user:***@proxy:3128"),
            ("http://proxy:3128", "http://proxy:3128"),
            ("", ""),
        ] {
            assert_eq!(url(given), shown, "{given}");
        }
    }
}
