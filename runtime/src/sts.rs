//! Credential providers that call STS through the runtime's own call path: assuming a CAM
//! role ([`AssumeRoleProvider`]), TKE's OIDC identity ([`TkeOidcProvider`]), and the default
//! chain with TKE added ([`DefaultChainWithTke`]). The SDK re-exports this module as
//! `tencentcloud_sdk::credential` (feature `sts`).
//!
//! The two STS actions they call are declared here by hand, as generated code declares
//! actions (an [`Action`] and a request and response type each), so the providers need no
//! generated client; requests and responses go through signing, retries, rate limits and the
//! decoding policy like every other call.
//!
//! Each caches its temporary credential and fetches a new one shortly before it expires
//! (five minutes, or half the lifetime of a short one), one fetch however many calls wait.
//!
//! ```no_run
//! # fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use tencentcloud_runtime::{Config, Credential};
//! use tencentcloud_runtime::sts::AssumeRoleProvider;
//!
//! // The identity that may assume the role, and where to reach STS.
//! let source = Config::builder()
//!     .credential(Credential::new("AKID...", "secret"))
//!     .region("ap-guangzhou")
//!     .build()?;
//! let role = AssumeRoleProvider::builder(source, "qcs::cam::uin/100000000001:roleName/ops", "nightly-job")
//!     .duration(std::time::Duration::from_secs(3600))
//!     .build();
//! let config = Config::builder().credential_provider(role).build()?;
//! # let _ = config;
//! # Ok(()) }
//! ```

use std::path::PathBuf;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::Serialize;

use crate::body::{JsonWriter, WriteJson};
use crate::call::action::{Action, Request, Service};
use crate::clock::Clock;
use crate::credential::{BoxFuture, CachedProvider, ChainProvider, CvmRoleProvider, DefaultChain};
use crate::{
    Client, CommonErrorCode, Config, Credential, CredentialError, Environment, ErrorCode,
    ProvideCredential,
};

/// STS 2018-08-13 and the two actions the providers call.
const STS: Service = Service::new("sts", "2018-08-13", "sts.tencentcloudapi.com");
static ASSUME_ROLE: Action = Action::new("AssumeRole");
static ASSUME_ROLE_WITH_WEB_IDENTITY: Action = Action::new("AssumeRoleWithWebIdentity").unsigned();

/// `AssumeRole`'s request: the fields the provider sets.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
struct AssumeRoleRequest {
    role_arn: String,
    role_session_name: String,
    duration_seconds: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    policy: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    external_id: Option<String>,
}

impl Request for AssumeRoleRequest {}

impl WriteJson for AssumeRoleRequest {
    fn write_json(&self, out: &mut JsonWriter) {
        out.serde(self);
    }
}

/// `AssumeRoleWithWebIdentity`'s request.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
struct WebIdentityRequest {
    provider_id: String,
    web_identity_token: String,
    role_arn: String,
    role_session_name: String,
    duration_seconds: i64,
}

impl Request for WebIdentityRequest {}

impl WriteJson for WebIdentityRequest {
    fn write_json(&self, out: &mut JsonWriter) {
        out.serde(self);
    }
}

/// What both actions answer with, of what the providers read.
#[derive(Debug, Default)]
struct Temporary {
    credentials: Credentials,
    expired_time: i64,
}

crate::impl_decode!(Temporary {
    credentials: "Credentials",
    expired_time: "ExpiredTime",
});

/// A temporary credential, as STS sends it.
#[derive(Debug, Default)]
struct Credentials {
    tmp_secret_id: String,
    tmp_secret_key: String,
    token: String,
}

crate::impl_decode!(Credentials {
    tmp_secret_id: "TmpSecretId",
    tmp_secret_key: "TmpSecretKey",
    token: "Token",
});

/// The variables TKE sets in a pod whose service account is bound to a CAM role.
pub const TKE_REGION: &str = "TKE_REGION";
/// The OIDC identity provider's id.
pub const TKE_PROVIDER_ID: &str = "TKE_PROVIDER_ID";
/// The file holding the pod's web identity token; TKE rewrites it as the token rotates.
pub const TKE_WEB_IDENTITY_TOKEN_FILE: &str = "TKE_WEB_IDENTITY_TOKEN_FILE";
/// The role to assume.
pub const TKE_ROLE_ARN: &str = "TKE_ROLE_ARN";
/// Where TKE OIDC credentials are fetched, as the official SDKs do.
pub const TKE_STS_ENDPOINT: &str = "sts.tencentcloudapi.com";

