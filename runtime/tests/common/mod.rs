//! What the end-to-end tests share: the seed action's request and response types, the actions
//! they call, and a client pointed at a local endpoint.

#![allow(dead_code)]

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::Serialize;
use tencentcloud_runtime::local::LocalEndpoint;
use tencentcloud_runtime::{
    Action, Client, Config, ConfigBuilder, Credential, ErrorCode, RegionRule, Request, RetryPolicy,
    Service,
};

pub const SECRET_ID: &str = "AKIDlocaltest0000000000000000000000";
pub const SECRET_KEY: &str = "local-secret-key-never-shown-7f3a9c";

pub const ORGANIZATION: Service = Service::new(
    "organization",
    "2021-03-31",
    "organization.intl.tencentcloudapi.com",
);

/// The seed action: global, not safe to repeat.
pub static UPDATE_EMAIL_BIND: Action =
    Action::new("UpdateOrganizationMemberEmailBind").region(RegionRule::None);
/// A read-only action.
pub static DESCRIBE: Action = Action::new("DescribeOrganization").idempotent();
/// An action that needs a region.
pub static REGIONAL: Action = Action::new("DescribeRegional").region(RegionRule::Required);
/// An action whose region is optional (the default).
pub static OPTIONAL_REGION: Action = Action::new("ListThings");
/// A `skip_sign` action.
pub static UNSIGNED: Action = Action::new("GetPublicInfo").unsigned();
/// A create action made safe to retry by a ClientToken.
pub static CREATE: Action = Action::new("CreateThing");

/// The seed page's example request.
#[derive(Debug, Clone, Serialize)]
pub struct UpdateEmailBind {
    #[serde(rename = "MemberUin")]
    pub member_uin: i64,
    #[serde(rename = "BindId")]
    pub bind_id: i64,
    #[serde(rename = "Email")]
    pub email: String,
    #[serde(rename = "CountryCode")]
    pub country_code: String,
    #[serde(rename = "Phone")]
    pub phone: String,
}

impl Request for UpdateEmailBind {}

pub fn seed_request() -> UpdateEmailBind {
    UpdateEmailBind {
        member_uin: 111_111_111_111,
        bind_id: 12,
        email: "12***@qq.com".into(),
        country_code: "86".into(),
        phone: "18***32".into(),
    }
}

pub const SEED_JSON: &str = r#"{"MemberUin":111111111111,"BindId":12,"Email":"12***@qq.com","CountryCode":"86","Phone":"18***32"}"#;

/// An empty request.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Empty {}

impl Request for Empty {}

/// A request with a ClientToken.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CreateThing {
    #[serde(rename = "Name")]
    pub name: String,
    #[serde(rename = "ClientToken", skip_serializing_if = "Option::is_none")]
    pub client_token: Option<String>,
}

impl Request for CreateThing {
    fn client_token(&mut self) -> Option<&mut Option<String>> {
        Some(&mut self.client_token)
    }
}

/// A request whose body is as large as asked.
#[derive(Debug, Clone, Serialize)]
pub struct Big {
    #[serde(rename = "Data")]
    pub data: String,
}

impl Request for Big {}

/// Each request above written as JSON by its `Serialize`, as a hand-written request of a
/// user's may be.
macro_rules! written_by_serde {
    ($($type:ty),*) => {
        $(
            impl tencentcloud_runtime::body::WriteJson for $type {
                fn write_json(&self, out: &mut tencentcloud_runtime::body::JsonWriter) {
                    out.serde(self);
                }
            }
        )*
    };
}

written_by_serde!(UpdateEmailBind, Empty, CreateThing, Big);

/// A response with only a RequestId, like the seed's.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Answer {
    pub request_id: String,
}

tencentcloud_runtime::impl_decode!(Answer {
    request_id: "RequestId"
});

/// The seed action's documented codes, as generated code would have them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SeedError {
    EmailAlreadyUsed,
    RequestLimitExceeded,
    AuthFailureSignatureFailure,
    AuthFailureSignatureExpire,
    AuthFailureSecretIdNotFound,
    Other(String),
}

impl ErrorCode for SeedError {
    fn from_code(code: &str) -> Self {
        match code {
            "FailedOperation.EmailAlreadyUsed" => Self::EmailAlreadyUsed,
            "RequestLimitExceeded" => Self::RequestLimitExceeded,
            "AuthFailure.SignatureFailure" => Self::AuthFailureSignatureFailure,
            "AuthFailure.SignatureExpire" => Self::AuthFailureSignatureExpire,
            "AuthFailure.SecretIdNotFound" => Self::AuthFailureSecretIdNotFound,
            other => Self::Other(other.to_owned()),
        }
    }

    fn code(&self) -> &str {
        match self {
            Self::EmailAlreadyUsed => "FailedOperation.EmailAlreadyUsed",
            Self::RequestLimitExceeded => "RequestLimitExceeded",
            Self::AuthFailureSignatureFailure => "AuthFailure.SignatureFailure",
            Self::AuthFailureSignatureExpire => "AuthFailure.SignatureExpire",
            Self::AuthFailureSecretIdNotFound => "AuthFailure.SecretIdNotFound",
            Self::Other(code) => code,
        }
    }
}

pub fn credential() -> Credential {
    Credential::new(SECRET_ID, SECRET_KEY)
}

/// A local endpoint that accepts [`credential`].
pub async fn endpoint() -> LocalEndpoint {
    LocalEndpoint::builder()
        .credential(credential())
        .unsigned_action(UNSIGNED.name())
        .start()
        .await
        .expect("local endpoint starts")
}

/// Config for `endpoint` with fast retries, so tests that retry stay quick.
pub fn config(endpoint: &LocalEndpoint) -> ConfigBuilder {
    Config::builder()
        .credential(credential())
        .endpoint(endpoint.url())
        .retry_policy(
            RetryPolicy::standard()
                .with_initial_backoff(Duration::from_millis(5))
                .with_max_backoff(Duration::from_millis(20)),
        )
}

pub fn client(config: ConfigBuilder) -> Client {
    Client::new(config.build().expect("valid config"), ORGANIZATION)
}

/// A log sink the test can read back.
#[derive(Clone, Default)]
pub struct Captured(Arc<Mutex<Vec<u8>>>);

impl Captured {
    pub fn text(&self) -> String {
        String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
    }
}

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Captured {
    type Writer = Self;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

/// Runs `calls` with every TRACE event and span close captured.
pub async fn capture<F: std::future::Future<Output = ()>>(calls: F) -> String {
    capture_at(tracing::Level::TRACE, calls).await
}

/// Runs `calls` with every event and span close up to `level` captured.
pub async fn capture_at<F: std::future::Future<Output = ()>>(
    level: tracing::Level,
    calls: F,
) -> String {
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(captured.clone())
        .with_max_level(level)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_ansi(false)
        .finish();
    let _default = tracing::subscriber::set_default(subscriber);
    calls.await;
    captured.text()
}

/// The next item of a stream (what `futures::StreamExt::next` does).
pub async fn next<S: futures_core::Stream + Unpin>(stream: &mut S) -> Option<S::Item> {
    std::future::poll_fn(|cx| std::pin::Pin::new(&mut *stream).poll_next(cx)).await
}
