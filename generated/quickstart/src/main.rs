//! The README's main command (`cargo quickstart`). Starts the local endpoint, calls
//! UpdateOrganizationMemberEmailBind with the seed page's example values through the
//! generated client, prints the RequestId, then shows the typed error path with one of the
//! action's documented codes.
//!
//! With `--endpoint HOST_OR_URL` and TENCENTCLOUD_SECRET_ID / TENCENTCLOUD_SECRET_KEY set,
//! it sends the same request to that endpoint (Tencent Cloud) instead.

#[path = "../../shared/seed.rs"]
mod seed;

use seed::seed_request;
use serde_json::json;
use tencentcloud_runtime::local::{LocalEndpoint, Reply};
use tencentcloud_runtime::{Config, ConfigBuilder, Credential, Environment};
use tencentcloud_sdk::organization::v20210331::{Client, UpdateOrganizationMemberEmailBindError};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [] => local().await,
        [flag, endpoint] if flag == "--endpoint" => real(endpoint).await,
        _ => Err("usage: cargo quickstart [-- --endpoint HOST_OR_URL]".into()),
    }
}

/// Against the local endpoint: no account needed.
async fn local() -> Result<(), Box<dyn std::error::Error>> {
    let credential = Credential::new("AKIDquickstartlocal", "quickstart-local-secret");
    let endpoint = LocalEndpoint::builder()
        .credential(credential.clone())
        .start()
        .await?;
    println!("local endpoint listening at {}", endpoint.url());
    endpoint.script(
        "UpdateOrganizationMemberEmailBind",
        [
            Reply::success(json!({"RequestId": "b46d2afe-6893-4529-bc96-2c82d9214957"})),
            Reply::error(
                "FailedOperation.EmailAlreadyUsed",
                "The email has been used.",
            ),
        ],
    );
    let config = Config::builder()
        .credential(credential)
        .endpoint(endpoint.url())
        .build()?;
    let client = Client::new(config);

    let answer = client
        .update_organization_member_email_bind(seed_request())
        .await?;
    println!(
        "UpdateOrganizationMemberEmailBind succeeded: RequestId {}",
        answer.request_id
    );

    match client
        .update_organization_member_email_bind(seed_request())
        .await
    {
        Err(e) => match e.service_code() {
            Some(
                code @ UpdateOrganizationMemberEmailBindError::FailedOperationEmailAlreadyUsed,
            ) => {
                println!("typed error: {code:?} ({e})");
            }
            _ => {
                return Err(format!("expected FailedOperation.EmailAlreadyUsed, got {e:?}").into())
            }
        },
        Ok(answer) => {
            return Err(format!("expected FailedOperation.EmailAlreadyUsed, got {answer:?}").into())
        }
    }
    let sent = endpoint.requests_for("UpdateOrganizationMemberEmailBind");
    println!(
        "the endpoint verified the TC3 signature of {} requests; the body sent was {}",
        sent.len(),
        String::from_utf8_lossy(&sent[0].body)
    );
    Ok(())
}

/// Against a real endpoint, with credentials from the environment.
async fn real(endpoint: &str) -> Result<(), Box<dyn std::error::Error>> {
    if std::env::var_os("TENCENTCLOUD_SECRET_ID").is_none() {
        return Err("--endpoint talks to Tencent Cloud: set TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY".into());
    }
    let config = ConfigBuilder::from_environment(Environment::process())
        .endpoint(endpoint)
        .build()?;
    let client = Client::new(config);
    match client
        .update_organization_member_email_bind(seed_request())
        .await
    {
        Ok(answer) => println!("succeeded: RequestId {}", answer.request_id),
        Err(e) => match e.service_code() {
            Some(code) => println!("service error {code:?}: {e}"),
            None => return Err(e.into()),
        },
    }
    Ok(())
}
