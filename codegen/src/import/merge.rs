//! The merge stage of `import`: one spec from a service version that both of Tencent's
//! catalogs list (the China site's `tccli` and the international `tccli-intl-en`), by rules
//! written down here and in docs/spec-format.md ("One catalog from two sites"), never by
//! the order things happen to be read in.
//!
//! The rules, each the same wherever its kind of value appears:
//!
//! - **Union.** Every action, object and member of either catalog is kept. Where only one
//!   catalog lists an action, object or member, it carries `"sites": ["<site>"]`; where both
//!   do, no `sites` key (it is its parent's: the spec's `metadata.sites`).
//! - **Order.** The international catalog's order; an entry only the China catalog has
//!   follows the entry it follows there (or leads, where it leads there).
//! - **Texts** (`document`, `name`, `serviceNameCN`, and `examples`): the international
//!   catalog's where it has one (English), the China catalog's otherwise (Chinese).
//! - **Promises** about a member: `required` and `output_required` hold only where every
//!   catalog that lists the member makes them; `value_allowed_null` where any does. A member
//!   only one catalog lists, in an object both list, makes neither promise: the other site
//!   does not know it, so `new()` never demands it and a response may lack it.
//! - **Types** (`type` and `member`): the international catalog's, so that no type of the
//!   client changes; every disagreement is returned as a [`Conflict`] for the import to
//!   report. The response decoder reads the other site's form of every one met so far
//!   (a number where text is wanted as its text, a list as its JSON text).
//! - **Status**: the furthest along of the two (`online`, then `deprecated`), except that
//!   `offline` needs both to say so; one site still serving an action makes it `deprecated`.
//! - **Usage**: equal, or `both`.
//! - Anything else: the international catalog's value where it has the key, the China
//!   catalog's otherwise.

use std::collections::{HashMap, HashSet};
use std::fmt;

use serde_json::{Map, Value};

use crate::spec::Site;

/// A member whose type the two catalogs give differently.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    /// The object that has the member.
    pub object: String,
    /// The member's wire name.
    pub member: String,
    /// `type`/`member` in the international catalog: kept.
    pub intl: String,
    /// `type`/`member` in the China catalog.
    pub china: String,
    /// Whether the object is sent in some action's request (directly or nested).
    pub in_request: bool,
}

impl fmt::Display for Conflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}.{}: international {}, China {}: kept the international {} ({})",
            self.object,
            self.member,
            self.intl,
            self.china,
            self.intl,
            if self.in_request {
                "sent in a request: the China site gets the international type"
            } else {
                "received only: the response decoder reads either"
            }
        )
    }
}

/// A merged spec and the type conflicts met making it.
#[derive(Debug, Clone)]
pub struct Merged {
    /// The spec.
    pub spec: Map<String, Value>,
    /// Every member whose type the catalogs disagree on, in spec order.
    pub conflicts: Vec<Conflict>,
}

/// A spec that one catalog alone lists: marked with that catalog's site in
/// `metadata.sites`, and otherwise as published.
pub fn single(mut spec: Map<String, Value>, site: Site) -> Map<String, Value> {
    if let Some(Value::Object(metadata)) = spec.get_mut("metadata") {
        metadata.insert("sites".to_owned(), sites(&[site]));
    }
    spec
}

/// The one spec of a service version that both catalogs list, by the rules above.
pub fn merge(intl: &Map<String, Value>, china: &Map<String, Value>) -> Merged {
    let mut conflicts = Vec::new();
    let mut spec = Map::new();
    for (key, a, b) in union(intl, china) {
        let value = match (key, a, b) {
            ("metadata", Some(Value::Object(a)), Some(Value::Object(b))) => {
                let mut metadata = fields(a, b);
                metadata.insert(
                    "sites".to_owned(),
                    sites(&[Site::China, Site::International]),
                );
                Value::Object(metadata)
            }
            ("actions", Some(Value::Object(a)), Some(Value::Object(b))) => {
                Value::Object(named(a, b, |_, a, b| Value::Object(fields(a, b))))
            }
            ("objects", Some(Value::Object(a)), Some(Value::Object(b))) => {
                Value::Object(named(a, b, |name, a, b| {
                    Value::Object(object(name, a, b, &mut conflicts))
                }))
            }
            (_, Some(a), _) | (_, None, Some(a)) => a.clone(),
            (_, None, None) => continue,
        };
        spec.insert(key.to_owned(), value);
    }
    let sent = sent_objects(&spec);
    for conflict in &mut conflicts {
        conflict.in_request = sent.contains(conflict.object.as_str());
    }
    Merged { spec, conflicts }
}

