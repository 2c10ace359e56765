//! Rust names for wire names: case conversion, keyword escaping, and deterministic
//! settling of collisions.
//!
//! Snake and shouty names come from [`words`], which splits a wire name where a reader
//! would: `DescribeIPv6Addresses` is `describe_ipv6_addresses`, `InstanceIDs` is
//! `instance_ids`, `AntiDDoSPackageId` is `anti_ddos_package_id`, `Hunyuan3DTask` is
//! `hunyuan_3d_task` (docs/naming.md).

use std::collections::BTreeSet;

use heck::{ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};

/// How wire names become snake_case and SHOUTY_SNAKE_CASE names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Naming {
    /// Words as a reader splits them ([`words`]): `describe_ipv6_addresses`.
    #[default]
    Words,
    /// The rule of the generator before it (the `heck` crate's): `describe_i_pv6_addresses`.
    /// Only for `diff --old-naming heck`, which lists what the change of rule renamed.
    Heck,
}

/// Rust keywords (strict and reserved, all editions) that need `r#` as identifiers.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let",
    "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return",
    "static", "struct", "trait", "true", "try", "type", "typeof", "unsafe", "unsized", "use",
    "virtual", "where", "while", "yield",
];
/// Keywords that cannot be raw identifiers; they get a trailing underscore instead.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Words written in mixed case that are one word to a reader, kept whole wherever they
/// stand (the other rules cover acronym plurals, versioned acronyms and number-letter units).
const MIXED_CASE_WORDS: &[&str] = &["DDoS"];

/// The letters that make a number-letter unit after digits: `3D`, `4K`, `5G`, `2E` (a
/// two-element check).
const UNIT_LETTERS: &[u8] = b"DKGE";

/// The words of a wire name, in order, as written (not yet lowercased).
///
/// A word starts after a character that is not a letter or digit, at a capital after a
/// small letter, and at the last capital of a run of capitals followed by a small letter
/// (`HTTPServer`: `HTTP`, `Server`). Digits take the case of the letter before them:
/// `Http2Config` is `Http2`, `Config`, and `K8SVersion` is `K8S`, `Version`. Kept whole:
///
/// - an acronym's plural: two or more capitals, `s`, then a capital, a digit or the end
///   (`IDs`, `SGs`, `CAs`);
/// - a versioned acronym: two or more capitals, `v`, digits (`IPv6`);
/// - a number-letter unit: after a small letter or at the start, digits and one of
///   `UNIT_LETTERS` that ends the name or comes before a capital or a plural `s`; a word
///   of its own (`Hunyuan3DTask`: `Hunyuan`, `3D`, `Task`; `ResultFile3Ds`: `3Ds`);
/// - the `MIXED_CASE_WORDS` (`DDoS`).
pub fn words(wire: &str) -> Vec<&str> {
    let b = wire.as_bytes();
    let at = |i: usize| b.get(i).copied();
    let lower = |c: Option<u8>| c.is_some_and(|c| c.is_ascii_lowercase());
    let upper = |c: Option<u8>| c.is_some_and(|c| c.is_ascii_uppercase());
    let digit = |c: Option<u8>| c.is_some_and(|c| c.is_ascii_digit());
    // Ends the word begun at `start`, if any, at `end`.
    fn close<'a>(wire: &'a str, words: &mut Vec<&'a str>, start: &mut Option<usize>, end: usize) {
        if let Some(s) = start.take() {
            if s < end {
                words.push(&wire[s..end]);
            }
        }
    }
    let mut words = Vec::new();
    let mut start: Option<usize> = None;
    // Whether the last letter of the current word is a capital (digits take its case).
    let mut in_capitals = false;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if !c.is_ascii_alphanumeric() {
            close(wire, &mut words, &mut start, i);
            i += 1;
            continue;
        }
        if let Some(word) = MIXED_CASE_WORDS
            .iter()
            .find(|w| wire[i..].starts_with(*w) && !lower(at(i + w.len())))
        {
            close(wire, &mut words, &mut start, i);
            words.push(&wire[i..i + word.len()]);
            i += word.len();
            continue;
        }
        if c.is_ascii_digit() {
            let digits_end = i + b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
            let unit_letter = at(digits_end).filter(|c| UNIT_LETTERS.contains(c));
            let next = at(digits_end + 1);
            let plural = next == Some(b's') && !lower(at(digits_end + 2));
            let unit = !in_capitals
                && unit_letter.is_some()
                && (next.is_none_or(|c| !c.is_ascii_alphanumeric()) || upper(next) || plural);
            if unit {
                // `3D`, `3Ds`: a word of its own.
                let end = digits_end + 1 + usize::from(plural);
                close(wire, &mut words, &mut start, i);
                words.push(&wire[i..end]);
                i = end;
                in_capitals = false;
                continue;
            }
            start.get_or_insert(i);
            i = digits_end;
            continue;
        }
        if c.is_ascii_lowercase() {
            start.get_or_insert(i);
            in_capitals = false;
            i += 1;
            continue;
        }
        // A run of capitals.
        let mut run_end = i + b[i..].iter().take_while(|c| c.is_ascii_uppercase()).count();
        // A mixed-case word inside the run (`CNAMEDDoS`) ends it.
        if let Some(j) =
            (i + 1..run_end).find(|&j| MIXED_CASE_WORDS.iter().any(|w| wire[j..].starts_with(w)))
        {
            run_end = j;
        }
        let run = run_end - i;
        let (after, after2) = (at(run_end), at(run_end + 1));
        // After digits that follow a capital (`K8S`), the run continues that word.
        let continues = in_capitals && i > 0 && digit(at(i - 1)) && start.is_some();
        if !continues {
            close(wire, &mut words, &mut start, i);
        }
        if run >= 2 && after == Some(b's') && !lower(after2) {
            // `IDs`: the acronym and its plural `s`.
            let s = start.take().unwrap_or(i);
            words.push(&wire[s..=run_end]);
            i = run_end + 1;
            in_capitals = false;
            continue;
        }
        if run >= 2 && after == Some(b'v') && digit(after2) {
            // `IPv6`: the acronym, `v` and the version's digits.
            let s = start.take().unwrap_or(i);
            let end = run_end
                + 1
                + b[run_end + 1..]
                    .iter()
                    .take_while(|c| c.is_ascii_digit())
                    .count();
            words.push(&wire[s..end]);
            i = end;
            in_capitals = false;
            continue;
        }
        if lower(after) {
            // The run's last capital starts a word with the small letters after it.
            close(wire, &mut words, &mut start, run_end - 1);
            if run >= 2 && !continues {
                words.push(&wire[i..run_end - 1]);
            }
            start = Some(run_end - 1);
            in_capitals = false;
        } else {
            start.get_or_insert(i);
            in_capitals = true;
        }
        i = run_end;
    }
    close(wire, &mut words, &mut start, b.len());
    words
}

