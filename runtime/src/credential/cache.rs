//! Caching for providers whose credentials expire: refresh ahead of expiry, one refresh
//! at a time however many calls are waiting.

use std::sync::{Mutex, RwLock};
use std::time::{Duration, Instant, SystemTime};

use super::{BoxFuture, Credential, CredentialError, ProvideCredential};
use crate::clock::Clock;

/// Keeps the credential of `P` until shortly before it expires.
///
/// A credential without an expiry is kept for good. A refresh starts `refresh_ahead`
/// before expiry (at most half the credential's lifetime, so short-lived ones are not
/// fetched on every call); concurrent callers wait for that one refresh and share its
/// result, success or failure. If a refresh fails while the old credential is still valid,
/// the old one is used and the next call retries.
#[derive(Debug)]
pub struct CachedProvider<P> {
    inner: P,
    refresh_ahead: Duration,
    cached: RwLock<Option<Cached>>,
    refreshing: tokio::sync::Mutex<()>,
    /// The last failed fetch: callers that were already waiting when it ended get its error
    /// instead of asking again, so a broken source is asked once per wave, not once a caller.
    failed: Mutex<Option<(Instant, CredentialError)>>,
}

#[derive(Debug, Clone)]
struct Cached {
    credential: Credential,
    refresh_at: Option<SystemTime>,
}

impl<P: ProvideCredential> CachedProvider<P> {
    /// Caches `inner`, refreshing five minutes before expiry.
    pub fn new(inner: P) -> Self {
        Self {
            inner,
            refresh_ahead: Duration::from_secs(300),
            cached: RwLock::new(None),
            refreshing: tokio::sync::Mutex::new(()),
            failed: Mutex::new(None),
        }
    }

    /// Refreshes this long before expiry instead.
    #[must_use]
    pub fn refresh_ahead(mut self, ahead: Duration) -> Self {
        self.refresh_ahead = ahead;
        self
    }

    /// The wrapped provider.
    pub fn inner(&self) -> &P {
        &self.inner
    }

    /// The wrapped provider, without the cache.
    pub fn into_inner(self) -> P {
        self.inner
    }

    fn fresh(&self, clock: &Clock) -> Option<Credential> {
        let cached = self.cached.read().unwrap_or_else(|e| e.into_inner());
        let entry = cached.as_ref()?;
        match entry.refresh_at {
            Some(at) if clock.now() >= at => None,
            _ => Some(entry.credential.clone()),
        }
    }

    /// The credential, judging expiry by `clock` (the server's time as the client knows it:
    /// a credential's expiry is the server's).
    async fn load(&self, clock: Clock) -> Result<Credential, CredentialError> {
        if let Some(credential) = self.fresh(&clock) {
            return Ok(credential);
        }
        let arrived = Instant::now();
        let _one_at_a_time = self.refreshing.lock().await;
        // Another caller may have refreshed, or failed to, while this one waited.
        if let Some(credential) = self.fresh(&clock) {
            return Ok(credential);
        }
        let failed = self
            .failed
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        if let Some((_, error)) = failed.filter(|(at, _)| *at >= arrived) {
            return self.still_valid(&clock).ok_or(error);
        }
        let fetched_at = clock.now();
        match self.inner.provide_by(&clock).await {
            Ok(credential) => {
                let refresh_at = credential.expires_at().map(|expiry| {
                    let lifetime = expiry.duration_since(fetched_at).unwrap_or_default();
                    expiry - self.refresh_ahead.min(lifetime / 2)
                });
                let entry = Cached {
                    credential: credential.clone(),
                    refresh_at,
                };
                *self.cached.write().unwrap_or_else(|e| e.into_inner()) = Some(entry);
                Ok(credential)
            }
            Err(error) => {
                *self.failed.lock().unwrap_or_else(|e| e.into_inner()) =
                    Some((Instant::now(), error.clone()));
                self.still_valid(&clock).ok_or(error)
            }
        }
    }

    /// The cached credential if it has not expired yet, even if it is due for a refresh.
    fn still_valid(&self, clock: &Clock) -> Option<Credential> {
        let cached = self.cached.read().unwrap_or_else(|e| e.into_inner());
        cached
            .as_ref()
            .filter(|entry| {
                entry
                    .credential
                    .expires_at()
                    .is_none_or(|expiry| clock.now() < expiry)
            })
            .map(|entry| entry.credential.clone())
    }
}

impl<P: ProvideCredential> ProvideCredential for CachedProvider<P> {
    fn provide(&self) -> BoxFuture<'_, Result<Credential, CredentialError>> {
        Box::pin(self.load(Clock::system()))
    }

    fn provide_by(&self, clock: &Clock) -> BoxFuture<'_, Result<Credential, CredentialError>> {
        Box::pin(self.load(clock.clone()))
    }

    fn at_hand(&self, clock: &Clock) -> Option<Credential> {
        self.fresh(clock)
    }
}
