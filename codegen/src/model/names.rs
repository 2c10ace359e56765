//! Rust names for wire names: case conversion, keyword escaping, and deterministic
//! settling of collisions.

use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

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

/// A snake_case identifier for `wire` (a field or method), escaped if it is a keyword.
/// Returns the identifier text as it is written in source (`r#type`, `self_`).
pub fn snake(wire: &str) -> String {
    let name = wire.to_snake_case();
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
