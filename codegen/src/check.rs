//! Stage 2, check: everything the model relies on, verified once, with every problem of a
//! file reported together.

use std::path::Path;

use crate::error::Problem;
use crate::spec::{Action, Member, Site, Spec};

/// Primitive element types of `member`.
pub const PRIMITIVES: &[&str] = &[
    "string",
    "int64",
    "uint64",
    "float",
    "bool",
    "date",
    "datetime",
    "datetime_iso",
];
const KINDS: &[&str] = &["string", "int", "float", "bool", "list", "object", "binary"];
/// The action statuses the catalog uses.
const STATUSES: &[&str] = &["online", "deprecated", "offline"];
/// The `type` (and `member`) of a file upload.
pub const BINARY: &str = "binary";
const REGION_RULES: &[&str] = &["required", "optional", "none"];
/// The values of the `stream` extension.
const STREAM_RULES: &[&str] = &["always", "optional", "never"];

/// Every problem in `spec`; empty when it can be modelled.
pub fn check(spec: &Spec) -> Vec<Problem> {
    let mut report = Report {
        file: &spec.path,
        problems: Vec::new(),
    };
    metadata(spec, &mut report);
    for (name, action) in &spec.actions {
        check_action(spec, name, action, &mut report);
    }
    for (name, object) in &spec.objects {
        let at = format!("objects.{name}");
        if !is_type_name(name) {
            report.add(at.clone(), format!("an object name must be letters, digits and underscores starting with a letter, found {name:?}"));
        }
        sites(object.sites.as_deref(), &format!("{at}.sites"), &mut report);
        for (i, member) in object.members.iter().enumerate() {
            check_member(
                spec,
                name,
                &format!("{at}.members[{i}]"),
                i,
                member,
                &mut report,
            );
        }
    }
    report.problems
}

/// The problems of one spec, each with its JSON path.
struct Report<'a> {
    file: &'a Path,
    problems: Vec<Problem>,
}

impl Report<'_> {
    fn add(&mut self, json_path: String, message: String) {
        self.problems.push(Problem {
            file: self.file.to_owned(),
            line: None,
            column: None,
            json_path,
            message,
        });
    }
}

/// The service's name, version and host.
fn metadata(spec: &Spec, report: &mut Report) {
    let service = &spec.metadata.service_short_name;
    let service_ok = !service.is_empty()
        && service.starts_with(|c: char| c.is_ascii_lowercase())
        && service
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    if !service_ok {
        report.add(
            "metadata.serviceShortName".into(),
            format!(
                "expected lower-case letters and digits starting with a letter, found {service:?}"
            ),
        );
    }
    let version = &spec.metadata.api_version;
    let version_ok = version.len() == 10
        && version.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if !version_ok {
        report.add(
            "metadata.apiVersion".into(),
            format!("expected a date such as 2021-03-31, found {version:?}"),
        );
    }
    if let Some(endpoint) = &spec.metadata.endpoint {
        let host_ok = !endpoint.is_empty()
            && endpoint
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
        if !host_ok {
            report.add(
                "metadata.endpoint".into(),
                format!("expected a host name such as {service}.tencentcloudapi.com, found {endpoint:?}"),
            );
        }
    }
    sites(spec.metadata.sites.as_deref(), "metadata.sites", report);
}

