//! Credentials: what signs a request, and the providers that find it.
//!
//! A [`Credential`] is a secret id, a secret key and, for temporary credentials, a token and
//! an expiry. A [`ProvideCredential`] finds one: a fixed credential, the environment, the
//! profile file, the CVM instance role, or a chain of them ([`DefaultChain`]). Providers whose
//! credentials expire are wrapped in [`CachedProvider`], which refreshes ahead of expiry and
//! lets concurrent calls share one refresh.

mod cache;
mod chain;
mod cvm;
mod env;
pub(crate) mod profile;

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::SystemTime;

use crate::clock::Clock;

pub use cache::CachedProvider;
pub use chain::{ChainProvider, DefaultChain};
pub use cvm::{CvmRoleProvider, DEFAULT_METADATA_URL};
pub use env::EnvProvider;
pub use profile::ProfileProvider;

/// A boxed, sendable future, the return type of the runtime's object-safe traits.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A secret id and key, with a token and expiry for temporary credentials.
///
/// `Debug` shows the secret id and hides the key and token, so a credential can be logged.
#[derive(Clone, PartialEq, Eq)]
pub struct Credential {
    // Shared, so the copy handed to every request costs a few counter increments.
    secret_id: Arc<str>,
    secret_key: Arc<str>,
    token: Option<Arc<str>>,
    expires_at: Option<SystemTime>,
}

impl Credential {
    /// A permanent credential.
    pub fn new(secret_id: impl Into<String>, secret_key: impl Into<String>) -> Self {
        Self {
            secret_id: Arc::from(secret_id.into()),
            secret_key: Arc::from(secret_key.into()),
            token: None,
            expires_at: None,
        }
    }

    /// The same credential with a temporary token (sent as `X-TC-Token`).
    #[must_use]
    pub fn with_token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(Arc::from(token.into()));
        self
    }

    /// The same credential, valid until `expires_at`.
    #[must_use]
    pub fn with_expiry(mut self, expires_at: SystemTime) -> Self {
        self.expires_at = Some(expires_at);
        self
    }

    /// The secret id (`AKID...`), which is not secret.
    pub fn secret_id(&self) -> &str {
        &self.secret_id
    }

    /// The secret key. Never log it.
    pub fn secret_key(&self) -> &str {
        &self.secret_key
    }

    /// Whether `other` has the same secret id and key. `Arc`'s own equality answers at
    /// once for a copy of this credential (the texts shared), and compares the texts
    /// otherwise.
    pub(crate) fn same_secret(&self, other: &Credential) -> bool {
        self.secret_id == other.secret_id && self.secret_key == other.secret_key
    }

    /// The temporary token, if any. Never log it.
    pub fn token(&self) -> Option<&str> {
        self.token.as_deref()
    }

    /// When a temporary credential stops working, if known.
    pub fn expires_at(&self) -> Option<SystemTime> {
        self.expires_at
    }
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credential")
            .field("secret_id", &self.secret_id)
            .field("secret_key", &"<redacted>")
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

/// Finds a credential for the next request.
///
/// Implement it to plug in a source of your own (a vault, a sidecar); wrap a source whose
/// credentials expire in [`CachedProvider`] so it is not asked on every call.
pub trait ProvideCredential: fmt::Debug + Send + Sync + 'static {
    /// The credential to sign the next request with.
    fn provide(&self) -> BoxFuture<'_, Result<Credential, CredentialError>>;

    /// The credential to sign a request with at `clock`'s time: the call path asks this,
    /// with its [`crate::Config`]'s clock, corrected to Tencent Cloud's time once a refusal
    /// has shown the local clock off. Providers that judge expiry ([`CachedProvider`]) judge
    /// it by `clock`, and providers that wrap others pass it on; the default asks
    /// [`ProvideCredential::provide`], which is right for a source that keeps nothing.
    fn provide_by(&self, clock: &Clock) -> BoxFuture<'_, Result<Credential, CredentialError>> {
        let _ = clock;
        self.provide()
    }

    /// The credential [`ProvideCredential::provide_by`] would give at `clock`'s time, if it
    /// is at hand without waiting: a fixed credential, or a cached one not yet due for a
    /// refresh. The call path asks this first, and awaits `provide_by` (with its time
    /// limit) only when it answers `None`, so a call signed with a credential at hand
    /// allocates no future for it. The default answers `None`; a provider that answers
    /// `Some` must answer what `provide_by` would.
    fn at_hand(&self, clock: &Clock) -> Option<Credential> {
        let _ = clock;
        None
    }
}

