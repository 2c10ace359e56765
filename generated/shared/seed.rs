//! The seed page's example request, and its action as the generated module describes it,
//! shared by the examples and benchmarks of this crate that call the runtime directly.

use tencentcloud_runtime::{Action, RegionRule};
use tencentcloud_sdk::organization::v20210331::UpdateOrganizationMemberEmailBindRequest;

/// `UpdateOrganizationMemberEmailBind` as its generated `static` is: global, 20 a second.
#[allow(dead_code)] // The quickstart goes through the generated client and does not use it.
pub static SEED_ACTION: Action = Action::new("UpdateOrganizationMemberEmailBind")
    .region(RegionRule::None)
    .rate_limit(20);

/// `UpdateOrganizationMemberEmailBind` with the documentation page's example values.
pub fn seed_request() -> UpdateOrganizationMemberEmailBindRequest {
    UpdateOrganizationMemberEmailBindRequest::new(
        111_111_111_111,
        12,
        "12***@qq.com",
        "86",
        "18***32",
    )
}