/// One action: its objects and every extension it carries.
fn check_action(spec: &Spec, name: &str, action: &Action, report: &mut Report) {
    let at = format!("actions.{name}");
    if !is_identifier(name) {
        report.add(
            at.clone(),
            format!(
                "an action name must be letters and digits starting with a letter, found {name:?}"
            ),
        );
    }
    for (field, object) in [("input", &action.input), ("output", &action.output)] {
        if !spec.objects.contains_key(object) {
            report.add(
                format!("{at}.{field}"),
                format!("no object named {object:?} in `objects`"),
            );
        }
    }
    if let Some(rule) = &action.region {
        if !REGION_RULES.contains(&rule.as_str()) {
            report.add(
                format!("{at}.region"),
                format!("expected one of required, optional, none; found {rule:?}"),
            );
        }
    }
    for (i, region) in action.regions.iter().enumerate() {
        let ok = !region.is_empty()
            && region
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !ok {
            report.add(
                format!("{at}.regions[{i}]"),
                format!("expected a region such as ap-guangzhou, found {region:?}"),
            );
        }
    }
    if let Some(status) = &action.status {
        if !STATUSES.contains(&status.as_str()) {
            report.add(
                format!("{at}.status"),
                format!("expected one of {}, found {status:?}", STATUSES.join(", ")),
            );
        }
    }
    let input = spec.objects.get(&action.input);
    if let Some(rule) = &action.stream {
        if !STREAM_RULES.contains(&rule.as_str()) {
            report.add(
                format!("{at}.stream"),
                format!("expected one of always, optional, never; found {rule:?}"),
            );
        }
        let switch = input.is_some_and(|o| {
            o.members
                .iter()
                .any(|m| m.name == "Stream" && m.kind == "bool")
        });
        if rule == "optional" && !switch {
            report.add(
                format!("{at}.stream"),
                format!("`optional` streams when the request's `Stream` is true, and {} has no bool member `Stream`", action.input),
            );
        }
    }
    if let (Some(octet), Some(input)) = (&action.octet_stream, input) {
        if !is_field_name(&octet.body) {
            report.add(format!("{at}.octetStream.body"), format!("a field name must be letters, digits and underscores with at least one letter, found {:?}", octet.body));
        }
        if input.members.iter().any(|m| m.name == octet.body) {
            report.add(
                format!("{at}.octetStream.body"),
                format!(
                    "{:?} is already a member of {}; the body needs a field of its own",
                    octet.body, action.input
                ),
            );
        }
        for (i, member) in input.members.iter().enumerate() {
            if !matches!(member.kind.as_str(), "string" | "int" | "float" | "bool") {
                report.add(
                    format!("objects.{}.members[{i}].type", action.input),
                    format!("an octet-stream action's members travel in headers, so they must be text, numbers or bools, found {:?}", member.kind),
                );
            }
        }
        for (member, header) in &octet.headers {
            if !input.members.iter().any(|m| &m.name == member) {
                report.add(
                    format!("{at}.octetStream.headers.{member}"),
                    format!("{} has no member {member:?}", action.input),
                );
            }
            let token = !header.is_empty()
                && header
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-');
            if !token {
                report.add(
                    format!("{at}.octetStream.headers.{member}"),
                    format!("expected a header name (letters, digits, dashes), found {header:?}"),
                );
            }
        }
    }
    if let Some(paging) = &action.pagination {
        for (path, message) in check_pagination(spec, action, &at, paging) {
            report.add(path, message);
        }
    }
    if action.rate_limit == Some(0) {
        report.add(
            format!("{at}.rateLimit"),
            "expected requests per second, at least 1, found 0".into(),
        );
    }
    for (i, code) in action.error_codes.iter().enumerate() {
        // A second entry would be a variant no code can reach.
        if let Some(first) = action.error_codes[..i]
            .iter()
            .position(|c| c.code == code.code)
        {
            report.add(
                format!("{at}.errorCodes[{i}].code"),
                format!(
                    "{:?} is listed twice (first at errorCodes[{first}])",
                    code.code
                ),
            );
        }
        if !is_error_code(&code.code) {
            report.add(format!("{at}.errorCodes[{i}].code"), format!("expected an error code (a letter, then letters, digits, `_` and `.`) such as FailedOperation.EmailAlreadyUsed, found {:?}", code.code));
        }
    }
    sites(action.sites.as_deref(), &format!("{at}.sites"), report);
}

