//! What generated code declares about a service and its actions, once, in `const`s and
//! `static`s: the leaf of the call path, which every stage reads and none changes.

use http::HeaderValue;
use std::borrow::Cow;

use crate::body::{BodyKind, EncodeError, Encoded, JsonWriter, WriteJson};

/// A service version, as generated code describes it once per module.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Service {
    name: Cow<'static, str>,
    version: Cow<'static, str>,
    default_host: Cow<'static, str>,
}

impl Service {
    /// `name` is the signing service name (`organization`), `version` the API version
    /// (`2021-03-31`), `default_host` the endpoint used when none is configured.
    pub const fn new(
        name: &'static str,
        version: &'static str,
        default_host: &'static str,
    ) -> Self {
        Self {
            name: Cow::Borrowed(name),
            version: Cow::Borrowed(version),
            default_host: Cow::Borrowed(default_host),
        }
    }

    /// A service version named at run time (see [`crate::Client::call_by_name`]): its
    /// host is `<name>.tencentcloudapi.com` unless the `Config` routes it elsewhere.
    pub fn named(name: impl Into<String>, version: impl Into<String>) -> Self {
        let name = name.into();
        let default_host = format!("{name}.{}", crate::endpoint::ROOT_DOMAIN);
        Self {
            name: Cow::Owned(name),
            version: Cow::Owned(version.into()),
            default_host: Cow::Owned(default_host),
        }
    }

    /// The service name used in signing.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The API version sent as `X-TC-Version`.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The default endpoint host.
    pub fn default_host(&self) -> &str {
        &self.default_host
    }

    /// The version and the default host where they are the program's own text (a generated
    /// service's): headers made of them are then copied for each request without counting
    /// references.
    pub(crate) fn static_parts(&self) -> (Option<&'static str>, Option<&'static str>) {
        let of = |text: &Cow<'static, str>| match text {
            Cow::Borrowed(text) => Some(*text),
            Cow::Owned(_) => None,
        };
        (of(&self.version), of(&self.default_host))
    }
}

/// Whether an action takes `X-TC-Region`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RegionRule {
    /// The action fails without a region: the call is refused before sending if none is set.
    Required,
    /// The region is sent when one is configured (the default: the spec does not say).
    Optional,
    /// The action is global: no region is sent even if one is configured.
    None,
}

/// An action as a call's work holds it for the call's whole life: a generated action's
/// `static`, or one made at run time for a call by name, boxed. A `Cow` would hold a whole
/// [`Action`] inline, in every call's future (136 bytes, copied as each call starts), for
/// the few calls by name that need one.
pub(crate) enum Held {
    Static(&'static Action),
    Made(Box<Action>),
}

impl std::ops::Deref for Held {
    type Target = Action;

    fn deref(&self) -> &Action {
        match self {
            Held::Static(action) => action,
            Held::Made(action) => action,
        }
    }
}

/// One action, as generated code describes it in a `const`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Action {
    name: Cow<'static, str>,
    /// `X-TC-Action`, made with a generated action (in its `static`, at compile time, so a
    /// call copies it and checks nothing); `None` for a name that is not visible ASCII (a
    /// call refuses it) or one given at run time (checked by the call).
    header: Option<HeaderValue>,
    idempotent: bool,
    region: RegionRule,
    signed: bool,
    rate_limit: Option<u32>,
    regions: &'static [&'static str],
    body: BodyKind,
}

impl Action {
    /// A signed, non-idempotent action whose region is optional.
    pub const fn new(name: &'static str) -> Self {
        Self {
            name: Cow::Borrowed(name),
            header: visible_header(name),
            idempotent: false,
            region: RegionRule::Optional,
            signed: true,
            rate_limit: None,
            regions: &[],
            body: BodyKind::Json,
        }
    }

    /// An action named at run time (see [`crate::Client::call_by_name`]).
    pub fn named(name: impl Into<String>) -> Self {
        let mut action = Self::new("");
        action.name = Cow::Owned(name.into());
        action
    }

    /// Marks the action safe to send twice (read-only), so a failure after sending may be
    /// retried.
    #[must_use]
    pub const fn idempotent(mut self) -> Self {
        self.idempotent = true;
        self
    }

    /// Sets how the action takes a region.
    #[must_use]
    pub const fn region(mut self, rule: RegionRule) -> Self {
        self.region = rule;
        self
    }

