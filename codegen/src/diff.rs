//! What a regeneration will change for users: two versions of a spec compared through their
//! models (the Rust names and types users see), each change marked breaking when code that
//! compiled against the old client may not compile, or may behave differently, against the
//! new one.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::model::names::Naming;
use crate::model::{self, Body, Region, Status, Struct, Ty};
use crate::Error;

/// What changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ChangeKind {
    /// A service version appeared.
    ServiceAdded,
    /// A service version disappeared: its module is gone.
    ServiceRemoved,
    /// The default endpoint changed.
    EndpointChanged,
    /// A new action (and client method).
    ActionAdded,
    /// An action and its method are gone.
    ActionRemoved,
    /// An action is now deprecated: its method warns.
    ActionDeprecated,
    /// A deprecated action is online again.
    ActionUndeprecated,
    /// An action was taken offline: its method stays but warns, and the service may answer
    /// `ActionOffline`.
    ActionTakenOffline,
    /// An offline action is served again (online or deprecated).
    ActionBackOnline,
    /// The action's request is now sent another way (JSON or multipart/form-data): it
    /// gained or lost a file field, which the field changes list.
    BodyKindChanged,
    /// The action's region rule changed.
    RegionRuleChanged,
    /// The action's documented rate limit changed.
    RateLimitChanged,
    /// A documented error code (a variant of the action's error enum) appeared.
    ErrorCodeAdded,
    /// A documented error code disappeared: its variant is gone.
    ErrorCodeRemoved,
    /// A new struct.
    StructAdded,
    /// A struct is gone.
    StructRemoved,
    /// A field appeared.
    FieldAdded,
    /// A field is gone.
    FieldRemoved,
    /// An optional field became required.
    FieldMadeRequired,
    /// A required field became optional.
    FieldMadeOptional,
    /// A field's type changed.
    FieldTypeChanged,
    /// A field keeps its wire name under another Rust name.
    FieldRenamed,
    /// An action keeps its wire name under another method name (its `_stream`, `_pages`
    /// and `_items` methods, if any, follow it).
    MethodRenamed,
    /// The required fields of a request came in another order: `new(..)` takes its
    /// arguments in that order.
    RequiredOrderChanged,
}

/// One change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// Whether code written against the old client may break.
    pub breaking: bool,
    /// What changed.
    pub kind: ChangeKind,
    /// The action, struct or `Struct.Field` it is about.
    pub item: String,
    /// The old and new values, in words.
    pub detail: String,
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mark = if self.breaking {
            "BREAKING"
        } else {
            "        "
        };
        let kind = serde_json::to_value(self.kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default()
            .replace('_', " ");
        write!(f, "{mark} {kind}: {}", self.item)?;
        if !self.detail.is_empty() {
            write!(f, " ({})", self.detail)?;
        }
        Ok(())
    }
}

/// The changes of one service version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServiceDiff {
    /// `organization`.
    pub service: String,
    /// `2021-03-31`.
    pub version: String,
    /// Every change, breaking ones first, then by item.
    pub changes: Vec<Change>,
}

impl ServiceDiff {
    /// How many changes are breaking.
    pub fn breaking(&self) -> usize {
        self.changes.iter().filter(|c| c.breaking).count()
    }
}

/// Compares `old` and `new`: two spec files, or two spec directories whose
/// `<service>/<version>.json` files are paired by path. Bad specs on either side are
/// reported as [`Error::Spec`], all together.
pub fn paths(old: &Path, new: &Path) -> Result<Vec<ServiceDiff>, Error> {
    paths_with(old, new, Naming::Words)
}

/// [`paths`], with the old side's names by the rule `old_naming`: what a generator whose
/// naming rule changed renames, beside what the specs changed.
pub fn paths_with(old: &Path, new: &Path, old_naming: Naming) -> Result<Vec<ServiceDiff>, Error> {
    let (old_files, new_files) = (files(old)?, files(new)?);
    let load_all = |files: &BTreeMap<PathBuf, PathBuf>,
                    in_layout: bool,
                    naming: Naming,
                    problems: &mut Vec<crate::Problem>| {
        let mut loaded = BTreeMap::new();
        for (key, path) in files {
            match crate::load_with(path, in_layout, naming) {
                Ok(service) => {
                    loaded.insert(key.clone(), service);
                }
                Err(Error::Spec(found)) => problems.extend(found),
                Err(other) => return Err(other),
            }
        }
        Ok(loaded)
    };
    let mut problems = Vec::new();
    let old_services = load_all(&old_files, old.is_dir(), old_naming, &mut problems)?;
    let new_services = load_all(&new_files, new.is_dir(), Naming::Words, &mut problems)?;
    if !problems.is_empty() {
        return Err(Error::Spec(problems));
    }
    let mut keys: Vec<&PathBuf> = old_services.keys().chain(new_services.keys()).collect();
    keys.sort();
    keys.dedup();
    let mut diffs = Vec::new();
    for key in keys {
        let diff = match (old_services.get(key), new_services.get(key)) {
            (Some(o), Some(n)) => services(o, n),
            (Some(o), None) => whole(o, ChangeKind::ServiceRemoved, true),
            (None, Some(n)) => whole(n, ChangeKind::ServiceAdded, false),
            (None, None) => continue,
        };
        diffs.push(diff);
    }
    Ok(diffs)
}