/// One member of the object `name`, at `at` (its index `i`).
fn check_member(spec: &Spec, name: &str, at: &str, i: usize, member: &Member, report: &mut Report) {
    let object = &spec.objects[name];
    if !is_field_name(&member.name) {
        report.add(format!("{at}.name"), format!("a field name must be letters, digits and underscores with at least one letter, found {:?}", member.name));
    }
    if let Some(first) = object.members[..i]
        .iter()
        .position(|m| m.name == member.name)
    {
        report.add(
            format!("{at}.name"),
            format!(
                "{:?} is already the name of members[{first}]; a field's wire name must be unique",
                member.name
            ),
        );
    }
    if !KINDS.contains(&member.kind.as_str()) {
        report.add(
            format!("{at}.type"),
            format!(
                "expected one of {}, found {:?}",
                KINDS.join(", "),
                member.kind
            ),
        );
        return;
    }
    let element = member.member.as_str();
    if element.is_empty() {
        report.add(
            format!("{at}.member"),
            format!(
                "`{}` needs an element type in `member`, found none",
                member.kind
            ),
        );
    } else if member.kind == "object"
        && !PRIMITIVES.contains(&element)
        && !spec.objects.contains_key(element)
    {
        report.add(
            format!("{at}.member"),
            format!("no object named {element:?} in `objects`"),
        );
    } else if !PRIMITIVES.contains(&element)
        && element != BINARY
        && !spec.objects.contains_key(element)
    {
        report.add(
            format!("{at}.member"),
            format!(
                "expected a primitive ({}) or an object name, found {element:?}",
                PRIMITIVES.join(", ")
            ),
        );
    } else if member.kind == "object" && PRIMITIVES.contains(&element) {
        report.add(
            format!("{at}.member"),
            format!("type `object` needs an object name, found the primitive {element:?}"),
        );
    } else if let Some(allowed) = elements_of(&member.kind) {
        if !allowed.contains(&element) {
            report.add(
                format!("{at}.member"),
                format!(
                    "type `{}` expects {} as its element, found {element:?}",
                    member.kind,
                    match allowed {
                        [one] => (*one).to_owned(),
                        many => format!("one of {}", many.join(", ")),
                    }
                ),
            );
        }
    } else if member.kind == "list" && element == BINARY {
        report.add(
            format!("{at}.member"),
            "a `list` of `binary` cannot be sent: a request carries each file as one part named after its field".into(),
        );
    }
    if member.kind == BINARY {
        if let Some(problem) = misplaced_binary(spec, name) {
            report.add(format!("{at}.type"), problem);
        }
    }
    sites(member.sites.as_deref(), &format!("{at}.sites"), report);
}

/// A `sites` list: at least one site, none twice.
fn sites(list: Option<&[Site]>, at: &str, report: &mut Report) {
    let Some(list) = list else {
        return;
    };
    if list.is_empty() {
        report.add(
            at.to_owned(),
            "expected the catalogs that list it (\"china\", \"intl\"), found an empty list".into(),
        );
    }
    for (i, site) in list.iter().enumerate() {
        if list[..i].contains(site) {
            report.add(
                format!("{at}[{i}]"),
                format!("{:?} is listed twice", site.as_str()),
            );
        }
    }
}

/// The element types a scalar `type` agrees with: the combinations both catalogs use
/// (`string` holds dates and times too; `int` is signed or unsigned). `None` for `list` and
/// `object`, whose element is checked above.
fn elements_of(kind: &str) -> Option<&'static [&'static str]> {
    match kind {
        "string" => Some(&["string", "date", "datetime", "datetime_iso"]),
        "int" => Some(&["int64", "uint64"]),
        "float" => Some(&["float"]),
        "bool" => Some(&["bool"]),
        BINARY => Some(&[BINARY]),
        _ => None,
    }
}