/// `["china", "intl"]`: sites as a spec writes them, in a fixed order.
fn sites(list: &[Site]) -> Value {
    let mut names: Vec<&str> = list.iter().map(|s| s.as_str()).collect();
    names.sort_unstable();
    Value::Array(
        names
            .into_iter()
            .map(|n| Value::String(n.to_owned()))
            .collect(),
    )
}

/// An entry only `site`'s catalog lists: marked so, and promising nothing the other site
/// would have to keep (see the module's rules).
fn only(value: &Value, site: Site, member: bool) -> Value {
    let mut value = value.clone();
    if let Value::Object(entry) = &mut value {
        entry.insert("sites".to_owned(), sites(&[site]));
        if member {
            for key in ["required", "output_required"] {
                if let Some(flag) = entry.get_mut(key) {
                    *flag = Value::Bool(false);
                }
            }
        }
    }
    value
}

/// The entries of two maps by name: both merged by `both`, one side's marked with its site.
fn named(
    intl: &Map<String, Value>,
    china: &Map<String, Value>,
    mut both: impl FnMut(&str, &Map<String, Value>, &Map<String, Value>) -> Value,
) -> Map<String, Value> {
    let mut out = Map::new();
    for (name, a, b) in union(intl, china) {
        let value = match (a, b) {
            (Some(Value::Object(a)), Some(Value::Object(b))) => both(name, a, b),
            (Some(a), _) if b.is_some() => a.clone(),
            (Some(a), _) => only(a, Site::International, false),
            (None, Some(b)) => only(b, Site::China, false),
            (None, None) => continue,
        };
        out.insert(name.to_owned(), value);
    }
    out
}

/// An object both catalogs list: its keys by [`fields`], its members merged by name.
fn object<'a>(
    object_name: &str,
    intl: &'a Map<String, Value>,
    china: &'a Map<String, Value>,
    conflicts: &mut Vec<Conflict>,
) -> Map<String, Value> {
    let mut out = fields(intl, china);
    let (Some(Value::Array(a)), Some(Value::Array(b))) =
        (intl.get("members"), china.get("members"))
    else {
        return out;
    };
    let name = |m: &'a Value| (m.get("name").and_then(Value::as_str).unwrap_or_default(), m);
    let a: Vec<Entry<'a>> = a.iter().map(name).collect();
    let b: Vec<Entry<'a>> = b.iter().map(name).collect();
    let mut members = Vec::new();
    for (member_name, a, b) in ordered_union(&a, &b) {
        members.push(match (a, b) {
            (Some(Value::Object(a)), Some(Value::Object(b))) => {
                let kind = |m: &Map<String, Value>| {
                    let text = |k: &str| m.get(k).and_then(Value::as_str).unwrap_or_default();
                    format!("{}/{}", text("type"), text("member"))
                };
                if kind(a) != kind(b) {
                    conflicts.push(Conflict {
                        object: object_name.to_owned(),
                        member: member_name.to_owned(),
                        intl: kind(a),
                        china: kind(b),
                        in_request: false,
                    });
                }
                Value::Object(fields(a, b))
            }
            (Some(a), Some(_)) => a.clone(),
            (Some(a), None) => only(a, Site::International, true),
            (None, Some(b)) => only(b, Site::China, true),
            (None, None) => continue,
        });
    }
    out.insert("members".to_owned(), Value::Array(members));
    out
}

