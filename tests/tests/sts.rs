//! Temporary credentials from STS through the generated sts client: AssumeRole and TKE OIDC
//! (AssumeRoleWithWebIdentity), each refreshed before expiry, and the default chain with
//! TKE in it; all against the local endpoint.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{json, Value};
use tencentcloud_runtime::credential::CvmRoleProvider;
use tencentcloud_runtime::local::{LocalEndpoint, RecordedRequest, Reply};
use tencentcloud_runtime::ErrorKind;
use tencentcloud_runtime::{Config, Credential, CredentialError, Environment, ProvideCredential};
use tencentcloud_sdk::credential::{AssumeRoleProvider, DefaultChainWithTke, TkeOidcProvider};
use tencentcloud_sdk::organization::v20210331::Client;
use tencentcloud_tests::seed_request;

const SEED: &str = "UpdateOrganizationMemberEmailBind";
const ROLE_ARN: &str = "qcs::cam::uin/100000000001:roleName/ops";

/// An STS response handing out `credential`, expiring `lifetime_secs` from now.
fn sts_answer(credential: &Credential, lifetime_secs: u64) -> Reply {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    Reply::success(json!({
        "Credentials": {
            "TmpSecretId": credential.secret_id(),
            "TmpSecretKey": credential.secret_key(),
            "Token": credential.token(),
        },
        "ExpiredTime": now + lifetime_secs,
        "Expiration": "2026-11-24T00:00:00Z",
    }))
}

fn temporary(n: u32) -> Credential {
    Credential::new(format!("AKIDtmp{n}"), format!("tmp-key-{n}"))
        .with_token(format!("tmp-token-{n}"))
}

/// The secret id a recorded request was signed with.
fn signer(request: &RecordedRequest) -> String {
    let authorization = request.headers["authorization"].to_str().unwrap();
    let scope = authorization.split("Credential=").nth(1).unwrap();
    scope.split('/').next().unwrap().to_owned()
}

fn body(request: &RecordedRequest) -> Value {
    serde_json::from_slice(&request.body).unwrap()
}

/// An organization client that signs with what `provider` finds.
fn seed_client(provider: impl ProvideCredential, endpoint: &LocalEndpoint) -> Client {
    let config = Config::builder()
        .credential_provider(provider)
        .endpoint(endpoint.url())
        .build()
        .unwrap();
    Client::new(config)
}

async fn endpoint_for_temporaries() -> LocalEndpoint {
    let endpoint = LocalEndpoint::builder()
        .credential(Credential::new("AKIDsource", "source-key"))
        .credential(temporary(1))
        .credential(temporary(2))
        .unsigned_action("AssumeRoleWithWebIdentity")
        .start()
        .await
        .unwrap();
    endpoint.reply(SEED, Reply::success(json!({})));
    endpoint
}

#[tokio::test]
async fn assume_role_signs_with_the_source_and_refreshes_before_expiry() {
    let endpoint = endpoint_for_temporaries().await;
    // Two-second credentials are refreshed after half their lifetime.
    endpoint.script(
        "AssumeRole",
        [
            sts_answer(&temporary(1), 2),
            sts_answer(&temporary(2), 3600),
        ],
    );
    let source = Config::builder()
        .credential(Credential::new("AKIDsource", "source-key"))
        .endpoint(endpoint.url())
        .region("ap-guangzhou")
        .build()
        .unwrap();
    let provider = AssumeRoleProvider::builder(source, ROLE_ARN, "nightly")
        .duration(Duration::from_secs(900))
        .external_id("ext-1")
        .build();
    let client = seed_client(provider, &endpoint);
    client
        .update_organization_member_email_bind(seed_request())
        .await
        .unwrap();
    client
        .update_organization_member_email_bind(seed_request())
        .await
        .unwrap();
    let assumed = endpoint.requests_for("AssumeRole");
    assert_eq!(assumed.len(), 1, "the credential is cached while fresh");
    assert_eq!(signer(&assumed[0]), "AKIDsource");
    assert_eq!(assumed[0].headers["x-tc-region"], "ap-guangzhou");
    assert_eq!(
        body(&assumed[0]),
        json!({"RoleArn": ROLE_ARN, "RoleSessionName": "nightly", "DurationSeconds": 900, "ExternalId": "ext-1"})
    );
    let calls = endpoint.requests_for(SEED);
    assert_eq!(signer(&calls[0]), "AKIDtmp1");
    assert_eq!(calls[0].headers["x-tc-token"], "tmp-token-1");

    tokio::time::sleep(Duration::from_millis(1100)).await;
    client
        .update_organization_member_email_bind(seed_request())
        .await
        .unwrap();
    assert_eq!(endpoint.requests_for("AssumeRole").len(), 2);
    let calls = endpoint.requests_for(SEED);
    assert_eq!(signer(&calls[2]), "AKIDtmp2");
    assert_eq!(calls[2].headers["x-tc-token"], "tmp-token-2");
}

#[tokio::test]
async fn a_refused_assume_role_is_a_credential_error_naming_sts() {
    let endpoint = endpoint_for_temporaries().await;
    let source = Config::builder()
        .credential(Credential::new("AKIDsource", "wrong-key"))
        .endpoint(endpoint.url())
        .build()
        .unwrap();
    let provider = AssumeRoleProvider::builder(source, ROLE_ARN, "s").build();
    let error = seed_client(provider, &endpoint)
        .update_organization_member_email_bind(seed_request())
        .await
        .unwrap_err();
    let ErrorKind::Credential(CredentialError::Invalid { source, detail }) = error.kind() else {
        panic!("{error:?}");
    };
    assert_eq!(source, "STS AssumeRole");
    assert!(detail.contains("AuthFailure.SignatureFailure"), "{detail}");
    assert!(endpoint.requests_for(SEED).is_empty());
}

