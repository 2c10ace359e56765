//! Where a request goes: the service's own host, a site's domain (China or international),
//! a regional or financial-region host, a template the user gave, and the backup endpoint
//! that the [breaker](crate::breaker) switches to while the region's endpoint keeps failing.

use std::fmt;
use std::str::FromStr;

/// The root domain of every API 3.0 endpoint.
pub const ROOT_DOMAIN: &str = "tencentcloudapi.com";
/// The backup endpoint the official SDKs fall back to: Guangzhou's regional hosts.
pub const DEFAULT_BACKUP_ENDPOINT: &str = "{service}.ap-guangzhou.tencentcloudapi.com";

/// Which of Tencent Cloud's two sites a service's host is taken from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Site {
    /// Tencent Cloud China: `<service>.tencentcloudapi.com`.
    China,
    /// Tencent Cloud International: `<service>.intl.tencentcloudapi.com`.
    International,
}

/// Whether `region` is a financial region (`ap-shanghai-fsi`), which is reached only
/// through its regional host.
pub fn is_financial_region(region: &str) -> bool {
    region.ends_with("-fsi")
}

/// An endpoint that no request can go to: not a host, nor an http(s) URL of one.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct InvalidEndpoint {
    /// The value given, with any user info masked.
    pub value: String,
    /// What is wrong with it.
    pub reason: String,
}

impl fmt::Display for InvalidEndpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid endpoint {:?}: {}", self.value, self.reason)
    }
}

impl std::error::Error for InvalidEndpoint {}

/// Scheme and `Host` of a resolved endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Endpoint {
    pub(crate) https: bool,
    pub(crate) authority: String,
}

impl Endpoint {
    /// Parses a host (`cvm.tencentcloudapi.com`, `127.0.0.1:8080`: https) or a URL
    /// (`http://127.0.0.1:8080`); anything but a scheme, host and port is refused.
    pub(crate) fn parse(value: &str) -> Result<Self, InvalidEndpoint> {
        let bad = |reason: &str| InvalidEndpoint {
            value: mask_user_info(value),
            reason: reason.to_owned(),
        };
        let (https, rest) = match value.split_once("://") {
            Some((scheme, rest)) => match scheme.to_ascii_lowercase().as_str() {
                "https" => (true, rest),
                "http" => (false, rest),
                _ => return Err(bad("the scheme must be http or https")),
            },
            None => (true, value),
        };
        let authority = rest.strip_suffix('/').unwrap_or(rest);
        if authority.is_empty() {
            return Err(bad("no host"));
        }
        if authority.contains(['/', '?', '#']) {
            return Err(bad("API 3.0 endpoints take no path, query or fragment"));
        }
        if authority.contains('@') {
            return Err(bad("credentials do not belong in the endpoint"));
        }
        let parsed = http::uri::Authority::from_str(authority).map_err(|e| bad(&e.to_string()))?;
        if parsed.host().is_empty() {
            return Err(bad("no host"));
        }
        let port = &authority[parsed.host().len()..];
        if let Some(port) = port.strip_prefix(':') {
            if port.is_empty() {
                return Err(bad("empty port"));
            }
            if port.parse::<u16>().is_err() {
                return Err(bad("the port must be a number from 0 to 65535"));
            }
        }
        let endpoint = Self {
            https,
            authority: authority.to_ascii_lowercase(),
        };
        // reqwest, the default transport, reads the URL under the URL standard, which refuses
        // some authorities the URI grammar takes: `x.33` ends in a number, so it must be an
        // IPv4 address, and is not one (found by fuzz/fuzz_targets/endpoint.rs).
        if let Err(e) = reqwest::Url::parse(&endpoint.url()) {
            return Err(bad(&format!("not a host a URL can hold: {e}")));
        }
        Ok(endpoint)
    }

    pub(crate) fn url(&self) -> String {
        let scheme = if self.https { "https" } else { "http" };
        format!("{scheme}://{}/", self.authority)
    }

