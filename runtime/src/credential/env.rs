//! Credentials from `TENCENTCLOUD_SECRET_ID`, `TENCENTCLOUD_SECRET_KEY` and
//! `TENCENTCLOUD_TOKEN`, as the official SDKs read them.

use super::{BoxFuture, Credential, CredentialError, ProvideCredential};
use crate::environment::Environment;

const SOURCE: &str = "environment";
/// The variable holding the secret id.
pub const SECRET_ID: &str = "TENCENTCLOUD_SECRET_ID";
/// The variable holding the secret key.
pub const SECRET_KEY: &str = "TENCENTCLOUD_SECRET_KEY";
/// The variable holding a temporary token.
pub const TOKEN: &str = "TENCENTCLOUD_TOKEN";

/// Reads the credential from environment variables at each call.
#[derive(Debug, Clone, Default)]
pub struct EnvProvider {
    env: Environment,
}

impl EnvProvider {
    /// Reads the process's environment.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads the given environment instead of the process's.
    pub fn with_environment(env: Environment) -> Self {
        Self { env }
    }

    /// The credential, now, without going through a future.
    pub fn load(&self) -> Result<Credential, CredentialError> {
        match (self.env.get(SECRET_ID), self.env.get(SECRET_KEY)) {
            (None, None) => Err(CredentialError::not_found(
                SOURCE,
                format!("{SECRET_ID} and {SECRET_KEY} are not set"),
            )),
            (Some(_), None) => Err(CredentialError::invalid(
                SOURCE,
                format!("{SECRET_ID} is set but {SECRET_KEY} is not"),
            )),
            (None, Some(_)) => Err(CredentialError::invalid(
                SOURCE,
                format!("{SECRET_KEY} is set but {SECRET_ID} is not"),
            )),
            (Some(id), Some(key)) => {
                let credential = Credential::new(id, key);
                Ok(match self.env.get(TOKEN) {
                    Some(token) => credential.with_token(token),
                    None => credential,
                })
            }
        }
    }
}

impl ProvideCredential for EnvProvider {
    fn provide(&self) -> BoxFuture<'_, Result<Credential, CredentialError>> {
        let result = self.load();
        Box::pin(async move { result })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(vars: &[(&str, &str)]) -> Result<Credential, CredentialError> {
        EnvProvider::with_environment(Environment::from_vars(vars.iter().copied())).load()
    }

    #[test]
    fn reads_id_key_and_token() {
        let c = load(&[(SECRET_ID, "AKIDx"), (SECRET_KEY, "k"), (TOKEN, "t")]).unwrap();
        assert_eq!(
            (c.secret_id(), c.secret_key(), c.token()),
            ("AKIDx", "k", Some("t"))
        );
        let c = load(&[(SECRET_ID, "AKIDx"), (SECRET_KEY, "k"), (TOKEN, "")]).unwrap();
        assert_eq!(c.token(), None);
    }

    #[test]
    fn nothing_set_is_not_found_and_half_set_is_invalid() {
        assert!(matches!(load(&[]), Err(CredentialError::NotFound { .. })));
        assert!(matches!(
            load(&[(SECRET_ID, ""), (SECRET_KEY, "")]),
            Err(CredentialError::NotFound { .. })
        ));
        let err = load(&[(SECRET_ID, "AKIDx")]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid credential in environment: TENCENTCLOUD_SECRET_ID is set but TENCENTCLOUD_SECRET_KEY is not"
        );
        let err = load(&[(SECRET_KEY, "k")]).unwrap_err();
        assert!(matches!(err, CredentialError::Invalid { .. }));
    }
}
