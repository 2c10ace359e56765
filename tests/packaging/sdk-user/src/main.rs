//! Calls two services of the packaged SDK, organization and cvm, at the local endpoint, and
//! checks what comes back: the typed success, the typed documented error, and what the
//! endpoint received (a verified TC3 signature, the seed's body).

use serde_json::json;
use tencentcloud_runtime::local::{LocalEndpoint, Reply};
use tencentcloud_runtime::{Config, Credential};
use tencentcloud_sdk::cvm::v20170312 as cvm;
use tencentcloud_sdk::organization::v20210331 as organization;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let credential = Credential::new("AKIDpackageduser", "packaged-user-secret");
    let endpoint = LocalEndpoint::builder()
        .credential(credential.clone())
        .start()
        .await?;
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
    endpoint.script(
        "DescribeZones",
        [Reply::success(json!({
            "TotalCount": 1,
            "ZoneSet": [{"Zone": "ap-guangzhou-3", "ZoneName": "Guangzhou Zone 3", "ZoneId": "100003", "ZoneState": "AVAILABLE"}],
            "RequestId": "6ef60bec-0242-43af-bb20-270359fb54a7"
        }))],
    );
    let config = Config::builder()
        .credential(credential)
        .region("ap-guangzhou")
        .endpoint(endpoint.url())
        .build()?;

    let org = organization::Client::new(config.clone());
    let seed = || {
        organization::UpdateOrganizationMemberEmailBindRequest::new(
            111111111111,
            12,
            "12***@qq.com",
            "86",
            "18***32",
        )
    };
    let bound = org.update_organization_member_email_bind(seed()).await?;
    assert_eq!(bound.request_id, "b46d2afe-6893-4529-bc96-2c82d9214957");
    match org.update_organization_member_email_bind(seed()).await {
        Err(e)
            if e.service_code()
                == Some(organization::UpdateOrganizationMemberEmailBindError::FailedOperationEmailAlreadyUsed) => {}
        other => return Err(format!("expected FailedOperation.EmailAlreadyUsed, got {other:?}").into()),
    }
    let sent = endpoint.requests_for("UpdateOrganizationMemberEmailBind");
    let body: serde_json::Value = serde_json::from_slice(&sent[0].body)?;
    assert_eq!(body["MemberUin"], 111111111111_i64);
    assert_eq!(body["Email"], "12***@qq.com");

    let zones = cvm::Client::new(config)
        .describe_zones(cvm::DescribeZonesRequest::new())
        .await?;
    assert_eq!(zones.total_count, 1);
    assert_eq!(zones.zone_set[0].zone, "ap-guangzhou-3");
    assert_eq!(endpoint.requests_for("DescribeZones").len(), 1);

    println!(
        "sdk-user: organization and cvm from the packages: {} calls answered, typed error {}",
        sent.len() + 1,
        "FailedOperation.EmailAlreadyUsed"
    );
    Ok(())
}