    /// [`Endpoint::url`] as the URI requests are sent to, made from its parts: its path a
    /// static `/`, and its authority made of `known` when that is the same host and the
    /// program's own text, so the copy each request takes counts no references. `None` for
    /// an authority the URI refuses.
    pub(crate) fn uri(&self, known: Option<&'static str>) -> Option<http::Uri> {
        let mut parts = http::uri::Parts::default();
        parts.scheme = Some(if self.https {
            http::uri::Scheme::HTTPS
        } else {
            http::uri::Scheme::HTTP
        });
        let authority: http::uri::Authority = self.authority.parse().ok()?;
        parts.authority = Some(match known {
            // Parsed above as the same text, so `from_static` (which panics on what it
            // cannot parse) takes it.
            Some(known) if known == self.authority => http::uri::Authority::from_static(known),
            _ => authority,
        });
        parts.path_and_query = Some(http::uri::PathAndQuery::from_static("/"));
        http::Uri::from_parts(parts).ok()
    }
}

/// `value` with anything between `://` and `@` replaced by `***`, so an endpoint that
/// carries a password never shows it in an error.
fn mask_user_info(value: &str) -> String {
    let start = value.find("://").map_or(0, |i| i + 3);
    match value[start..].find('@') {
        Some(at) => format!("{}***{}", &value[..start], &value[start + at..]),
        None => value.to_owned(),
    }
}

/// An endpoint with optional `{service}` and `{region}` placeholders, so one `Config` can
/// serve clients of many services (`{service}.ap-guangzhou.tencentcloudapi.com`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Template {
    text: String,
}

impl Template {
    /// Checks `text` as an endpoint, with the placeholders filled with sample values.
    pub(crate) fn parse(text: &str, region: Option<&str>) -> Result<Self, InvalidEndpoint> {
        if text.contains("{region}") && region.is_none() {
            return Err(InvalidEndpoint {
                value: mask_user_info(text),
                reason: "it uses {region} and no region is set".to_owned(),
            });
        }
        let template = Self {
            text: text.to_owned(),
        };
        let sample = Endpoint::parse(&template.fill("service", region.unwrap_or("region")))?;
        // Without placeholders the endpoint is shown, and used, in its normal form.
        Ok(if text.contains('{') {
            template
        } else {
            Self { text: sample.url() }
        })
    }

    fn fill(&self, service: &str, region: &str) -> String {
        self.text
            .replace("{service}", service)
            .replace("{region}", region)
    }

    /// The endpoint for `service` in `region`.
    pub(crate) fn resolve(
        &self,
        service: &str,
        region: Option<&str>,
    ) -> Result<Endpoint, InvalidEndpoint> {
        Endpoint::parse(&self.fill(service, region.unwrap_or("")))
    }
}

impl fmt::Display for Template {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&mask_user_info(&self.text))
    }
}

/// How a client picks its host, checked by `ConfigBuilder::build`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Routing {
    pub(crate) endpoint: Option<Template>,
    pub(crate) site: Option<Site>,
    pub(crate) regional: bool,
    pub(crate) backup: Option<Template>,
}

impl Routing {
    /// The primary endpoint of `service` (signing name `name`, spec host `default_host`):
    /// the user's template; else the regional host when asked for or when the region is
    /// financial; else the site's host; else the spec's.
    pub(crate) fn primary(
        &self,
        name: &str,
        default_host: &str,
        region: Option<&str>,
    ) -> Result<Endpoint, InvalidEndpoint> {
        if let Some(template) = &self.endpoint {
            return template.resolve(name, region);
        }
        let host = match (region, self.site) {
            (Some(region), _) if self.regional || is_financial_region(region) => {
                format!("{name}.{region}.{ROOT_DOMAIN}")
            }
            (_, Some(Site::China)) => format!("{name}.{ROOT_DOMAIN}"),
            (_, Some(Site::International)) => format!("{name}.intl.{ROOT_DOMAIN}"),
            _ => default_host.to_owned(),
        };
        Endpoint::parse(&host)
    }

