//! Facts of Tencent Cloud API 3.0 that the runtime and the generator both need, written
//! once: the error codes every action can return, and which actions only read.
//!
//! `tencentcloud-runtime` builds its `CommonErrorCode` enum from the codes and
//! `tencentcloud-codegen` reads them to leave these codes to that enum; the generator marks
//! an action safe to retry by [`is_read_only`] and the runtime judges an action called by
//! name by the same rule. No dependencies, so the generator's build scripts stay light.

#![no_std]

/// Calls `$callback! { Variant => "Code", ... }` with every common code, in the order of
/// Tencent's list, each with the name of its `CommonErrorCode` variant.
///
/// ```
/// macro_rules! count {
///     ($($variant:ident => $code:literal,)*) => { [$($code,)*].len() };
/// }
/// assert_eq!(tencentcloud_common_codes::with_common_codes!(count), 38);
/// ```
#[macro_export]
macro_rules! with_common_codes {
    ($callback:ident) => {
        $callback! {
            ActionOffline => "ActionOffline",
            AuthFailureInvalidAuthorization => "AuthFailure.InvalidAuthorization",
            AuthFailureInvalidSecretId => "AuthFailure.InvalidSecretId",
            AuthFailureMfaFailure => "AuthFailure.MFAFailure",
            AuthFailureSecretIdNotFound => "AuthFailure.SecretIdNotFound",
            AuthFailureSignatureExpire => "AuthFailure.SignatureExpire",
            AuthFailureSignatureFailure => "AuthFailure.SignatureFailure",
            AuthFailureTokenFailure => "AuthFailure.TokenFailure",
            AuthFailureUnauthorizedOperation => "AuthFailure.UnauthorizedOperation",
            DryRunOperation => "DryRunOperation",
            FailedOperation => "FailedOperation",
            InternalError => "InternalError",
            InvalidAction => "InvalidAction",
            InvalidParameter => "InvalidParameter",
            InvalidParameterValue => "InvalidParameterValue",
            InvalidRequest => "InvalidRequest",
            IpInBlacklist => "IpInBlacklist",
            IpNotInWhitelist => "IpNotInWhitelist",
            LimitExceeded => "LimitExceeded",
            MissingParameter => "MissingParameter",
            NoSuchProduct => "NoSuchProduct",
            NoSuchVersion => "NoSuchVersion",
            RequestLimitExceeded => "RequestLimitExceeded",
            RequestLimitExceededGlobalRegionUinLimitExceeded => "RequestLimitExceeded.GlobalRegionUinLimitExceeded",
            RequestLimitExceededIpLimitExceeded => "RequestLimitExceeded.IPLimitExceeded",
            RequestLimitExceededUinLimitExceeded => "RequestLimitExceeded.UinLimitExceeded",
            RequestSizeLimitExceeded => "RequestSizeLimitExceeded",
            ResourceInUse => "ResourceInUse",
            ResourceInsufficient => "ResourceInsufficient",
            ResourceNotFound => "ResourceNotFound",
            ResourceUnavailable => "ResourceUnavailable",
            ResponseSizeLimitExceeded => "ResponseSizeLimitExceeded",
            ServiceUnavailable => "ServiceUnavailable",
            UnauthorizedOperation => "UnauthorizedOperation",
            UnknownParameter => "UnknownParameter",
            UnsupportedOperation => "UnsupportedOperation",
            UnsupportedProtocol => "UnsupportedProtocol",
            UnsupportedRegion => "UnsupportedRegion",
        }
    };
}

/// One common code and the name of its `CommonErrorCode` variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CommonCode {
    /// The variant: `AuthFailureMfaFailure`.
    pub variant: &'static str,
    /// The code as the service sends it: `AuthFailure.MFAFailure`.
    pub code: &'static str,
}

macro_rules! table {
    ($($variant:ident => $code:literal,)*) => {
        /// Every common code, in the order of Tencent's list.
        pub const COMMON_CODES: &[CommonCode] = &[
            $(CommonCode { variant: stringify!($variant), code: $code },)*
        ];
    };
}

with_common_codes!(table);

/// The common code `code`, if it is one.
pub fn common(code: &str) -> Option<&'static CommonCode> {
    COMMON_CODES.iter().find(|c| c.code == code)
}

/// The first words of the names of actions that only read, and so are safe to send twice.
pub const READ_ONLY_PREFIXES: &[&str] = &[
    "Describe", "Get", "List", "Query", "Inquire", "Search", "Check", "Verify",
];

/// Whether the action `name` only reads, by its first word: `DescribeInstances` and
/// `ListUsers` do, `Describer` and `CreateInstance` do not.
///
/// ```
/// use tencentcloud_common_codes::is_read_only;
/// assert!(is_read_only("DescribeInstances") && is_read_only("Get"));
/// assert!(!is_read_only("RunInstances") && !is_read_only("Describer"));
/// ```
pub fn is_read_only(name: &str) -> bool {
    READ_ONLY_PREFIXES.iter().any(|prefix| {
        name.strip_prefix(prefix).is_some_and(|rest| {
            rest.is_empty() || rest.starts_with(|c: char| c.is_ascii_uppercase())
        })
    })
}
