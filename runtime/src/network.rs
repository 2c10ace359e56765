//! Proxies and roots of the default transport, for networks that send traffic through a
//! proxy and inspect TLS with their own root: the settings as [`crate::ConfigBuilder`]
//! collects them, checked into what [`crate::transport::ReqwestTransport`] applies.
//!
//! Without a proxy here, reqwest takes one from the environment (`HTTPS_PROXY`,
//! `HTTP_PROXY`, `ALL_PROXY` and `NO_PROXY`, upper or lower case) when the client is built;
//! a proxy here replaces those. The bundled web roots are always trusted; the operating
//! system's and extra PEM roots are added on request. A proxy URL may carry credentials:
//! every Debug and error shows it with them masked ([`redact::url`]).

use std::fmt;
use std::path::PathBuf;

use rustls::RootCertStore;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::CertificateDer;

use crate::config::ConfigError;
use crate::redact;

/// Where extra roots come from.
#[derive(Clone)]
enum PemSource {
    /// Bytes given to `root_certificates_pem`.
    Given(Vec<u8>),
    /// A file given to `root_certificate_file`, read at build.
    File(PathBuf),
}

impl PemSource {
    /// How an error names this source.
    fn origin(&self) -> String {
        match self {
            Self::Given(_) => "PEM given to root_certificates_pem".to_owned(),
            Self::File(path) => format!("file {}", path.display()),
        }
    }
}

impl fmt::Debug for PemSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Given(bytes) => write!(f, "<{} bytes of PEM>", bytes.len()),
            Self::File(path) => fmt::Debug::fmt(path, f),
        }
    }
}

/// The proxy and root settings as given, unchecked.
#[derive(Clone, Default)]
pub(crate) struct NetworkSettings {
    pub(crate) proxy: Option<String>,
    pub(crate) no_proxy: Option<String>,
    pub(crate) os_roots: bool,
    roots: Vec<PemSource>,
}

impl fmt::Debug for NetworkSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NetworkSettings")
            .field("proxy", &self.proxy.as_deref().map(redact::url))
            .field("no_proxy", &self.no_proxy)
            .field("os_roots", &self.os_roots)
            .field("roots", &self.roots)
            .finish()
    }
}

impl NetworkSettings {
    pub(crate) fn add_pem(&mut self, pem: Vec<u8>) {
        self.roots.push(PemSource::Given(pem));
    }

    pub(crate) fn add_pem_file(&mut self, path: PathBuf) {
        self.roots.push(PemSource::File(path));
    }

    /// The names of the settings made, for refusing them beside a transport of one's own.
    pub(crate) fn names_set(&self) -> impl Iterator<Item = &'static str> {
        [
            ("proxy", self.proxy.is_some()),
            ("no_proxy", self.no_proxy.is_some()),
            ("os_roots", self.os_roots),
            ("root_certificates", !self.roots.is_empty()),
        ]
        .into_iter()
        .filter_map(|(name, set)| set.then_some(name))
    }

    /// Checks the proxy, reads and checks every root.
    pub(crate) fn check(&self) -> Result<Network, ConfigError> {
        let proxy = match &self.proxy {
            Some(url) => Some(proxy(url, self.no_proxy.as_deref())?),
            None if self.no_proxy.is_some() => {
                return Err(ConfigError::InvalidSetting {
                    name: "no_proxy",
                    reason: "applies only to the proxy set with proxy(); the environment's \
                             proxy takes NO_PROXY"
                        .to_owned(),
                })
            }
            None => None,
        };
        let mut roots = Vec::new();
        for source in &self.roots {
            let bytes = match source {
                PemSource::Given(bytes) => bytes.clone(),
                PemSource::File(path) => std::fs::read(path).map_err(|e| bad_roots(source, e))?,
            };
            roots.extend(pem_roots(&bytes).map_err(|reason| bad_roots(source, reason))?);
        }
        let extra_roots = roots.len();
        if self.os_roots {
            roots.extend(os_roots()?);
        }
        Ok(Network {
            proxy,
            roots,
            extra_roots,
            os_roots: self.os_roots,
        })
    }
}

fn bad_roots(source: &PemSource, reason: impl fmt::Display) -> ConfigError {
    ConfigError::InvalidRootCertificates {
        origin: source.origin(),
        reason: reason.to_string(),
    }
}

