//! The straightforward version of a service, for measuring what the model's lean choices
//! save (docs/benchmarks.md): every struct derives both Serialize and Deserialize and gets
//! a constructor, and every error enum lists all the common codes itself instead of
//! sharing `CommonErrorCode`. Never used for real output.

use super::{ErrorCode, Service};
use crate::model::names::{camel, Scope};

/// The common codes, as a straightforward generator would repeat them in every action.
const COMMON: &[&str] = &[
    "ActionOffline",
    "AuthFailure.InvalidAuthorization",
    "AuthFailure.InvalidSecretId",
    "AuthFailure.MFAFailure",
    "AuthFailure.SecretIdNotFound",
    "AuthFailure.SignatureExpire",
    "AuthFailure.SignatureFailure",
    "AuthFailure.TokenFailure",
    "AuthFailure.UnauthorizedOperation",
    "DryRunOperation",
    "FailedOperation",
    "InternalError",
    "InvalidAction",
    "InvalidParameter",
    "InvalidParameterValue",
    "InvalidRequest",
    "IpInBlacklist",
    "IpNotInWhitelist",
    "LimitExceeded",
    "MissingParameter",
    "NoSuchProduct",
    "NoSuchVersion",
    "RequestLimitExceeded",
    "RequestLimitExceeded.GlobalRegionUinLimitExceeded",
    "RequestLimitExceeded.IPLimitExceeded",
    "RequestLimitExceeded.UinLimitExceeded",
    "RequestSizeLimitExceeded",
    "ResourceInUse",
    "ResourceInsufficient",
    "ResourceNotFound",
    "ResourceUnavailable",
    "ResponseSizeLimitExceeded",
    "ServiceUnavailable",
    "UnauthorizedOperation",
    "UnknownParameter",
    "UnsupportedOperation",
    "UnsupportedProtocol",
    "UnsupportedRegion",
];

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
        let known: Vec<String> = action.errors.iter().map(|e| e.code.clone()).collect();
        for code in COMMON.iter().filter(|c| !known.iter().any(|k| k == *c)) {
            action.errors.push(ErrorCode {
                variant: variants.claim(camel(code)),
                code: (*code).to_owned(),
                description: String::new(),
            });
        }
    }
    service
}
