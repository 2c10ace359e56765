//! End-to-end tests of the generator and the generated clients. The library holds the
//! generated obstacle course (see `specs/`) and the organization golden file, so both are
//! compiled and linted; the tests are in `tests/`.

/// The obstacle-course spec, generated at build time.
pub mod obstacle_course {
    include!(concat!(env!("OUT_DIR"), "/mod.rs"));
}

pub mod soak;

/// The README's examples, as doctests: each is compiled and run, with the local endpoint or
/// the mock standing in for Tencent Cloud (the features above are the services they call);
/// only `include!` of a build script's output is `ignore`, as it needs that build script.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;

/// The organization golden file, compiled to prove it builds. It is prettyplease's output,
/// byte for byte, so rustfmt must leave it alone.
#[rustfmt::skip]
#[path = "../golden/organization/v20210331.rs"]
pub mod golden_organization;

/// The seed page's example request: five required fields, in the page's order; leaving one
/// out does not compile.
pub fn seed_request(
) -> tencentcloud_sdk::organization::v20210331::UpdateOrganizationMemberEmailBindRequest {
    tencentcloud_sdk::organization::v20210331::UpdateOrganizationMemberEmailBindRequest::new(
        111_111_111_111,
        12,
        "12***@qq.com",
        "86",
        "18***32",
    )
}

/// A local endpoint that accepts `credential`, with a reply scripted for each action, and
/// a configuration pointed at it.
pub async fn local_endpoint<'a>(
    credential: &tencentcloud_runtime::Credential,
    replies: impl IntoIterator<Item = (&'a str, tencentcloud_runtime::local::Reply)>,
) -> (
    tencentcloud_runtime::local::LocalEndpoint,
    tencentcloud_runtime::ConfigBuilder,
) {
    let endpoint = tencentcloud_runtime::local::LocalEndpoint::builder()
        .credential(credential.clone())
        .start()
        .await
        .expect("the local endpoint binds 127.0.0.1");
    for (action, reply) in replies {
        endpoint.reply(action, reply);
    }
    let config = tencentcloud_runtime::Config::builder()
        .credential(credential.clone())
        .endpoint(endpoint.url());
    (endpoint, config)
}