/// The `pagination` extension names fields that exist, with the types paging needs: the
/// problems, as (JSON path, message).
fn check_pagination(
    spec: &Spec,
    action: &crate::spec::Action,
    at: &str,
    paging: &crate::spec::Pagination,
) -> Vec<(String, String)> {
    let at = format!("{at}.pagination");
    let mut problems = Vec::new();
    let has = |object: &str, name: &str, kinds: &[&str]| {
        spec.objects.get(object).is_some_and(|o| {
            o.members
                .iter()
                .any(|m| m.name == name && kinds.contains(&m.kind.as_str()))
        })
    };
    let need = |problems: &mut Vec<(String, String)>,
                object: &str,
                name: &str,
                kind: &str,
                what: &str,
                key: &str| {
        if !has(object, name, &[kind]) {
            problems.push((
                format!("{at}.{key}"),
                format!("{object} has no {kind} member {name:?} ({what})"),
            ));
        }
    };
    let (input, output) = (action.input.as_str(), action.output.as_str());
    match paging.kind.as_str() {
        "none" => return problems,
        "offset" => {
            need(
                &mut problems,
                input,
                "Offset",
                "int",
                "the offset paging sets",
                "kind",
            );
            need(
                &mut problems,
                input,
                "Limit",
                "int",
                "the page size",
                "kind",
            );
        }
        "page" => {
            need(
                &mut problems,
                input,
                "PageNumber",
                "int",
                "the page number paging sets",
                "kind",
            );
            need(
                &mut problems,
                input,
                "PageSize",
                "int",
                "the page size",
                "kind",
            );
        }
        "cursor" => match (&paging.input, &paging.output) {
            (Some(i), Some(o)) => {
                need(
                    &mut problems,
                    input,
                    i,
                    "string",
                    "the cursor paging sets",
                    "input",
                );
                need(
                    &mut problems,
                    output,
                    o,
                    "string",
                    "the next cursor",
                    "output",
                );
            }
            _ => problems.push((
                format!("{at}.input"),
                "a cursor needs `input` (the request's field) and `output` (the response's)".into(),
            )),
        },
        other => {
            problems.push((
                format!("{at}.kind"),
                format!("expected one of offset, page, cursor, none; found {other:?}"),
            ));
            return problems;
        }
    }
    if let Some(items) = &paging.items {
        need(&mut problems, output, items, "list", "the items", "items");
    }
    if let Some(total) = &paging.total {
        need(
            &mut problems,
            output,
            total,
            "int",
            "the total count",
            "total",
        );
    }
    problems
}

/// Why a `binary` member of `object` cannot be sent, if it cannot: a file travels as a part
/// of a multipart request, so it must be a field of an action's request itself, not of an
/// response or of a structure nested in a request.
fn misplaced_binary(spec: &Spec, object: &str) -> Option<String> {
    if let Some((action, _)) = spec.actions.iter().find(|(_, a)| a.output == object) {
        return Some(format!(
            "a `binary` member (a file upload) can only be sent, and {object:?} is the response of {action}"
        ));
    }
    let nested = spec
        .objects
        .iter()
        .find(|(_, o)| o.members.iter().any(|m| m.member == object));
    if let Some((owner, _)) = nested {
        return Some(format!(
            "a `binary` member (a file upload) must be a field of an action's request itself, and {object:?} is nested in {owner:?}"
        ));
    }
    if !spec.actions.values().any(|a| a.input == object) {
        return Some(format!(
            "a `binary` member (a file upload) must be a field of an action's request, and {object:?} is the input of no action"
        ));
    }
    None
}

/// ASCII letters and digits, starting with a letter.
fn is_identifier(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric())
}

/// An error code: ASCII letters, digits, `_` and `.`, starting with a letter. Tencent's
/// own lists hold `UnsupportedOperation.` and `UnsupportedOperation.NOT_SUPPORT_THIS_ACTION`.
fn is_error_code(code: &str) -> bool {
    code.starts_with(|c: char| c.is_ascii_alphabetic())
        && code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
}

/// ASCII letters, digits and underscores, starting with a letter (`GetWsTokenReq_Label`).
fn is_type_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// ASCII letters, digits and underscores, with at least one letter.
fn is_field_name(name: &str) -> bool {
    name.chars().any(|c| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}
