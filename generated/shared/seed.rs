//! The seed page's example request, shared by the examples and benchmarks of this crate.

use tencentcloud_sdk::organization::v20210331::UpdateOrganizationMemberEmailBindRequest;

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