    /// The backup endpoint of `service`, if the breaker is on.
    pub(crate) fn backup(
        &self,
        name: &str,
        region: Option<&str>,
    ) -> Option<Result<Endpoint, InvalidEndpoint>> {
        self.backup.as_ref().map(|t| t.resolve(name, region))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_parse_as_host_or_url() {
        let e = Endpoint::parse("organization.tencentcloudapi.com").unwrap();
        assert_eq!(e.url(), "https://organization.tencentcloudapi.com/");
        assert_eq!(
            e.uri(None).map(|uri| uri.to_string()).as_deref(),
            Some("https://organization.tencentcloudapi.com/")
        );
        assert_eq!(
            e.uri(Some("organization.tencentcloudapi.com"))
                .map(|uri| uri.to_string())
                .as_deref(),
            Some("https://organization.tencentcloudapi.com/")
        );
        let e = Endpoint::parse("http://127.0.0.1:8080").unwrap();
        assert_eq!((e.https, e.authority.as_str()), (false, "127.0.0.1:8080"));
        assert_eq!(
            Endpoint::parse("HTTPS://CVM.tencentcloudapi.com/")
                .unwrap()
                .url(),
            "https://cvm.tencentcloudapi.com/"
        );
        assert_eq!(
            Endpoint::parse("[::1]:9000").unwrap().url(),
            "https://[::1]:9000/"
        );
        for (bad, reason) in [
            ("ftp://x", "the scheme must be http or https"),
            ("http://", "no host"),
            ("", "no host"),
            (
                "http://x/v1",
                "API 3.0 endpoints take no path, query or fragment",
            ),
            ("x?a=b", "API 3.0 endpoints take no path, query or fragment"),
            ("http://u:p@x", "credentials do not belong in the endpoint"),
            ("http://x:", "empty port"),
        ] {
            match Endpoint::parse(bad) {
                Err(InvalidEndpoint {
                    value, reason: r, ..
                }) => {
                    assert_eq!(
                        (value.as_str(), r.as_str()),
                        (mask_user_info(bad).as_str(), reason)
                    )
                }
                other => panic!("{bad}: {other:?}"),
            }
        }
        assert!(matches!(
            Endpoint::parse("http://x:notaport"),
            Err(InvalidEndpoint { reason, .. }) if reason == "the port must be a number from 0 to 65535"
        ));
        assert!(Endpoint::parse("a b").is_err());
        for not_a_url_host in ["v0v.0", "x.33:80", "http://a.b.0x", "x:+80"] {
            assert!(Endpoint::parse(not_a_url_host).is_err(), "{not_a_url_host}");
        }
        assert!(Endpoint::parse("10.0.0.1:443").is_ok());
        let shown = Endpoint::parse("https://AKID:supersecret@host")
            .unwrap_err()
            .to_string();
        assert_eq!(
            shown,
            "invalid endpoint \"https://***@host\": credentials do not belong in the endpoint"
        );
    }

    fn routing() -> Routing {
        Routing {
            endpoint: None,
            site: None,
            regional: false,
            backup: None,
        }
    }

    fn host(routing: &Routing, region: Option<&str>) -> String {
        routing
            .primary("cvm", "cvm.intl.tencentcloudapi.com", region)
            .unwrap()
            .authority
    }

    #[test]
    fn hosts_follow_site_region_and_template() {
        let plain = routing();
        assert_eq!(host(&plain, None), "cvm.intl.tencentcloudapi.com");
        assert_eq!(
            host(&plain, Some("ap-guangzhou")),
            "cvm.intl.tencentcloudapi.com"
        );
        assert_eq!(
            host(&plain, Some("ap-shanghai-fsi")),
            "cvm.ap-shanghai-fsi.tencentcloudapi.com"
        );
        let china = Routing {
            site: Some(Site::China),
            ..routing()
        };
        assert_eq!(
            host(&china, Some("ap-guangzhou")),
            "cvm.tencentcloudapi.com"
        );
        let intl = Routing {
            site: Some(Site::International),
            ..routing()
        };
        assert_eq!(host(&intl, None), "cvm.intl.tencentcloudapi.com");
        let regional = Routing {
            regional: true,
            site: Some(Site::China),
            ..routing()
        };
        assert_eq!(
            host(&regional, Some("ap-singapore")),
            "cvm.ap-singapore.tencentcloudapi.com"
        );
        assert_eq!(host(&regional, None), "cvm.tencentcloudapi.com");
        let template = Routing {
            endpoint: Some(
                Template::parse("http://{service}.{region}.example:81", Some("r")).unwrap(),
            ),
            ..routing()
        };
        assert_eq!(
            host(&template, Some("eu-frankfurt")),
            "cvm.eu-frankfurt.example:81"
        );
        assert_eq!(
            Template::parse("{service}.{region}.x", None)
                .unwrap_err()
                .to_string(),
            "invalid endpoint \"{service}.{region}.x\": it uses {region} and no region is set"
        );
        let backup = Routing {
            backup: Some(Template::parse(DEFAULT_BACKUP_ENDPOINT, None).unwrap()),
            ..routing()
        };
        assert_eq!(
            backup.backup("cvm", None).unwrap().unwrap().authority,
            "cvm.ap-guangzhou.tencentcloudapi.com"
        );
    }
}