fn tke_env(dir: &std::path::Path) -> Environment {
    Environment::from_vars([
        ("TKE_REGION", "ap-shanghai"),
        ("TKE_PROVIDER_ID", "oidc-provider-1"),
        (
            "TKE_WEB_IDENTITY_TOKEN_FILE",
            dir.join("token").to_str().unwrap(),
        ),
        ("TKE_ROLE_ARN", ROLE_ARN),
    ])
}

#[tokio::test]
async fn tke_oidc_sends_the_current_token_unsigned_and_refreshes() {
    let endpoint = endpoint_for_temporaries().await;
    endpoint.script(
        "AssumeRoleWithWebIdentity",
        [
            sts_answer(&temporary(1), 2),
            sts_answer(&temporary(2), 3600),
        ],
    );
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("token"), "token-1\n").unwrap();
    let provider = TkeOidcProvider::with_environment(tke_env(dir.path())).endpoint(endpoint.url());
    let client = seed_client(provider, &endpoint);
    client
        .update_organization_member_email_bind(seed_request())
        .await
        .unwrap();
    let fetched = endpoint.requests_for("AssumeRoleWithWebIdentity");
    assert_eq!(fetched.len(), 1);
    assert_eq!(fetched[0].headers["authorization"], "SKIP");
    assert_eq!(fetched[0].headers["x-tc-region"], "ap-shanghai");
    let sent = body(&fetched[0]);
    assert_eq!(sent["ProviderId"], "oidc-provider-1");
    assert_eq!(sent["WebIdentityToken"], "token-1");
    assert_eq!(sent["RoleArn"], ROLE_ARN);
    assert_eq!(sent["DurationSeconds"], 7200);
    assert!(sent["RoleSessionName"]
        .as_str()
        .unwrap()
        .starts_with("tencentcloud-rs-"));
    assert_eq!(signer(&endpoint.requests_for(SEED)[0]), "AKIDtmp1");

    // TKE rotates the token file; the refresh sends the new one.
    std::fs::write(dir.path().join("token"), "token-2").unwrap();
    tokio::time::sleep(Duration::from_millis(1100)).await;
    client
        .update_organization_member_email_bind(seed_request())
        .await
        .unwrap();
    let fetched = endpoint.requests_for("AssumeRoleWithWebIdentity");
    assert_eq!(fetched.len(), 2);
    assert_eq!(body(&fetched[1])["WebIdentityToken"], "token-2");
    assert_eq!(signer(&endpoint.requests_for(SEED)[1]), "AKIDtmp2");
}

#[tokio::test]
async fn tke_settings_that_are_absent_or_incomplete_say_so() {
    let none = TkeOidcProvider::with_environment(Environment::from_vars::<&str, &str>([]));
    assert_eq!(
        none.provide().await.unwrap_err().to_string(),
        "no credential in TKE OIDC: TKE_REGION, TKE_PROVIDER_ID, TKE_WEB_IDENTITY_TOKEN_FILE, TKE_ROLE_ARN are not set"
    );
    let partial =
        TkeOidcProvider::with_environment(Environment::from_vars([("TKE_ROLE_ARN", ROLE_ARN)]));
    assert_eq!(
        partial.provide().await.unwrap_err().to_string(),
        "invalid credential in TKE OIDC: TKE_REGION, TKE_PROVIDER_ID, TKE_WEB_IDENTITY_TOKEN_FILE not set (the others are)"
    );
    let dir = tempfile::tempdir().unwrap();
    let missing_file = TkeOidcProvider::with_environment(tke_env(dir.path()));
    let error = missing_file.provide().await.unwrap_err().to_string();
    assert!(
        error.starts_with("invalid credential in TKE OIDC: TKE_WEB_IDENTITY_TOKEN_FILE ")
            && error.contains("token: "),
        "{error}"
    );
}

#[tokio::test]
async fn the_default_chain_finds_tke_before_the_instance_role_and_after_the_environment() {
    let endpoint = endpoint_for_temporaries().await;
    endpoint.reply("AssumeRoleWithWebIdentity", sts_answer(&temporary(1), 3600));
    endpoint.set_instance_role("node-role", temporary(2));
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("token"), "token-1").unwrap();
    let chain = |env: Environment| {
        DefaultChainWithTke::with_sources(
            env.clone(),
            TkeOidcProvider::with_environment(env).endpoint(endpoint.url()),
            CvmRoleProvider::new().metadata_url(endpoint.metadata_url()),
        )
    };
    let pod = chain(tke_env(dir.path())).provide().await.unwrap();
    assert_eq!(
        pod.secret_id(),
        "AKIDtmp1",
        "the pod's role, not the node's"
    );
    let mut vars: Vec<(String, String)> = vec![
        ("TENCENTCLOUD_SECRET_ID".into(), "AKIDenv".into()),
        ("TENCENTCLOUD_SECRET_KEY".into(), "env-key".into()),
    ];
    vars.push(("TKE_ROLE_ARN".into(), ROLE_ARN.into()));
    let from_env = chain(Environment::from_vars(vars)).provide().await.unwrap();
    assert_eq!(from_env.secret_id(), "AKIDenv");
    let node = chain(Environment::from_vars::<&str, &str>([]))
        .provide()
        .await
        .unwrap();
    assert_eq!(node.secret_id(), "AKIDtmp2", "off TKE, the instance role");
    assert_eq!(endpoint.requests_for("AssumeRoleWithWebIdentity").len(), 1);
}