/// The keys of an entry both catalogs list, each by its rule (see the module's docs).
fn fields(intl: &Map<String, Value>, china: &Map<String, Value>) -> Map<String, Value> {
    let mut out = Map::new();
    for (key, a, b) in union(intl, china) {
        let value = match (a, b) {
            (Some(a), Some(b)) => rule(key, a, b),
            (Some(v), None) | (None, Some(v)) => match key {
                // A promise one catalog does not make is not made.
                "required" | "output_required" => Value::Bool(false),
                "status" if v.as_str() == Some("offline") => Value::String("deprecated".into()),
                _ => v.clone(),
            },
            (None, None) => continue,
        };
        out.insert(key.to_owned(), value);
    }
    out
}

/// One key both catalogs give.
fn rule(key: &str, intl: &Value, china: &Value) -> Value {
    let text = |v: &Value| v.as_str().is_some_and(|s| !s.trim().is_empty());
    let flag = |v: &Value| v.as_bool() == Some(true) || v.as_i64() == Some(1);
    match key {
        "document" | "name" | "serviceNameCN" if !text(intl) && text(china) => china.clone(),
        "examples" if intl.as_array().is_none_or(Vec::is_empty) => china.clone(),
        "required" | "output_required" if flag(intl) != flag(china) => Value::Bool(false),
        "value_allowed_null" if flag(intl) != flag(china) => Value::Bool(true),
        "status" => Value::String(status(intl.as_str(), china.as_str()).to_owned()),
        "usage" if intl != china => Value::String("both".to_owned()),
        _ => intl.clone(),
    }
}

/// The merged status: the furthest along, `offline` only where both say so.
fn status(intl: Option<&str>, china: Option<&str>) -> &'static str {
    let rank = |s: Option<&str>| match s {
        Some("offline") => 2,
        Some("deprecated") => 1,
        _ => 0,
    };
    match (rank(intl), rank(china)) {
        (2, 2) => "offline",
        (0, 0) => "online",
        _ => "deprecated",
    }
}

/// The keys of two maps, in the [order rule](self): each with its value on either side.
fn union<'a>(intl: &'a Map<String, Value>, china: &'a Map<String, Value>) -> Vec<Paired<'a>> {
    let a: Vec<Entry<'a>> = intl.iter().map(|(k, v)| (k.as_str(), v)).collect();
    let b: Vec<Entry<'a>> = china.iter().map(|(k, v)| (k.as_str(), v)).collect();
    ordered_union(&a, &b)
}

/// Two lists of named entries as one: `a`'s order, each entry only `b` has placed after the
/// entry it follows in `b` (before all of `a` where it leads `b`), in linear time.
fn ordered_union<'a>(a: &[Entry<'a>], b: &[Entry<'a>]) -> Vec<Paired<'a>> {
    let in_a: HashMap<&str, usize> = a.iter().enumerate().map(|(i, (k, _))| (*k, i)).collect();
    let in_b: HashMap<&str, usize> = b.iter().enumerate().map(|(i, (k, _))| (*k, i)).collect();
    // after[0]: b's entries before any shared one; after[i + 1]: those after a[i].
    let mut after: Vec<Vec<usize>> = vec![Vec::new(); a.len() + 1];
    let mut slot = 0;
    for (j, (key, _)) in b.iter().enumerate() {
        match in_a.get(key) {
            Some(&i) => slot = i + 1,
            None => after[slot].push(j),
        }
    }
    let mut out = Vec::with_capacity(a.len() + b.len());
    let b_only = |out: &mut Vec<Paired<'a>>, list: &[usize]| {
        out.extend(list.iter().map(|&j| (b[j].0, None, Some(b[j].1))));
    };
    b_only(&mut out, &after[0]);
    for (i, &(key, value)) in a.iter().enumerate() {
        out.push((key, Some(value), in_b.get(key).map(|&j| b[j].1)));
        b_only(&mut out, &after[i + 1]);
    }
    out
}

/// A named entry: a key and its value, or a member's name and the member.
type Entry<'a> = (&'a str, &'a Value);
/// A name with its entry on each side, where that side has it.
type Paired<'a> = (&'a str, Option<&'a Value>, Option<&'a Value>);