/// The checked proxy: reqwest's, and its URL as Debug may show it.
#[derive(Clone)]
pub(crate) struct Proxy {
    proxy: reqwest::Proxy,
    masked: String,
}

/// `url` as a proxy for every request but those to the hosts of `no_proxy`. Credentials in
/// the URL (`http://user:password@host:port`, percent-encoded) are sent as basic auth.
fn proxy(url: &str, no_proxy: Option<&str>) -> Result<Proxy, ConfigError> {
    let masked = redact::url(url);
    let invalid = |reason: String| ConfigError::InvalidProxy {
        value: masked.clone(),
        reason,
    };
    let parsed = reqwest::Url::parse(url).map_err(|e| invalid(e.to_string()))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
        return Err(invalid(
            "expected an http:// or https:// URL with a host, such as http://proxy.example.com:8080"
                .to_owned(),
        ));
    }
    let mut proxy = reqwest::Proxy::all(parsed).map_err(|e| invalid(e.to_string()))?;
    if let Some(list) = no_proxy {
        // reqwest's `*` matches every name but no IP address: here it means every host.
        let list = if list.split(',').any(|host| host.trim() == "*") {
            format!("{list},0.0.0.0/0,::/0")
        } else {
            list.to_owned()
        };
        proxy = proxy.no_proxy(reqwest::NoProxy::from_string(&list));
    }
    Ok(Proxy { proxy, masked })
}

/// Every certificate of a PEM bundle, each checked as a trust anchor.
fn pem_roots(bytes: &[u8]) -> Result<Vec<CertificateDer<'static>>, String> {
    let mut roots = Vec::new();
    for (n, item) in CertificateDer::pem_slice_iter(bytes).enumerate() {
        let der = item.map_err(|e| format!("certificate {}: not valid PEM: {e}", n + 1))?;
        RootCertStore::empty()
            .add(der.clone())
            .map_err(|e| format!("certificate {}: not a usable root: {e}", n + 1))?;
        roots.push(der);
    }
    if roots.is_empty() {
        return Err(if bytes.first() == Some(&0x30) {
            "no PEM certificate: this looks like DER, convert it to PEM".to_owned()
        } else {
            "no PEM certificate (-----BEGIN CERTIFICATE-----) found".to_owned()
        });
    }
    Ok(roots)
}

/// The operating system's roots (`SSL_CERT_FILE` or `SSL_CERT_DIR` replace them, as for
/// OpenSSL); certificates that are not usable roots are left out, as browsers do.
fn os_roots() -> Result<Vec<CertificateDer<'static>>, ConfigError> {
    let loaded = rustls_native_certs::load_native_certs();
    let roots: Vec<_> = loaded
        .certs
        .into_iter()
        .filter(|der| RootCertStore::empty().add(der.clone()).is_ok())
        .collect();
    if roots.is_empty() {
        let reason = if loaded.errors.is_empty() {
            "no usable certificate found".to_owned()
        } else {
            let errors: Vec<String> = loaded.errors.iter().map(ToString::to_string).collect();
            errors.join("; ")
        };
        return Err(ConfigError::InvalidRootCertificates {
            origin: "the operating system's store".to_owned(),
            reason,
        });
    }
    Ok(roots)
}

/// What the default transport applies: a checked proxy, extra roots.
#[derive(Clone, Default)]
pub(crate) struct Network {
    proxy: Option<Proxy>,
    roots: Vec<CertificateDer<'static>>,
    extra_roots: usize,
    os_roots: bool,
}

impl fmt::Debug for Network {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Network")
            .field("proxy", &self.proxy_url())
            .field("os_roots", &self.os_roots)
            .field("extra_roots", &self.extra_roots)
            .finish()
    }
}

impl Network {
    /// The proxy URL, credentials masked.
    pub(crate) fn proxy_url(&self) -> Option<&str> {
        self.proxy.as_ref().map(|p| p.masked.as_str())
    }

    /// `builder` with the proxy and the roots.
    pub(crate) fn apply(&self, mut builder: reqwest::ClientBuilder) -> reqwest::ClientBuilder {
        if let Some(proxy) = &self.proxy {
            // Replaces the environment's proxies.
            builder = builder.proxy(proxy.proxy.clone());
        }
        for der in &self.roots {
            if let Ok(certificate) = reqwest::Certificate::from_der(der) {
                builder = builder.add_root_certificate(certificate);
            }
        }
        builder
    }
}
