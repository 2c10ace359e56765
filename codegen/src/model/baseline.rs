//! The straightforward version of a service, for measuring what the model's lean choices
//! save (docs/benchmarks.md): every struct is both sent (Serialize) and received (Decode)
//! and gets a constructor, and every error enum lists all the common codes itself instead
//! of sharing `CommonErrorCode`. Never used for real output.

use super::{DocumentedCode, Service};
use crate::model::names::{camel, Scope};

/// `service` as a straightforward generator would emit it.
pub fn straightforward(mut service: Service) -> Service {
    for s in &mut service.structs {
        s.sent = true;
        s.received = true;
    }
    for action in &mut service.actions {
        let mut variants = Scope::with_reserved(&["Common"]);
        for e in &action.errors {
            variants.claim(e.variant.clone());
        }
        let documented = std::mem::take(&mut action.common_errors);
        for common in tencentcloud_common_codes::COMMON_CODES {
            let description = documented
                .iter()
                .find(|d| d.code == common.code)
                .map(|d| d.description.clone())
                .unwrap_or_default();
            action.errors.push(DocumentedCode {
                variant: variants.claim(camel(common.code)),
                code: common.code.to_owned(),
                description,
            });
        }
    }
    service
}
