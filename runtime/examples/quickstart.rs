//! Calls UpdateOrganizationMemberEmailBind with the seed page's example values, against the
//! local endpoint by default, or against Tencent Cloud when credentials are in the
//! environment and `--endpoint HOST_OR_URL` is given.
//!
//! ```text
//! cargo quickstart                      # local endpoint, no account needed
//! TENCENTCLOUD_SECRET_ID=.. TENCENTCLOUD_SECRET_KEY=.. \
//!   cargo quickstart -- --endpoint organization.intl.tencentcloudapi.com
//! ```
//!
//! Until the generator lands, the action is described by hand below, exactly as generated
//! code will describe it.

use serde::{Deserialize, Serialize};
use serde_json::json;
use tencentcloud_runtime::local::{LocalEndpoint, Reply};
use tencentcloud_runtime::{
    Action, Client, CommonErrorCode, Config, Credential, Error, ErrorCode, RegionRule, Request,
    Service,
};

const ORGANIZATION: Service = Service::new(
    "organization",
    "2021-03-31",
    "organization.intl.tencentcloudapi.com",
);
static UPDATE_EMAIL_BIND: Action =
    Action::new("UpdateOrganizationMemberEmailBind").region(RegionRule::None);

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct UpdateOrganizationMemberEmailBindRequest {
    member_uin: i64,
    bind_id: i64,
    email: String,
    country_code: String,
    phone: String,
}

impl Request for UpdateOrganizationMemberEmailBindRequest {}

#[derive(Debug, Deserialize)]
struct UpdateOrganizationMemberEmailBindResponse {
    #[serde(rename = "RequestId")]
    request_id: String,
}

/// Declares an error enum with one variant per documented code and a `Common` catch-all,
/// as the generator will emit it.
macro_rules! error_enum {
    ($name:ident { $($variant:ident => $code:literal,)* }) => {
        #[derive(Debug)]
        enum $name {
            $($variant,)*
            Common(CommonErrorCode),
        }

        impl ErrorCode for $name {
            fn from_code(code: &str) -> Self {
                match code {
                    $($code => Self::$variant,)*
                    other => Self::Common(CommonErrorCode::from_code(other)),
                }
            }

            fn code(&self) -> &str {
                match self {
                    $(Self::$variant => $code,)*
                    Self::Common(common) => common.code(),
                }
            }
        }
    };
}

error_enum!(UpdateOrganizationMemberEmailBindError {
    FailedOperationCheckMailAccount => "FailedOperation.CheckMailAccount",
    FailedOperationEmailAlreadyUsed => "FailedOperation.EmailAlreadyUsed",
    FailedOperationEmailBindRecordInvalid => "FailedOperation.EmailBindRecordInvalid",
    InternalError => "InternalError",
    InvalidParameter => "InvalidParameter",
    LimitExceededUpdateEmailBindOverLimit => "LimitExceeded.UpdateEmailBindOverLimit",
    ResourceNotFoundEmailBindRecordNotExist => "ResourceNotFound.EmailBindRecordNotExist",
    ResourceNotFoundOrganizationMemberNotExist => "ResourceNotFound.OrganizationMemberNotExist",
    ResourceNotFoundOrganizationNotExist => "ResourceNotFound.OrganizationNotExist",
    UnsupportedOperation => "UnsupportedOperation",
});

fn seed_request() -> UpdateOrganizationMemberEmailBindRequest {
    UpdateOrganizationMemberEmailBindRequest {
        member_uin: 111_111_111_111,
        bind_id: 12,
        email: "12***@qq.com".into(),
        country_code: "86".into(),
        phone: "18***32".into(),
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let real_endpoint = match args.as_slice() {
        [] => None,
        [flag, value] if flag == "--endpoint" => Some(value.clone()),
        _ => return Err("usage: quickstart [--endpoint HOST_OR_URL]".into()),
    };

    if let Some(endpoint) = real_endpoint {
        if std::env::var_os("TENCENTCLOUD_SECRET_ID").is_none() {
            return Err("--endpoint talks to Tencent Cloud: set TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY".into());
        }
        let config = tencentcloud_runtime::ConfigBuilder::from_environment(
            tencentcloud_runtime::Environment::process(),
        )
        .endpoint(endpoint)
        .build()?;
        let client = Client::new(config, ORGANIZATION);
        return report(&client).await;
    }

    let credential = Credential::new("AKIDquickstartlocal", "quickstart-local-secret");
    let endpoint = LocalEndpoint::builder()
        .credential(credential.clone())
        .start()
        .await?;
    println!("local endpoint listening at {}", endpoint.url());
    endpoint.script(
        UPDATE_EMAIL_BIND.name(),
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
    let client = Client::new(config, ORGANIZATION);
    report(&client).await?;
    report(&client).await?;
    let sent = endpoint.requests_for(UPDATE_EMAIL_BIND.name());
    println!(
        "the endpoint verified {} signed requests; the first body was {}",
        sent.len(),
        String::from_utf8_lossy(&sent[0].body)
    );
    Ok(())
}

/// Makes one call and prints what came back, the typed error included.
async fn report(client: &Client) -> Result<(), Box<dyn std::error::Error>> {
    let result: Result<
        UpdateOrganizationMemberEmailBindResponse,
        Error<UpdateOrganizationMemberEmailBindError>,
    > = client.call(&UPDATE_EMAIL_BIND, seed_request()).await;
    match result {
        Ok(answer) => println!(
            "UpdateOrganizationMemberEmailBind succeeded: RequestId {}",
            answer.request_id
        ),
        Err(Error::Service(e)) => println!(
            "UpdateOrganizationMemberEmailBind failed with code {} ({:?}): {} [RequestId {}]",
            e.code, e.kind, e.message, e.request_id
        ),
        Err(other) => return Err(other.into()),
    }
    Ok(())
}