/// The spec files under `path` by their path below it, or `path` itself.
fn files(path: &Path) -> Result<BTreeMap<PathBuf, PathBuf>, Error> {
    if !path.is_dir() {
        return Ok(BTreeMap::from([(PathBuf::new(), path.to_owned())]));
    }
    let mut found = Vec::new();
    crate::collect_ext(path, "json", &mut found)?;
    Ok(found
        .into_iter()
        .map(|file| {
            let key = file.strip_prefix(path).unwrap_or(&file).to_owned();
            (key, file)
        })
        .collect())
}

fn whole(service: &model::Service, kind: ChangeKind, breaking: bool) -> ServiceDiff {
    ServiceDiff {
        service: service.name.clone(),
        version: service.version.clone(),
        changes: vec![Change {
            breaking,
            kind,
            item: format!("{} {}", service.name, service.module),
            detail: String::new(),
        }],
    }
}

/// The changes from `old` to `new`, two versions of one service version's spec.
pub fn services(old: &model::Service, new: &model::Service) -> ServiceDiff {
    let mut changes = Vec::new();
    let mut change = |breaking: bool, kind: ChangeKind, item: &str, detail: String| {
        changes.push(Change {
            breaking,
            kind,
            item: item.to_owned(),
            detail,
        });
    };
    if old.endpoint != new.endpoint {
        change(
            false,
            ChangeKind::EndpointChanged,
            &new.name,
            format!("{} -> {}", old.endpoint, new.endpoint),
        );
    }
    let old_actions: BTreeMap<&str, &model::Action> =
        old.actions.iter().map(|a| (a.wire.as_str(), a)).collect();
    let new_actions: BTreeMap<&str, &model::Action> =
        new.actions.iter().map(|a| (a.wire.as_str(), a)).collect();
    for (name, o) in &old_actions {
        let Some(n) = new_actions.get(name) else {
            change(
                true,
                ChangeKind::ActionRemoved,
                name,
                format!("method {} is gone", o.method),
            );
            continue;
        };
        if o.method != n.method {
            change(
                true,
                ChangeKind::MethodRenamed,
                name,
                format!("{} -> {}", o.method, n.method),
            );
        }
        // Not breaking: the method stays (it warns when deprecated or offline); what the
        // service responses is the service's business, and the report says so.
        let status = format!("{} -> {}", o.status.as_str(), n.status.as_str());
        match (o.status, n.status) {
            (Status::Online, Status::Deprecated) => {
                change(false, ChangeKind::ActionDeprecated, name, String::new());
            }
            (Status::Deprecated, Status::Online) => {
                change(false, ChangeKind::ActionUndeprecated, name, String::new());
            }
            (old, Status::Offline) if old != Status::Offline => {
                change(false, ChangeKind::ActionTakenOffline, name, status);
            }
            (Status::Offline, new) if new != Status::Offline => {
                change(false, ChangeKind::ActionBackOnline, name, status);
            }
            _ => {}
        }
        if o.body != n.body {
            change(
                false,
                ChangeKind::BodyKindChanged,
                name,
                format!("{} -> {}", body(&o.body), body(&n.body)),
            );
        }
        if o.region != n.region {
            // Calls without a region start failing only when one becomes required.
            change(
                n.region == Region::Required,
                ChangeKind::RegionRuleChanged,
                name,
                format!("{} -> {}", region(o.region), region(n.region)),
            );
        }
        if o.rate_limit != n.rate_limit {
            let show = |l: Option<u32>| l.map_or("none".to_owned(), |l| format!("{l}/s"));
            change(
                false,
                ChangeKind::RateLimitChanged,
                name,
                format!("{} -> {}", show(o.rate_limit), show(n.rate_limit)),
            );
        }
        for e in &o.errors {
            if !n.errors.iter().any(|x| x.code == e.code) {
                change(
                    true,
                    ChangeKind::ErrorCodeRemoved,
                    name,
                    format!("{} (variant {}::{})", e.code, o.error, e.variant),
                );
            }
        }
        for e in &n.errors {
            if !o.errors.iter().any(|x| x.code == e.code) {
                change(false, ChangeKind::ErrorCodeAdded, name, e.code.clone());
            }
        }
    }
    for (name, n) in &new_actions {
        if !old_actions.contains_key(name) {
            change(
                false,
                ChangeKind::ActionAdded,
                name,
                format!("method {}", n.method),
            );
        }
    }
    let old_structs: BTreeMap<&str, &Struct> =
        old.structs.iter().map(|s| (s.name.as_str(), s)).collect();
    let new_structs: BTreeMap<&str, &Struct> =
        new.structs.iter().map(|s| (s.name.as_str(), s)).collect();
    for (name, o) in &old_structs {
        match new_structs.get(name) {
            Some(n) => fields(o, n, &mut change),
            None => change(true, ChangeKind::StructRemoved, name, String::new()),
        }
    }
    for name in new_structs.keys() {
        if !old_structs.contains_key(name) {
            change(false, ChangeKind::StructAdded, name, String::new());
        }
    }
    changes.sort_by(|a, b| (!a.breaking, &a.item).cmp(&(!b.breaking, &b.item)));
    ServiceDiff {
        service: new.name.clone(),
        version: new.version.clone(),
        changes,
    }
}