/// How long an assumed role lasts unless set: the official SDKs' two hours.
const DEFAULT_DURATION: Duration = Duration::from_secs(7200);

/// The temporary credential in an STS response, valid until its `ExpiredTime`.
fn temporary(source: &str, response: Temporary) -> Result<Credential, CredentialError> {
    let Temporary {
        credentials,
        expired_time,
    } = response;
    let expiry = u64::try_from(expired_time)
        .ok()
        .and_then(|secs| UNIX_EPOCH.checked_add(Duration::from_secs(secs)))
        .ok_or_else(|| CredentialError::Invalid {
            source: source.to_owned(),
            detail: format!("ExpiredTime {expired_time} is out of range"),
        })?;
    Ok(
        Credential::new(credentials.tmp_secret_id, credentials.tmp_secret_key)
            .with_token(credentials.token)
            .with_expiry(expiry),
    )
}

/// A failed STS call as a credential error: a service error or a bad setting stops a chain;
/// an unreachable STS lets it move on.
fn sts_error<E: ErrorCode + std::fmt::Debug>(
    source: &str,
    error: crate::Error<E>,
) -> CredentialError {
    let detail = error.to_string();
    let source = source.to_owned();
    if error.is_retryable() {
        CredentialError::Unavailable { source, detail }
    } else {
        CredentialError::Invalid { source, detail }
    }
}

/// A session name that says who made it and when.
fn session_name() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    format!("tencentcloud-rs-{secs}")
}

/// Assumes a CAM role with STS `AssumeRole`, signed by a source identity.
#[derive(Debug)]
pub struct AssumeRoleProvider {
    cached: CachedProvider<AssumeRole>,
}

#[derive(Debug)]
struct AssumeRole {
    client: Client,
    request: AssumeRoleRequest,
}

impl AssumeRole {
    async fn load(&self) -> Result<Credential, CredentialError> {
        const SOURCE: &str = "STS AssumeRole";
        let response = self
            .client
            .call::<_, Temporary, CommonErrorCode>(&ASSUME_ROLE, self.request.clone())
            .await
            .map_err(|e| sts_error(SOURCE, e))?;
        temporary(SOURCE, response)
    }
}

impl ProvideCredential for AssumeRole {
    fn provide(&self) -> BoxFuture<'_, Result<Credential, CredentialError>> {
        Box::pin(self.load())
    }
}

impl ProvideCredential for AssumeRoleProvider {
    fn provide(&self) -> BoxFuture<'_, Result<Credential, CredentialError>> {
        self.cached.provide()
    }

    fn provide_by(&self, clock: &Clock) -> BoxFuture<'_, Result<Credential, CredentialError>> {
        self.cached.provide_by(clock)
    }

    fn at_hand(&self, clock: &Clock) -> Option<Credential> {
        self.cached.at_hand(clock)
    }
}

impl AssumeRoleProvider {
    /// Assumes `role_arn` as `session_name`, calling STS with `source`: its credential,
    /// region, endpoint, transport, retries and limits.
    pub fn builder(
        source: Config,
        role_arn: impl Into<String>,
        session_name: impl Into<String>,
    ) -> AssumeRoleBuilder {
        AssumeRoleBuilder {
            source,
            request: AssumeRoleRequest {
                role_arn: role_arn.into(),
                role_session_name: session_name.into(),
                duration_seconds: DEFAULT_DURATION.as_secs(),
                policy: None,
                external_id: None,
            },
            refresh_ahead: None,
        }
    }
}

/// Builds an [`AssumeRoleProvider`].
#[derive(Debug)]
pub struct AssumeRoleBuilder {
    source: Config,
    request: AssumeRoleRequest,
    refresh_ahead: Option<Duration>,
}

