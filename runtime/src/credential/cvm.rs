//! Temporary credentials of the CAM role bound to a CVM instance, from the instance
//! metadata service. Wrap it in [`super::CachedProvider`] (the default chain does) so it is
//! asked again only when the credential is about to expire.

use crate::error::ErrorChain;
use std::sync::Arc;
use std::time::{Duration, UNIX_EPOCH};

use bytes::Bytes;
use serde::Deserialize;

use super::{BoxFuture, Credential, CredentialError, ProvideCredential};
use crate::transport::{ReqwestTransport, Transport, TransportErrorKind};

const SOURCE: &str = "CVM instance role";
/// Where the metadata service lists the instance's role and hands out its credentials.
pub const DEFAULT_METADATA_URL: &str =
    "http://metadata.tencentyun.com/latest/meta-data/cam/security-credentials/";

/// Asks the CVM metadata service for the instance role's temporary credential.
#[derive(Debug, Clone)]
pub struct CvmRoleProvider {
    base_url: String,
    role: Option<String>,
    transport: Arc<dyn Transport>,
    timeout: Duration,
}

impl Default for CvmRoleProvider {
    fn default() -> Self {
        Self::new()
    }
}

impl CvmRoleProvider {
    /// Asks the real metadata service, with a 1 s timeout so that a machine off CVM moves
    /// on quickly.
    pub fn new() -> Self {
        let timeout = Duration::from_secs(1);
        let transport = ReqwestTransport::new(timeout, 1 << 20).map_or_else(
            |_| {
                Arc::new(ReqwestTransport::from_client(
                    reqwest::Client::new(),
                    1 << 20,
                ))
            },
            Arc::new,
        );
        Self {
            base_url: DEFAULT_METADATA_URL.to_owned(),
            role: None,
            transport,
            timeout,
        }
    }

    /// Asks the metadata service at `url` (ending in `security-credentials/`) instead;
    /// tests point it at the local endpoint.
    #[must_use]
    pub fn metadata_url(mut self, url: impl Into<String>) -> Self {
        let mut url = url.into();
        if !url.ends_with('/') {
            url.push('/');
        }
        self.base_url = url;
        self
    }

    /// Uses this role name instead of asking the metadata service for it.
    #[must_use]
    pub fn role(mut self, role: impl Into<String>) -> Self {
        self.role = Some(role.into());
        self
    }

    /// Sends the metadata requests through `transport`.
    #[must_use]
    pub fn transport(mut self, transport: impl Transport) -> Self {
        self.transport = Arc::new(transport);
        self
    }

    /// How long each metadata request may take.
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    async fn get(&self, url: &str) -> Result<Bytes, CredentialError> {
        let request = http::Request::get(url)
            .body(Bytes::new())
            .map_err(|e| CredentialError::invalid(SOURCE, format!("metadata URL {url}: {e}")))?;
        let answer = tokio::time::timeout(self.timeout, self.transport.send(request)).await;
        let response = match answer {
            Err(_) => {
                return Err(CredentialError::unavailable(
                    SOURCE,
                    format!("{url} did not answer within {:?}", self.timeout),
                ))
            }
            Ok(Err(e)) if e.kind() == TransportErrorKind::Connect => {
                return Err(CredentialError::not_found(
                    SOURCE,
                    format!(
                        "{url} unreachable, not on a CVM instance? ({})",
                        ErrorChain(&e)
                    ),
                ))
            }
            Ok(Err(e)) => {
                let e = ErrorChain(&e);
                return Err(CredentialError::unavailable(SOURCE, format!("{url}: {e}")));
            }
            Ok(Ok(response)) => response,
        };
        match response.status().as_u16() {
            200 => Ok(response.into_body()),
            404 => Err(CredentialError::not_found(
                SOURCE,
                format!("{url} answered 404: no role is bound to this instance"),
            )),
            status => Err(CredentialError::unavailable(
                SOURCE,
                format!("{url} answered HTTP {status}"),
            )),
        }
    }

    async fn load(&self) -> Result<Credential, CredentialError> {
        let role = match &self.role {
            Some(role) => role.clone(),
            None => {
                let body = self.get(&self.base_url).await?;
                let text = String::from_utf8_lossy(&body);
                let role = text.lines().next().unwrap_or("").trim().to_owned();
                if role.is_empty() {
                    return Err(CredentialError::not_found(
                        SOURCE,
                        format!("{} named no role", self.base_url),
                    ));
                }
                role
            }
        };
        let url = format!("{}{role}", self.base_url);
        let body = self.get(&url).await?;
        parse(&body, &url)
    }
}

impl ProvideCredential for CvmRoleProvider {
    fn provide(&self) -> BoxFuture<'_, Result<Credential, CredentialError>> {
        Box::pin(self.load())
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RoleCredential {
    tmp_secret_id: String,
    tmp_secret_key: String,
    token: String,
    expired_time: u64,
    #[serde(default)]
    code: Option<String>,
}

fn parse(body: &[u8], url: &str) -> Result<Credential, CredentialError> {
    let answer: RoleCredential = serde_json::from_slice(body).map_err(|e| {
        CredentialError::invalid(
            SOURCE,
            format!("{url}: the response is not the expected JSON: {e}"),
        )
    })?;
    if let Some(code) = answer.code.as_deref().filter(|c| *c != "Success") {
        return Err(CredentialError::invalid(
            SOURCE,
            format!("{url}: Code is {code:?}"),
        ));
    }
    // Plain-http metadata is untrusted input: an absurd expiry is an error, not a panic.
    let expiry = UNIX_EPOCH
        .checked_add(Duration::from_secs(answer.expired_time))
        .ok_or_else(|| {
            CredentialError::invalid(
                SOURCE,
                format!("{url}: ExpiredTime {} is out of range", answer.expired_time),
            )
        })?;
    Ok(Credential::new(answer.tmp_secret_id, answer.tmp_secret_key)
        .with_token(answer.token)
        .with_expiry(expiry))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_metadata_answer() {
        let body = br#"{"TmpSecretId":"AKIDtmp","TmpSecretKey":"k","ExpiredTime":1700000000,"Expiration":"2023-11-14T22:13:20Z","Token":"t","Code":"Success"}"#;
        let c = parse(body, "u").unwrap();
        assert_eq!((c.secret_id(), c.token()), ("AKIDtmp", Some("t")));
        assert_eq!(
            c.expires_at(),
            Some(UNIX_EPOCH + Duration::from_secs(1_700_000_000))
        );
        let e = parse(br#"{"TmpSecretId":"a"}"#, "u").unwrap_err();
        assert!(
            e.to_string().contains("missing field `TmpSecretKey`"),
            "{e}"
        );
        let bad = br#"{"TmpSecretId":"a","TmpSecretKey":"k","ExpiredTime":1,"Token":"t","Code":"Failed"}"#;
        assert!(parse(bad, "u")
            .unwrap_err()
            .to_string()
            .contains("Code is \"Failed\""));
        let huge = br#"{"TmpSecretId":"a","TmpSecretKey":"k","ExpiredTime":18446744073709551615,"Token":"t"}"#;
        assert!(parse(huge, "u")
            .unwrap_err()
            .to_string()
            .contains("out of range"));
    }
}