/// The field changes of one struct. A change to what a request's `new` takes breaks
/// callers; any change of an existing field's type (`Option` included) breaks readers.
fn fields(o: &Struct, n: &Struct, change: &mut impl FnMut(bool, ChangeKind, &str, String)) {
    let item = |wire: &str| format!("{}.{wire}", n.name);
    for of in &o.fields {
        let Some(nf) = n.fields.iter().find(|f| f.wire == of.wire) else {
            change(
                true,
                ChangeKind::FieldRemoved,
                &item(&of.wire),
                format!("field {} is gone", of.name),
            );
            continue;
        };
        if of.name != nf.name {
            change(
                true,
                ChangeKind::FieldRenamed,
                &item(&of.wire),
                format!("{} -> {}", of.name, nf.name),
            );
        }
        if of.ty != nf.ty {
            change(
                true,
                ChangeKind::FieldTypeChanged,
                &item(&of.wire),
                format!("{} -> {}", ty(&of.ty), ty(&nf.ty)),
            );
        }
        match (of.optional, nf.optional) {
            (true, false) => change(
                true,
                ChangeKind::FieldMadeRequired,
                &item(&of.wire),
                if n.sent {
                    format!("new() now takes {}", nf.name)
                } else {
                    format!("Option<{0}> -> {0}", ty(&nf.ty))
                },
            ),
            (false, true) => change(
                true,
                ChangeKind::FieldMadeOptional,
                &item(&of.wire),
                if n.sent {
                    format!(
                        "new() no longer takes {}; set it with {}",
                        nf.name, nf.setter
                    )
                } else {
                    format!("{0} -> Option<{0}>", ty(&nf.ty))
                },
            ),
            _ => {}
        }
    }
    for nf in &n.fields {
        if !o.fields.iter().any(|f| f.wire == nf.wire) {
            // A required field of a sent struct is a new argument of `new`; anything else
            // is additive (the structs are non_exhaustive).
            let breaking = n.sent && !nf.optional;
            let detail = if breaking {
                format!("required: new() now takes {}", nf.name)
            } else {
                format!(
                    "{}: {}",
                    if nf.optional { "optional" } else { "required" },
                    ty(&nf.ty)
                )
            };
            change(breaking, ChangeKind::FieldAdded, &item(&nf.wire), detail);
        }
    }
    if n.sent {
        let required = |s: &Struct| -> Vec<String> {
            s.fields
                .iter()
                .filter(|f| !f.optional)
                .map(|f| f.wire.clone())
                .collect()
        };
        let (before, after) = (required(o), required(n));
        let kept: Vec<&String> = after.iter().filter(|w| before.contains(w)).collect();
        let kept_before: Vec<&String> = before.iter().filter(|w| after.contains(w)).collect();
        if kept != kept_before {
            change(
                true,
                ChangeKind::RequiredOrderChanged,
                &n.name,
                format!("new({}) -> new({})", before.join(", "), after.join(", ")),
            );
        }
    }
}

fn region(rule: Region) -> &'static str {
    match rule {
        Region::Required => "required",
        Region::Optional => "optional",
        Region::None => "none",
    }
}

fn body(kind: &Body) -> &'static str {
    match kind {
        Body::Json => "JSON",
        Body::Multipart => "multipart/form-data",
        Body::OctetStream { .. } => "application/octet-stream",
    }
}

/// A type as users write it.
fn ty(t: &Ty) -> String {
    t.to_string()
}