impl ProvideCredential for Credential {
    fn provide(&self) -> BoxFuture<'_, Result<Credential, CredentialError>> {
        let credential = self.clone();
        Box::pin(async move { Ok(credential) })
    }

    fn at_hand(&self, _: &Clock) -> Option<Credential> {
        Some(self.clone())
    }
}

impl<P: ProvideCredential + ?Sized> ProvideCredential for Box<P> {
    fn provide(&self) -> BoxFuture<'_, Result<Credential, CredentialError>> {
        (**self).provide()
    }

    fn provide_by(&self, clock: &Clock) -> BoxFuture<'_, Result<Credential, CredentialError>> {
        (**self).provide_by(clock)
    }

    fn at_hand(&self, clock: &Clock) -> Option<Credential> {
        (**self).at_hand(clock)
    }
}

impl<P: ProvideCredential + ?Sized> ProvideCredential for Arc<P> {
    fn provide(&self) -> BoxFuture<'_, Result<Credential, CredentialError>> {
        (**self).provide()
    }

    fn provide_by(&self, clock: &Clock) -> BoxFuture<'_, Result<Credential, CredentialError>> {
        (**self).provide_by(clock)
    }

    fn at_hand(&self, clock: &Clock) -> Option<Credential> {
        (**self).at_hand(clock)
    }
}

/// Why no credential could be had.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CredentialError {
    /// The source has nothing to offer (a variable not set, no profile file, not on CVM).
    /// A chain moves on to its next source.
    NotFound {
        /// The source that was asked, such as `environment`.
        source: String,
        /// What was looked for, such as `TENCENTCLOUD_SECRET_ID is not set`.
        detail: String,
    },
    /// The source is there but wrong (a key without an id, a profile file that does not
    /// parse, a metadata response without a token). A chain stops here.
    Invalid {
        /// The source that was asked.
        source: String,
        /// Where and what: the variable, file and line, or field.
        detail: String,
    },
    /// The source could not be reached (the metadata service timed out).
    Unavailable {
        /// The source that was asked.
        source: String,
        /// What went wrong.
        detail: String,
    },
    /// No source of a chain had a credential; each one's response, in order.
    Exhausted(Vec<CredentialError>),
}

impl CredentialError {
    pub(crate) fn not_found(source: &str, detail: impl Into<String>) -> Self {
        Self::NotFound {
            source: source.to_owned(),
            detail: detail.into(),
        }
    }

    pub(crate) fn invalid(source: &str, detail: impl Into<String>) -> Self {
        Self::Invalid {
            source: source.to_owned(),
            detail: detail.into(),
        }
    }

    pub(crate) fn unavailable(source: &str, detail: impl Into<String>) -> Self {
        Self::Unavailable {
            source: source.to_owned(),
            detail: detail.into(),
        }
    }
}

impl fmt::Display for CredentialError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotFound { source, detail } => write!(f, "no credential in {source}: {detail}"),
            Self::Invalid { source, detail } => {
                write!(f, "invalid credential in {source}: {detail}")
            }
            Self::Unavailable { source, detail } => {
                write!(f, "credential source {source} unavailable: {detail}")
            }
            Self::Exhausted(errors) => {
                f.write_str("no credential found; tried")?;
                for (i, error) in errors.iter().enumerate() {
                    let sep = if i == 0 { " " } else { "; " };
                    write!(f, "{sep}{error}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for CredentialError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_secret_is_found_in_a_copy_and_in_equal_texts_and_nowhere_else() {
        let credential = Credential::new("AKIDexample", "secret");
        assert!(credential.same_secret(&credential.clone()));
        // Equal texts, not shared: compared, and the same.
        assert!(credential.same_secret(&Credential::new("AKIDexample", "secret")));
        assert!(!credential.same_secret(&Credential::new("AKIDexample", "other")));
        assert!(!credential.same_secret(&Credential::new("AKIDother", "secret")));
    }
}
