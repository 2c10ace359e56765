//! Providers asked in order until one has a credential.

use super::{
    BoxFuture, CachedProvider, Credential, CredentialError, CvmRoleProvider, EnvProvider,
    ProfileProvider, ProvideCredential,
};
use crate::clock::Clock;
use crate::environment::Environment;

/// Asks its providers in order. A provider that finds nothing ([`CredentialError::NotFound`])
/// or cannot be reached ([`CredentialError::Unavailable`]) passes to the next; one that finds
/// something wrong ([`CredentialError::Invalid`]) stops the chain, so a broken setting is
/// reported instead of silently replaced by another identity.
#[derive(Debug, Default)]
pub struct ChainProvider {
    providers: Vec<Box<dyn ProvideCredential>>,
}

impl ChainProvider {
    /// An empty chain.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `provider` at the end of the chain.
    #[must_use]
    pub fn push(mut self, provider: impl ProvideCredential) -> Self {
        self.providers.push(Box::new(provider));
        self
    }

    async fn load(&self, clock: Clock) -> Result<Credential, CredentialError> {
        let mut tried = Vec::with_capacity(self.providers.len());
        for provider in &self.providers {
            match provider.provide_by(&clock).await {
                Ok(credential) => return Ok(credential),
                Err(error @ CredentialError::Invalid { .. }) => return Err(error),
                Err(error) => tried.push(error),
            }
        }
        Err(CredentialError::Exhausted(tried))
    }
}

impl ProvideCredential for ChainProvider {
    fn provide(&self) -> BoxFuture<'_, Result<Credential, CredentialError>> {
        Box::pin(self.load(Clock::system()))
    }

    fn provide_by(&self, clock: &Clock) -> BoxFuture<'_, Result<Credential, CredentialError>> {
        Box::pin(self.load(clock.clone()))
    }
}

/// The chain used when no credential is configured: environment variables, then the
/// profile file, then the CVM instance role; the credential found is cached until shortly
/// before it expires.
#[derive(Debug)]
pub struct DefaultChain {
    chain: CachedProvider<ChainProvider>,
}

impl Default for DefaultChain {
    fn default() -> Self {
        Self::new()
    }
}

impl DefaultChain {
    /// The chain over the process's environment and the real metadata service.
    pub fn new() -> Self {
        Self::with_environment(&Environment::process())
    }

    /// The chain over `env`, with the real metadata service.
    pub fn with_environment(env: &Environment) -> Self {
        Self::with_sources(env, CvmRoleProvider::new())
    }

    /// The chain over `env` and the given instance-role provider (tests point it at the
    /// local endpoint).
    pub fn with_sources(env: &Environment, cvm: CvmRoleProvider) -> Self {
        Self::chain(env, None, cvm)
    }

    /// The chain with `extra` asked after the profile file and before the instance role,
    /// where `tencentcloud-sdk` puts TKE OIDC (it needs STS, which the runtime cannot call).
    pub fn with_extra_source(
        env: &Environment,
        extra: impl ProvideCredential,
        cvm: CvmRoleProvider,
    ) -> Self {
        Self::chain(env, Some(Box::new(extra)), cvm)
    }

    fn chain(
        env: &Environment,
        extra: Option<Box<dyn ProvideCredential>>,
        cvm: CvmRoleProvider,
    ) -> Self {
        let mut chain = ChainProvider::new()
            .push(EnvProvider::with_environment(env.clone()))
            .push(ProfileProvider::with_environment(env));
        if let Some(extra) = extra {
            chain = chain.push(extra);
        }
        Self {
            chain: CachedProvider::new(chain.push(cvm)),
        }
    }
}

impl ProvideCredential for DefaultChain {
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