/// `words` lowercased and joined with `_`.
fn snake_case(wire: &str) -> String {
    words(wire)
        .iter()
        .map(|w| w.to_ascii_lowercase())
        .collect::<Vec<_>>()
        .join("_")
}

/// A SHOUTY_SNAKE_CASE name for `wire` (a constant), by the same words as [`snake`].
pub fn shouty(wire: &str, naming: Naming) -> String {
    match naming {
        Naming::Words => snake_case(wire).to_ascii_uppercase(),
        Naming::Heck => wire.to_shouty_snake_case(),
    }
}

/// A snake_case identifier for `wire` (a field or method), escaped if it is a keyword.
/// Returns the identifier text as it is written in source (`r#type`, `self_`).
pub fn snake(wire: &str) -> String {
    snake_with(wire, Naming::Words)
}

/// [`snake`] by the rule `naming`.
pub fn snake_with(wire: &str, naming: Naming) -> String {
    let name = match naming {
        Naming::Words => snake_case(wire),
        Naming::Heck => wire.to_snake_case(),
    };
    // A wire name may start with a digit (`3DModel`); an identifier may not.
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        return format!("n{name}");
    }
    escape(name)
}

/// An UpperCamelCase identifier for `wire` (a type or variant), escaped if needed.
pub fn camel(wire: &str) -> String {
    let name: String = wire
        .split(|c: char| !c.is_ascii_alphanumeric())
        .map(|part| {
            // Keep inner capitals as written (EmailAlreadyUsed), capitalise the first letter.
            let mut chars = part.chars();
            match chars.next() {
                Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
                None => String::new(),
            }
        })
        .collect();
    let name = if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("N{name}")
    } else {
        name
    };
    escape(name)
}

/// A type name from an object name: UpperCamelCase as heck reads it, unless the name is
/// already UpperCamelCase, which is kept as written so the type matches the docs.
pub fn type_name(wire: &str) -> String {
    let converted = if wire.starts_with(|c: char| c.is_ascii_uppercase())
        && wire.chars().all(|c| c.is_ascii_alphanumeric())
    {
        wire.to_owned()
    } else {
        wire.to_upper_camel_case()
    };
    escape(converted)
}

fn escape(name: String) -> String {
    if NOT_RAW.contains(&name.as_str()) {
        format!("{name}_")
    } else if KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else {
        name
    }
}

/// The identifier without `r#`, for deriving other names (`with_type`).
pub fn unraw(name: &str) -> &str {
    name.strip_prefix("r#").unwrap_or(name)
}

/// Hands out names unique within one scope: the first claim of a name gets it, later ones
/// get `_2`, `_3`, ... in the order they are claimed (spec order), so the result never
/// depends on anything but the spec.
#[derive(Debug, Default)]
pub struct Scope {
    taken: BTreeSet<String>,
}

