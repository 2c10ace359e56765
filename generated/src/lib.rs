//! Typed async clients for Tencent Cloud API 3.0, generated at build time from the specs in
//! `api-specs/` by `tencentcloud-codegen`, one module per service version, one cargo feature
//! per service:
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use tencentcloud_sdk::organization::v20210331::{Client, UpdateOrganizationMemberEmailBindRequest};
//!
//! let config = tencentcloud_runtime::Config::from_env()?;
//! let client = Client::new(config);
//! let request = UpdateOrganizationMemberEmailBindRequest::new(111111111111, 12, "12***@qq.com", "86", "18***32");
//! let response = client.update_organization_member_email_bind(request).await?;
//! println!("RequestId {}", response.request_id);
//! # Ok(())
//! # }
//! ```

include!(concat!(env!("OUT_DIR"), "/mod.rs"));

/// Credential providers that call STS: `AssumeRoleProvider`, `TkeOidcProvider`, and the
/// default chain with TKE in it (feature `sts`).
#[cfg(feature = "sts")]
pub use tencentcloud_runtime::sts as credential;