/// The objects some action sends, directly or nested, by name.
fn sent_objects(spec: &Map<String, Value>) -> HashSet<&str> {
    let objects = spec.get("objects").and_then(Value::as_object);
    let mut seen = HashSet::new();
    let mut stack: Vec<&str> = spec
        .get("actions")
        .and_then(Value::as_object)
        .map(|actions| {
            actions
                .values()
                .filter_map(|a| a.get("input").and_then(Value::as_str))
                .collect()
        })
        .unwrap_or_default();
    while let Some(name) = stack.pop() {
        let Some(object) = objects.and_then(|o| o.get(name)) else {
            continue;
        };
        if !seen.insert(name) {
            continue;
        }
        for member in object
            .get("members")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(inner) = member.get("member").and_then(Value::as_str) {
                stack.push(inner);
            }
        }
    }
    seen
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn map(value: Value) -> Map<String, Value> {
        match value {
            Value::Object(map) => map,
            _ => unreachable!("a test spec is an object"),
        }
    }

    /// A spec with one action `Do` (request `DoRequest`, response `DoResponse`) and the given
    /// members of `DoRequest` and `Item` (in `DoResponse`).
    fn spec(document: &str, request: Value, item: Value, extra: Value) -> Map<String, Value> {
        let mut actions = map(json!({
            "Do": {"document": document, "input": "DoRequest", "output": "DoResponse", "name": document, "status": "online"}
        }));
        actions.extend(map(extra));
        map(json!({
            "actions": actions,
            "metadata": {"apiVersion": "2020-01-01", "serviceShortName": "demo", "serviceNameCN": document},
            "objects": {
                "DoRequest": {"document": document, "members": request, "type": "object", "usage": "in"},
                "DoResponse": {"document": "", "members": [
                    {"name": "Items", "type": "list", "member": "Item", "output_required": true, "document": ""},
                    {"name": "RequestId", "type": "string", "member": "string", "document": ""}
                ], "type": "object"},
                "Item": {"document": "", "members": item, "type": "object", "usage": "out"}
            },
            "version": "1.0"
        }))
    }

    fn member(name: &str, kind: &str, element: &str, flags: Value) -> Value {
        let mut m = map(json!({"name": name, "type": kind, "member": element, "document": name}));
        m.extend(map(flags));
        Value::Object(m)
    }

    fn members<'a>(spec: &'a Map<String, Value>, object: &str) -> &'a Vec<Value> {
        spec["objects"][object]["members"].as_array().unwrap()
    }

    fn names(list: &[Value]) -> Vec<&str> {
        list.iter().map(|m| m["name"].as_str().unwrap()).collect()
    }

    #[test]
    fn what_one_catalog_lists_is_kept_and_marked_with_its_site() {
        let intl = spec(
            "Do it.",
            json!([member("A", "string", "string", json!({}))]),
            json!([]),
            json!({"IntlOnly": {"document": "i", "input": "DoRequest", "output": "DoResponse"}}),
        );
        let china = spec(
            "做",
            json!([
                member("A", "string", "string", json!({})),
                member("B", "string", "string", json!({"required": true})),
            ]),
            json!([]),
            json!({"ChinaOnly": {"document": "c", "input": "DoRequest", "output": "DoResponse"}}),
        );
        let merged = merge(&intl, &china).spec;
        assert_eq!(merged["metadata"]["sites"], json!(["china", "intl"]));
        assert_eq!(merged["actions"]["IntlOnly"]["sites"], json!(["intl"]));
        assert_eq!(merged["actions"]["ChinaOnly"]["sites"], json!(["china"]));
        assert!(
            merged["actions"]["Do"].get("sites").is_none(),
            "both list it: its spec's sites"
        );
        let request = members(&merged, "DoRequest");
        assert_eq!(names(request), ["A", "B"]);
        assert!(request[0].get("sites").is_none());
        assert_eq!(request[1]["sites"], json!(["china"]));
        // The international site does not know B: new() must not demand it.
        assert_eq!(request[1]["required"], json!(false));

        let only = single(china.clone(), Site::China);
        assert_eq!(only["metadata"]["sites"], json!(["china"]));
        assert_eq!(only["actions"], china["actions"], "otherwise as published");
    }

    #[test]
    fn the_order_is_the_international_one_with_china_entries_after_their_neighbour() {
        let m = |n: &str| member(n, "string", "string", json!({}));
        let intl = spec("", json!([m("A"), m("C"), m("E")]), json!([]), json!({}));
        let china = spec(
            "",
            json!([m("Z"), m("E"), m("A"), m("B"), m("C"), m("D")]),
            json!([]),
            json!({}),
        );
        let merged = merge(&intl, &china).spec;
        // Z leads the China list; B follows A there, D follows C.
        assert_eq!(
            names(members(&merged, "DoRequest")),
            ["Z", "A", "B", "C", "D", "E"]
        );
    }

    #[test]
    fn texts_are_english_where_the_international_catalog_has_them() {
        let example =
            |title: &str| json!([{"title": title, "input": "", "output": "", "document": ""}]);
        let mut intl = spec("Do it.", json!([]), json!([]), json!({}));
        intl["actions"]["Do"]["examples"] = example("Example");
        let mut china = spec("做", json!([]), json!([]), json!({}));
        china["actions"]["Do"]["examples"] = example("示例");
        let merged = merge(&intl, &china).spec;
        assert_eq!(merged["actions"]["Do"]["document"], "Do it.");
        assert_eq!(merged["actions"]["Do"]["examples"], example("Example"));
        assert_eq!(merged["metadata"]["serviceNameCN"], "Do it.");

        let blank = spec("", json!([]), json!([]), json!({}));
        let merged = merge(&blank, &china).spec;
        assert_eq!(merged["actions"]["Do"]["document"], "做");
        assert_eq!(merged["actions"]["Do"]["name"], "做");
        assert_eq!(merged["actions"]["Do"]["examples"], example("示例"));
        assert_eq!(merged["objects"]["DoRequest"]["document"], "做");
    }

    #[test]
    fn a_promise_holds_only_where_both_catalogs_make_it() {
        let flags = |required: bool, output: bool, nullable: bool| json!({"required": required, "output_required": output, "value_allowed_null": nullable});
        let intl = spec(
            "",
            json!([
                member("Strict", "string", "string", flags(true, false, false)),
                member("Loose", "string", "string", flags(false, false, false)),
            ]),
            json!([
                member("Always", "int", "int64", flags(true, true, false)),
                member(
                    "Sometimes",
                    "int",
                    "int64",
                    json!({"output_required": true})
                ),
            ]),
            json!({}),
        );
        let china = spec(
            "",
            json!([
                member("Strict", "string", "string", flags(false, false, false)),
                member("Loose", "string", "string", flags(true, false, false)),
            ]),
            json!([
                member("Always", "int", "int64", flags(false, true, true)),
                member("Sometimes", "int", "int64", json!({})),
            ]),
            json!({}),
        );
        let merged = merge(&intl, &china).spec;
        let request = members(&merged, "DoRequest");
        assert_eq!(request[0]["required"], false, "China calls Strict optional");
        assert_eq!(
            request[1]["required"], false,
            "the international site calls Loose optional"
        );
        let item = members(&merged, "Item");
        assert_eq!(item[0]["required"], false);
        assert_eq!(item[0]["output_required"], true, "both promise it");
        assert_eq!(item[0]["value_allowed_null"], true, "China allows null");
        assert_eq!(
            item[1]["output_required"], false,
            "China does not promise it"
        );
    }

    #[test]
    fn a_type_conflict_keeps_the_international_type_and_is_reported() {
        let intl = spec(
            "",
            json!([member("Seconds", "int", "uint64", json!({}))]),
            json!([
                member("Ids", "string", "string", json!({})),
                member("Id", "string", "string", json!({}))
            ]),
            json!({}),
        );
        let china = spec(
            "",
            json!([member("Seconds", "int", "int64", json!({}))]),
            json!([
                member("Ids", "list", "string", json!({})),
                member("Id", "int", "uint64", json!({}))
            ]),
            json!({}),
        );
        let merged = merge(&intl, &china);
        assert_eq!(members(&merged.spec, "DoRequest")[0]["member"], "uint64");
        assert_eq!(members(&merged.spec, "Item")[0]["type"], "string");
        assert_eq!(members(&merged.spec, "Item")[1]["member"], "string");
        let found: Vec<(String, bool)> = merged
            .conflicts
            .iter()
            .map(|c| {
                (
                    format!("{}.{} {} {}", c.object, c.member, c.intl, c.china),
                    c.in_request,
                )
            })
            .collect();
        assert_eq!(
            found,
            [
                ("DoRequest.Seconds int/uint64 int/int64".to_owned(), true),
                ("Item.Ids string/string list/string".to_owned(), false),
                ("Item.Id string/string int/uint64".to_owned(), false),
            ]
        );
        assert_eq!(
            merged.conflicts[0].to_string(),
            "DoRequest.Seconds: international int/uint64, China int/int64: kept the international int/uint64 (sent in a request: the China site gets the international type)"
        );
    }

    #[test]
    fn status_is_the_furthest_along_but_offline_needs_both() {
        assert_eq!(status(None, Some("online")), "online");
        assert_eq!(status(Some("online"), Some("deprecated")), "deprecated");
        assert_eq!(status(Some("deprecated"), None), "deprecated");
        assert_eq!(status(Some("online"), Some("offline")), "deprecated");
        assert_eq!(status(Some("offline"), Some("offline")), "offline");
        let mut intl = spec("", json!([]), json!([]), json!({}));
        intl["actions"]["Do"]
            .as_object_mut()
            .unwrap()
            .remove("status");
        let mut china = spec("", json!([]), json!([]), json!({}));
        china["actions"]["Do"]["status"] = json!("offline");
        assert_eq!(
            merge(&intl, &china).spec["actions"]["Do"]["status"],
            "deprecated"
        );
    }

    #[test]
    fn usage_that_differs_is_both_and_other_keys_are_the_international_ones() {
        let mut intl = spec(
            "",
            json!([member("A", "string", "string", json!({"example": "i"}))]),
            json!([]),
            json!({}),
        );
        let mut china = spec(
            "",
            json!([member(
                "A",
                "string",
                "string",
                json!({"example": "c", "disabled": false})
            )]),
            json!([]),
            json!({}),
        );
        china["objects"]["DoRequest"]["usage"] = json!("both");
        china["metadata"]["api_brief"] = json!("简介");
        intl["version"] = json!("1.0");
        let merged = merge(&intl, &china).spec;
        assert_eq!(merged["objects"]["DoRequest"]["usage"], "both");
        assert_eq!(merged["objects"]["Item"]["usage"], "out");
        let a = &members(&merged, "DoRequest")[0];
        assert_eq!(a["example"], "i");
        assert_eq!(
            a["disabled"], false,
            "a key one catalog alone gives is kept"
        );
        assert_eq!(merged["metadata"]["api_brief"], "简介");
    }

    #[test]
    fn merging_is_deterministic_and_a_merged_spec_parses() {
        let intl = spec(
            "Do it.",
            json!([member("A", "string", "string", json!({"required": true}))]),
            json!([]),
            json!({}),
        );
        let china = spec(
            "做",
            json!([member("B", "int", "int64", json!({}))]),
            json!([]),
            json!({}),
        );
        let once = serde_json::to_string_pretty(&merge(&intl, &china).spec).unwrap();
        let again = serde_json::to_string_pretty(&merge(&intl, &china).spec).unwrap();
        assert_eq!(once, again);
        let parsed =
            crate::spec::parse(std::path::Path::new("demo.json"), once.as_bytes()).unwrap();
        assert_eq!(
            parsed.metadata.sites,
            Some(vec![Site::China, Site::International])
        );
        // B leads the China list, so it leads the merged one; A is the international site's.
        let (b, a) = (
            &parsed.objects["DoRequest"].members[0],
            &parsed.objects["DoRequest"].members[1],
        );
        assert_eq!(
            (b.name.as_str(), b.sites.clone()),
            ("B", Some(vec![Site::China]))
        );
        assert_eq!(
            (a.name.as_str(), a.sites.clone()),
            ("A", Some(vec![Site::International]))
        );
        assert_eq!(a.required, Some(false), "the China site does not know A");
    }
}