    /// Sends the action unsigned (`Authorization: SKIP`), as the catalog's `skip_sign`
    /// actions need; no credential is looked up.
    #[must_use]
    pub const fn unsigned(mut self) -> Self {
        self.signed = false;
        self
    }

    /// The documented limit, in requests per second, that the client keeps to by default
    /// (see [`crate::RateLimits`]).
    #[must_use]
    pub const fn rate_limit(mut self, per_second: u32) -> Self {
        self.rate_limit = Some(per_second);
        self
    }

    /// The regions the action is documented to serve; a call with another region is
    /// refused before sending. Empty (the default) means any.
    #[must_use]
    pub const fn regions(mut self, regions: &'static [&'static str]) -> Self {
        self.regions = regions;
        self
    }

    /// How the request is sent: JSON (the default) or `multipart/form-data` for actions
    /// that upload a file (see [`crate::body`]).
    #[must_use]
    pub const fn body(mut self, kind: BodyKind) -> Self {
        self.body = kind;
        self
    }

    /// How the request is sent.
    pub const fn body_kind(&self) -> BodyKind {
        self.body
    }

    /// The documented rate limit, if any.
    pub const fn documented_rate_limit(&self) -> Option<u32> {
        self.rate_limit
    }

    /// The documented regions; empty means any.
    pub const fn supported_regions(&self) -> &'static [&'static str] {
        self.regions
    }

    /// The action name sent as `X-TC-Action`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// `X-TC-Action`, when it was made with the action (see [`Action::new`]).
    pub(crate) fn header(&self) -> Option<&HeaderValue> {
        self.header.as_ref()
    }

    /// Whether the action is safe to send twice.
    pub const fn is_idempotent(&self) -> bool {
        self.idempotent
    }

    /// How the action takes a region.
    pub const fn region_rule(&self) -> RegionRule {
        self.region
    }

    /// Whether requests are signed.
    pub const fn is_signed(&self) -> bool {
        self.signed
    }
}

/// Whether `name` can be an action's name: visible ASCII, not empty.
pub(crate) const fn is_visible(name: &str) -> bool {
    let bytes = name.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        if !bytes[at].is_ascii_graphic() {
            return false;
        }
        at += 1;
    }
    !bytes.is_empty()
}

/// `name` as a header value when it [`is_visible`].
pub(crate) const fn visible_header(name: &'static str) -> Option<HeaderValue> {
    if !is_visible(name) {
        return None;
    }
    // Visible ASCII is a valid header value: `from_static` does not panic on it.
    Some(HeaderValue::from_static(name))
}

/// A request body. Generated request types implement it; most need no methods. Its JSON is
/// what [`WriteJson`] writes.
pub trait Request: WriteJson + Send {
    /// The request's optional `ClientToken` field, if the action has one. The runtime fills
    /// an empty one with a fresh UUID before the first attempt, so every attempt carries the
    /// same token and the service can tell a retry from a new request; that makes the call
    /// safe to retry.
    fn client_token(&mut self) -> Option<&mut Option<String>> {
        None
    }

    /// The request as its action's body `kind` sends it. The default writes JSON (through
    /// [`WriteJson`]) and refuses any other kind, so a JSON request compiles no other
    /// encoder; a request whose action uploads a file (multipart or octet-stream) returns
    /// [`crate::body::encode`]`(kind, self)`, through its `Serialize`.
    fn body(&self, kind: BodyKind) -> Result<Encoded, EncodeError> {
        crate::body::written_by(kind, &|out: &mut JsonWriter| self.write_json(out))
    }
}

/// What ties a request type to its action: the action's name, its response type and its
/// error codes. Generated code implements it for each request type that is the input of one
/// action, so what is keyed by it (the typed methods of [`crate::mock::Mock`]) cannot name a
/// wrong action, nor take a wrong response type: either is a compile error.
pub trait Operation: Request + Sized + 'static {
    /// The action's name, as sent in `X-TC-Action`.
    const ACTION: &'static str;
    /// The action's response type.
    type Response: Send + 'static;
    /// The action's error codes.
    type Error: crate::error::ErrorCode;
}

/// A fresh idempotency token (a random UUID).
pub fn new_client_token() -> String {
    uuid::Uuid::new_v4().to_string()
}