impl Scope {
    /// A scope with `reserved` names already taken.
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Self {
            taken: reserved.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    /// `name`, or the first free `name_N`/`NameN`.
    pub fn claim(&mut self, name: String) -> String {
        if self.taken.insert(unraw(&name).to_owned()) {
            return name;
        }
        let base = unraw(&name).to_owned();
        let snake = base.chars().next().is_some_and(|c| c.is_ascii_lowercase());
        (2..)
            .map(|n| {
                if snake {
                    format!("{base}_{n}")
                } else {
                    format!("{base}{n}")
                }
            })
            .find(|candidate| self.taken.insert(candidate.clone()))
            .unwrap_or(base)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_are_escaped_or_renamed() {
        assert_eq!(snake("Type"), "r#type");
        assert_eq!(snake("Match"), "r#match");
        assert_eq!(snake("Async"), "r#async");
        assert_eq!(snake("Self"), "self_");
        assert_eq!(snake("Super"), "super_");
        assert_eq!(snake("Crate"), "crate_");
        assert_eq!(snake("MemberUin"), "member_uin");
        assert_eq!(snake("AppID"), "app_id");
        // Found by fuzzing: a field name starting with a digit.
        assert_eq!(snake("0ield_name"), "n0ield_name");
        assert_eq!(snake("3DModel"), "n3d_model");
        assert_eq!(
            camel("FailedOperation.EmailAlreadyUsed"),
            "FailedOperationEmailAlreadyUsed"
        );
        assert_eq!(
            camel("RequestLimitExceeded.IPLimitExceeded"),
            "RequestLimitExceededIPLimitExceeded"
        );
        assert_eq!(type_name("Result"), "Result");
        assert_eq!(type_name("Self"), "Self_");
        assert_eq!(type_name("instance_info"), "InstanceInfo");
    }

    #[test]
    fn words_are_split_where_a_reader_splits_them() {
        let cases = [
            ("DescribeIPv6Addresses", "describe_ipv6_addresses"),
            ("AllocateIPv6Addresses", "allocate_ipv6_addresses"),
            ("IPv4CidrBlock", "ipv4_cidr_block"),
            ("AntiDDoSPackageId", "anti_ddos_package_id"),
            ("DDoSProtection", "ddos_protection"),
            (
                "SharedCNAMEDDoSProtections",
                "shared_cname_ddos_protections",
            ),
            ("AssetTagIDs", "asset_tag_ids"),
            ("BindSGs", "bind_sgs"),
            ("CAs", "cas"),
            ("InstanceIDsAndNames", "instance_ids_and_names"),
            ("AigcHunyuan3DTask", "aigc_hunyuan_3d_task"),
            ("DescribeHunyuanTo3DUVJob", "describe_hunyuan_to_3d_uv_job"),
            ("Describe5GAPNs", "describe_5g_apns"),
            ("ResultFile3Ds", "result_file_3ds"),
            ("BankCard2EVerification", "bank_card_2e_verification"),
            ("K8SVersion", "k8s_version"),
            ("A2AConfig", "a2a_config"),
            ("P2PRoute", "p2p_route"),
            ("U2FToken", "u2f_token"),
            ("Ipv6ISP", "ipv6_isp"),
            ("ParseM3U8", "parse_m3u8"),
            ("CAP7B", "cap7b"),
            ("CVSSv2Info", "cvssv2_info"),
            ("Need10GbSlot", "need10_gb_slot"),
            ("Rv5SV1Amplitude", "rv5_sv1_amplitude"),
            ("TimeToFirstTokenP99Ms", "time_to_first_token_p99_ms"),
            ("Last3MaxQPS", "last3_max_qps"),
            ("Hunyuan3D", "hunyuan_3d"),
            ("Is4KEnabled", "is_4k_enabled"),
            ("Http2Config", "http2_config"),
            ("S3Bucket", "s3_bucket"),
            ("H264Profile", "h264_profile"),
            ("HTTPServer", "http_server"),
            ("ASet", "a_set"),
            ("APPID", "appid"),
            ("instanceId", "instance_id"),
            ("Instance_Type", "instance_type"),
            ("IPV6Address", "ipv6_address"),
            ("Ipv6Address", "ipv6_address"),
            ("Area51Test", "area51_test"),
        ];
        for (wire, expected) in cases {
            assert_eq!(snake(wire), expected, "{wire}");
        }
        assert_eq!(
            shouty("DescribeIPv6Addresses", Naming::Words),
            "DESCRIBE_IPV6_ADDRESSES"
        );
        assert_eq!(
            snake_with("DescribeIPv6Addresses", Naming::Heck),
            "describe_i_pv6_addresses"
        );
    }

    #[test]
    fn collisions_settle_in_claim_order() {
        let mut scope = Scope::default();
        assert_eq!(scope.claim(snake("AppId")), "app_id");
        assert_eq!(scope.claim(snake("AppID")), "app_id_2");
        assert_eq!(scope.claim(snake("APPID")), "appid");
        assert_eq!(scope.claim("r#type".into()), "r#type");
        assert_eq!(scope.claim("r#type".into()), "type_2");
        let mut types = Scope::with_reserved(&["Client"]);
        assert_eq!(types.claim("Client".into()), "Client2");
    }
}