impl AssumeRoleBuilder {
    /// How long each credential lasts (default two hours; STS allows up to 12).
    #[must_use]
    pub fn duration(mut self, duration: Duration) -> Self {
        self.request.duration_seconds = duration.as_secs();
        self
    }

    /// A policy that narrows the role's permissions for this session (CAM policy JSON).
    #[must_use]
    pub fn policy(mut self, policy: impl Into<String>) -> Self {
        self.request.policy = Some(policy.into());
        self
    }

    /// The external id the role's trust policy asks for.
    #[must_use]
    pub fn external_id(mut self, id: impl Into<String>) -> Self {
        self.request.external_id = Some(id.into());
        self
    }

    /// Fetches a new credential this long before the current one expires (default five
    /// minutes, at most half its lifetime).
    #[must_use]
    pub fn refresh_ahead(mut self, ahead: Duration) -> Self {
        self.refresh_ahead = Some(ahead);
        self
    }

    /// The provider.
    pub fn build(self) -> AssumeRoleProvider {
        let inner = AssumeRole {
            client: Client::new(self.source, STS),
            request: self.request,
        };
        let mut cached = CachedProvider::new(inner);
        if let Some(ahead) = self.refresh_ahead {
            cached = cached.refresh_ahead(ahead);
        }
        AssumeRoleProvider { cached }
    }
}

/// The CAM role of a TKE pod, from its OIDC web identity token: STS
/// `AssumeRoleWithWebIdentity`, unsigned, with `TKE_REGION`, `TKE_PROVIDER_ID`,
/// `TKE_WEB_IDENTITY_TOKEN_FILE` and `TKE_ROLE_ARN` read at each fetch, so a rotated token
/// is picked up.
///
/// Outside TKE (none of the variables set) it finds nothing, and a chain moves on; with
/// some but not all set, it reports which are missing.
#[derive(Debug)]
pub struct TkeOidcProvider {
    cached: CachedProvider<WebIdentity>,
}

#[derive(Debug)]
struct WebIdentity {
    env: Environment,
    endpoint: String,
    duration: Duration,
}

const TKE_SOURCE: &str = "TKE OIDC";

impl WebIdentity {
    fn settings(&self) -> Result<[String; 4], CredentialError> {
        let names = [
            TKE_REGION,
            TKE_PROVIDER_ID,
            TKE_WEB_IDENTITY_TOKEN_FILE,
            TKE_ROLE_ARN,
        ];
        let values = names.map(|name| self.env.get(name));
        let missing: Vec<&str> = names
            .iter()
            .zip(&values)
            .filter(|(_, v)| v.is_none())
            .map(|(n, _)| *n)
            .collect();
        if missing.len() == names.len() {
            return Err(CredentialError::NotFound {
                source: TKE_SOURCE.to_owned(),
                detail: format!("{} are not set", names.join(", ")),
            });
        }
        if !missing.is_empty() {
            return Err(CredentialError::Invalid {
                source: TKE_SOURCE.to_owned(),
                detail: format!("{} not set (the others are)", missing.join(", ")),
            });
        }
        Ok(values.map(Option::unwrap_or_default))
    }

    async fn load(&self) -> Result<Credential, CredentialError> {
        let invalid = |detail: String| CredentialError::Invalid {
            source: TKE_SOURCE.to_owned(),
            detail,
        };
        let [region, provider_id, token_file, role_arn] = self.settings()?;
        let path = PathBuf::from(&token_file);
        // A token is a few kilobytes, read once per refresh: not worth a blocking-pool hop.
        let token = std::fs::read_to_string(&path).map_err(|e| {
            invalid(format!(
                "{TKE_WEB_IDENTITY_TOKEN_FILE} {}: {e}",
                path.display()
            ))
        })?;
        let token = token.trim();
        if token.is_empty() {
            return Err(invalid(format!(
                "{TKE_WEB_IDENTITY_TOKEN_FILE} {} is empty",
                path.display()
            )));
        }
        // The action is unsigned: the client needs no credential of its own.
        let config = Config::builder()
            .credential_provider(ChainProvider::new())
            .region(&region)
            .endpoint(&self.endpoint)
            .build()
            .map_err(|e| invalid(e.to_string()))?;
        let duration = i64::try_from(self.duration.as_secs()).unwrap_or(i64::MAX);
        let request = WebIdentityRequest {
            provider_id,
            web_identity_token: token.to_owned(),
            role_arn,
            role_session_name: session_name(),
            duration_seconds: duration,
        };
        let response = Client::new(config, STS)
            .call::<_, Temporary, CommonErrorCode>(&ASSUME_ROLE_WITH_WEB_IDENTITY, request)
            .await
            .map_err(|e| sts_error(TKE_SOURCE, e))?;
        temporary(TKE_SOURCE, response)
    }
}

