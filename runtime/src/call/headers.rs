//! The API's request headers: their names, written once, and the headers every TC3-signed
//! request to one endpoint starts from, made once per endpoint and copied for each request.

use http::header::{HeaderMap, HeaderName, HeaderValue, AUTHORIZATION, CONTENT_TYPE, HOST};

pub(crate) const X_TC_ACTION: HeaderName = HeaderName::from_static("x-tc-action");
pub(crate) const X_TC_VERSION: HeaderName = HeaderName::from_static("x-tc-version");
pub(crate) const X_TC_REGION: HeaderName = HeaderName::from_static("x-tc-region");
pub(crate) const X_TC_LANGUAGE: HeaderName = HeaderName::from_static("x-tc-language");
pub(crate) const X_TC_REQUESTCLIENT: HeaderName = HeaderName::from_static("x-tc-requestclient");
pub(crate) const X_TC_TIMESTAMP: HeaderName = HeaderName::from_static("x-tc-timestamp");
pub(crate) const X_TC_TOKEN: HeaderName = HeaderName::from_static("x-tc-token");
pub(crate) const X_TC_CONTENT_SHA256: HeaderName = HeaderName::from_static("x-tc-content-sha256");
/// The header that carries each attempt's trace id.
pub const X_TC_TRACEID: HeaderName = HeaderName::from_static("x-tc-traceid");

/// What each request puts in the headers it starts with, in this order.
pub(crate) struct Own {
    pub(crate) content_type: HeaderValue,
    pub(crate) action: HeaderValue,
    pub(crate) timestamp: HeaderValue,
    pub(crate) trace_id: HeaderValue,
    pub(crate) authorization: HeaderValue,
}

/// The headers a TC3-signed request to one endpoint starts with: the endpoint's own
/// (`Host`, `X-TC-Version`, `X-TC-RequestClient`) with their values, and a blank for each
/// of a request's own ([`Own`]). A request copies them and fills the blanks in place: each
/// name is hashed here once, not in every request (nine hashed inserts a request before;
/// see docs/benchmarks.md). Headers only some requests carry (region, language, token) are
/// inserted after.
#[derive(Debug)]
pub(crate) struct Template(HeaderMap);

impl Template {
    /// The headers of requests to an endpoint with these values.
    pub(crate) fn new(
        host: HeaderValue,
        version: HeaderValue,
        request_client: HeaderValue,
    ) -> Self {
        let mut map = HeaderMap::with_capacity(12);
        let blank = HeaderValue::from_static("");
        // The blanks first, in the order of `Own`'s fields, which `filled` relies on.
        for name in [
            CONTENT_TYPE,
            X_TC_ACTION,
            X_TC_TIMESTAMP,
            X_TC_TRACEID,
            AUTHORIZATION,
        ] {
            map.insert(name, blank.clone());
        }
        map.insert(HOST, host);
        map.insert(X_TC_VERSION, version);
        map.insert(X_TC_REQUESTCLIENT, request_client);
        Self(map)
    }

    /// A request's headers: a copy of these, with the blanks filled by `own`.
    pub(crate) fn filled(&self, own: Own) -> HeaderMap {
        let mut map = self.0.clone();
        let Own {
            content_type,
            action,
            timestamp,
            trace_id,
            authorization,
        } = own;
        // Each blank filled as it comes, in `Own`'s order: not gathered into an array first
        // (five values copied once more, as every request is made).
        let mut blanks = map.values_mut();
        let mut fill = |value| {
            if let Some(blank) = blanks.next() {
                *blank = value;
            }
        };
        fill(content_type);
        fill(action);
        fill(timestamp);
        fill(trace_id);
        fill(authorization);
        map
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_copy_has_each_request_header_with_its_own_value() {
        let template = Template::new(
            HeaderValue::from_static("cvm.tencentcloudapi.com"),
            HeaderValue::from_static("2017-03-12"),
            HeaderValue::from_static("SDK_RUST"),
        );
        let mut authorization = HeaderValue::from_static("TC3-HMAC-SHA256 Credential=x");
        authorization.set_sensitive(true);
        let headers = template.filled(Own {
            content_type: HeaderValue::from_static("application/json"),
            action: HeaderValue::from_static("DescribeInstances"),
            timestamp: HeaderValue::from_static("1551113065"),
            trace_id: HeaderValue::from_static("0c8d4b6e-0000-4000-8000-000000000000"),
            authorization,
        });
        let written: Vec<(&str, &str)> = headers
            .iter()
            .map(|(name, value)| (name.as_str(), value.to_str().unwrap()))
            .collect();
        assert_eq!(
            written,
            [
                ("content-type", "application/json"),
                ("x-tc-action", "DescribeInstances"),
                ("x-tc-timestamp", "1551113065"),
                ("x-tc-traceid", "0c8d4b6e-0000-4000-8000-000000000000"),
                ("authorization", "TC3-HMAC-SHA256 Credential=x"),
                ("host", "cvm.tencentcloudapi.com"),
                ("x-tc-version", "2017-03-12"),
                ("x-tc-requestclient", "SDK_RUST"),
            ]
        );
        assert!(headers[AUTHORIZATION].is_sensitive());
        // Each name once, found by name as a transport finds it.
        assert_eq!(headers.len(), 8);
        assert_eq!(headers.get(HOST).unwrap(), "cvm.tencentcloudapi.com");
        assert_eq!(headers.get(X_TC_TRACEID).unwrap().len(), 36);
        // The template itself keeps its blanks for the next request.
        assert_eq!(template.0.get(X_TC_ACTION).unwrap(), "");
    }
}