impl ProvideCredential for WebIdentity {
    fn provide(&self) -> BoxFuture<'_, Result<Credential, CredentialError>> {
        Box::pin(self.load())
    }
}

impl ProvideCredential for TkeOidcProvider {
    fn provide(&self) -> BoxFuture<'_, Result<Credential, CredentialError>> {
        self.cached.provide()
    }

    fn provide_by(&self, clock: &Clock) -> BoxFuture<'_, Result<Credential, CredentialError>> {
        self.cached.provide_by(clock)
    }

    fn at_hand(&self, clock: &Clock) -> Option<Credential> {
        self.cached.at_hand(clock)
    }
}

impl Default for TkeOidcProvider {
    fn default() -> Self {
        Self::new()
    }
}

impl TkeOidcProvider {
    /// Reads the process's environment.
    pub fn new() -> Self {
        Self::with_environment(Environment::process())
    }

    /// Reads `env` instead.
    pub fn with_environment(env: Environment) -> Self {
        Self::build(env, TKE_STS_ENDPOINT.to_owned(), DEFAULT_DURATION)
    }

    fn build(env: Environment, endpoint: String, duration: Duration) -> Self {
        Self {
            cached: CachedProvider::new(WebIdentity {
                env,
                endpoint,
                duration,
            }),
        }
    }

    /// Calls STS at this endpoint (a host or URL) instead of [`TKE_STS_ENDPOINT`].
    #[must_use]
    pub fn endpoint(self, endpoint: impl Into<String>) -> Self {
        let inner = self.cached.into_inner();
        Self::build(inner.env, endpoint.into(), inner.duration)
    }

    /// How long each credential lasts (default two hours).
    #[must_use]
    pub fn duration(self, duration: Duration) -> Self {
        let inner = self.cached.into_inner();
        Self::build(inner.env, inner.endpoint, duration)
    }
}

/// The default chain with TKE OIDC: environment variables, the profile file, the TKE pod's
/// OIDC role, then the CVM instance role; the first that has a credential wins, and it is
/// cached until shortly before it expires. TKE comes before CVM so that a pod uses its own
/// role rather than its node's.
///
/// `Config::builder()` without a credential uses [`DefaultChain`], which lacks TKE (asking
/// STS from inside every credential lookup would slow programs outside TKE); pass this one
/// to use TKE OIDC: `Config::builder().credential_provider(DefaultChainWithTke::new())`.
#[derive(Debug)]
pub struct DefaultChainWithTke {
    chain: DefaultChain,
}

impl Default for DefaultChainWithTke {
    fn default() -> Self {
        Self::new()
    }
}

impl DefaultChainWithTke {
    /// The chain over the process's environment.
    pub fn new() -> Self {
        Self::with_sources(
            Environment::process(),
            TkeOidcProvider::new(),
            CvmRoleProvider::new(),
        )
    }

    /// The chain over `env`, with the given TKE and CVM providers (tests point them at the
    /// local endpoint).
    pub fn with_sources(env: Environment, tke: TkeOidcProvider, cvm: CvmRoleProvider) -> Self {
        Self {
            chain: DefaultChain::with_extra_source(&env, tke, cvm),
        }
    }
}

impl ProvideCredential for DefaultChainWithTke {
    fn provide(&self) -> BoxFuture<'_, Result<Credential, CredentialError>> {
        self.chain.provide()
    }

    fn provide_by(&self, clock: &Clock) -> BoxFuture<'_, Result<Credential, CredentialError>> {
        self.chain.provide_by(clock)
    }

    fn at_hand(&self, clock: &Clock) -> Option<Credential> {
        self.chain.at_hand(clock)
    }
}
