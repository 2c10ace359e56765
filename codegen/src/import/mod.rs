//! `import`: Tencent's catalogs into our spec layout (`<serviceShortName>/<version>.json`),
//! in stages, each a file:
//!
//! 1. [`catalog`] reads one catalog as its command-line tool ships it
//!    (`<service>/<version>/api.json`, `examples.json` beside it), examples merged in;
//! 2. [`merge`] makes one spec of a service version that both sites' catalogs list, by
//!    written rules, and marks what one site alone lists (`sites`);
//! 3. here, the extensions already in our copy are kept and each action's error codes,
//!    read from official Go SDK sources by [`error_codes`], are added;
//! 4. the spec is written where its text changed.
//!
//! Without catalogs, stage 3 updates the specs already in place. Key order is kept as
//! published; importing twice changes nothing.

pub mod catalog;
pub mod error_codes;
pub mod merge;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use crate::error::{Error, Problem};
use crate::file_name;
use crate::spec::{Site, ACTION_EXTENSIONS, METADATA_EXTENSIONS};
use error_codes::{GoSdk, ServiceCodes};
use merge::Conflict;

/// What an import did to one spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    /// The file written (or left alone).
    pub path: PathBuf,
    /// Whether its contents changed.
    pub changed: bool,
    /// How many actions the spec has.
    pub actions: usize,
    /// How many of them carry error codes (`errorCodes`, not empty).
    pub actions_with_codes: usize,
    /// Which catalogs list the service version (empty: a catalog of no named site, or
    /// specs updated in place).
    pub sites: Vec<Site>,
    /// The members whose type the two catalogs give differently, and what was kept.
    pub conflicts: Vec<Conflict>,
}

/// The catalogs to import, each a `tccli/services` directory of
/// `<service>/<version>/api.json` files.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Catalogs {
    /// None: the specs already in `out` are updated in place.
    #[default]
    InPlace,
    /// One catalog of no named site, imported as it is.
    One(PathBuf),
    /// The two sites' catalogs: what both list is merged ([`merge`]), what one lists is
    /// marked with its site. Both are needed: with one alone, nothing could tell what the
    /// other site lists too.
    Sites {
        /// The international catalog (`tccli-intl-en`).
        intl: PathBuf,
        /// The China-site catalog (`tccli`).
        china: PathBuf,
    },
}

/// What to import, and from where.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The catalogs to read.
    pub catalogs: Catalogs,
    /// Only these services (by directory or service name); all when empty.
    pub services: Vec<String>,
    /// The spec directory written (`api-specs`).
    pub out: PathBuf,
    /// Go SDK checkouts to read error codes from, in order of preference: for a code's
    /// description the first SDK that has one wins, so give the English SDK first.
    pub error_codes_from: Vec<PathBuf>,
}

/// Imports every service version under `from`, a catalog of no named site (only
/// `services`, by directory or service name, when given), into `out`.
pub fn import(from: &Path, services: &[String], out: &Path) -> Result<Vec<Imported>, Error> {
    run(&Options {
        catalogs: Catalogs::One(from.to_owned()),
        services: services.to_vec(),
        out: out.to_owned(),
        error_codes_from: Vec::new(),
    })
}

/// Runs an import as `options` say.
pub fn run(options: &Options) -> Result<Vec<Imported>, Error> {
    let sdks = options
        .error_codes_from
        .iter()
        .map(|dir| GoSdk::open(dir))
        .collect::<Result<Vec<_>, _>>()?;
    let wanted = |names: &[&str]| {
        options.services.is_empty() || options.services.iter().any(|s| names.contains(&s.as_str()))
    };
    let mut results = Vec::new();
    let mut problems = Vec::new();
    let specs = match &options.catalogs {
        Catalogs::InPlace => in_place(&options.out, &wanted, &mut problems)?,
        Catalogs::One(dir) => from_catalogs(&[(None, dir)], &options.out, &wanted, &mut problems)?,
        Catalogs::Sites { intl, china } => {
            let listed = [
                (Some(Site::International), intl),
                (Some(Site::China), china),
            ];
            from_catalogs(&listed, &options.out, &wanted, &mut problems)?
        }
    };
    for Pending {
        target,
        service,
        mut spec,
        sites,
        conflicts,
    } in specs
    {
        let version = target
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut found = Vec::new();
        for sdk in &sdks {
            found.extend(sdk.service(&service, &version)?);
        }
        add_error_codes(&mut spec, &found);
        let (actions, actions_with_codes) = count_codes(&spec);
        let mut text = serde_json::to_string_pretty(&Value::Object(spec)).unwrap_or_default();
        text.push('\n');
        let changed = std::fs::read_to_string(&target).ok().as_deref() != Some(text.as_str());
        if changed {
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent).map_err(|source| Error::Io {
                    path: parent.to_owned(),
                    source,
                })?;
            }
            std::fs::write(&target, text).map_err(|source| Error::Io {
                path: target.clone(),
                source,
            })?;
        }
        results.push(Imported {
            path: target,
            changed,
            actions,
            actions_with_codes,
            sites,
            conflicts,
        });
    }
    if !problems.is_empty() {
        return Err(Error::Spec(problems));
    }
    Ok(results)
}

/// A service version as one catalog lists it.
struct Listed {
    /// The catalog's site (`None` for a catalog imported as it is).
    site: Option<Site>,
    /// The spec.
    spec: Map<String, Value>,
    /// Its `api.json`.
    path: PathBuf,
}

/// A spec to write.
struct Pending {
    /// Its path in `out`.
    target: PathBuf,
    /// Its service name.
    service: String,
    /// Its contents.
    spec: Map<String, Value>,
    /// The catalogs that list it.
    sites: Vec<Site>,
    /// The type conflicts its merge met.
    conflicts: Vec<Conflict>,
}

/// The catalogs' service versions: each read ([`catalog`]), merged where both sites' list
/// it ([`merge`]), with the extensions of our copy in `out` kept.
fn from_catalogs(
    catalogs: &[(Option<Site>, &PathBuf)],
    out: &Path,
    wanted: &dyn Fn(&[&str]) -> bool,
    problems: &mut Vec<Problem>,
) -> Result<Vec<Pending>, Error> {
    // Every service version of every catalog, by (service, version): the spec each gives.
    let mut versions: BTreeMap<(String, String), Vec<Listed>> = BTreeMap::new();
    for (site, dir) in catalogs {
        for found in catalog::read(dir, wanted, problems)? {
            versions
                .entry((found.service, found.version))
                .or_default()
                .push(Listed {
                    site: *site,
                    spec: found.spec,
                    path: found.path,
                });
        }
    }
    let mut specs = Vec::new();
    for ((service, version), mut listed) in versions {
        listed.sort_by_key(|l| l.site);
        let sites: Vec<Option<Site>> = listed.iter().map(|l| l.site).collect();
        let (mut spec, sites, conflicts) = match (sites.as_slice(), listed.pop()) {
            ([Some(Site::China), Some(Site::International)], Some(intl)) => {
                let china = listed.pop().map(|l| l.spec).unwrap_or_default();
                let merged = merge::merge(&intl.spec, &china);
                (
                    merged.spec,
                    vec![Site::China, Site::International],
                    merged.conflicts,
                )
            }
            ([Some(site)], Some(only)) => {
                (merge::single(only.spec, *site), vec![*site], Vec::new())
            }
            ([None], Some(only)) => (only.spec, Vec::new(), Vec::new()),
            (_, last) => {
                // Two directories of one catalog give the same service version: which to
                // keep is not ours to guess.
                let paths: Vec<String> = listed
                    .iter()
                    .map(|l| &l.path)
                    .chain(last.as_ref().map(|l| &l.path))
                    .map(|p| p.display().to_string())
                    .collect();
                problems.push(problem(
                    Path::new(&paths[0]),
                    "metadata.serviceShortName",
                    &format!(
                        "{service} {version} is given more than once by one catalog: {}",
                        paths.join(", ")
                    ),
                ));
                continue;
            }
        };
        let target = out.join(&service).join(format!("{version}.json"));
        if target.is_file() {
            match read_object(&target) {
                Ok(ours) => keep_extensions(&mut spec, &ours),
                Err(problem) => {
                    problems.push(problem);
                    continue;
                }
            }
        }
        specs.push(Pending {
            target,
            service,
            spec,
            sites,
            conflicts,
        });
    }
    Ok(specs)
}

/// The specs already in `out` (`<service>/<version>.json`), to update in place.
fn in_place(
    out: &Path,
    wanted: &dyn Fn(&[&str]) -> bool,
    problems: &mut Vec<Problem>,
) -> Result<Vec<Pending>, Error> {
    let mut specs = Vec::new();
    for service_dir in sorted_dirs(out)? {
        let service = file_name(&service_dir);
        if !wanted(&[&service]) {
            continue;
        }
        let files = sorted_entries(&service_dir, |p| {
            p.is_file() && p.extension().is_some_and(|e| e == "json")
        })?;
        for path in files {
            match read_object(&path) {
                Ok(spec) => specs.push(Pending {
                    target: path,
                    service: service.clone(),
                    spec,
                    sites: Vec::new(),
                    conflicts: Vec::new(),
                }),
                Err(problem) => problems.push(problem),
            }
        }
    }
    Ok(specs)
}

/// Adds to each action's `errorCodes` the codes `found` lists for it (`found` in order of
/// preference). A code the spec already has keeps its entry as written, except that an
/// empty description is filled in; new codes follow, sorted by code; each code's
/// description is the first non-empty one in `found`, or empty when none has one.
fn add_error_codes(spec: &mut Map<String, Value>, found: &[ServiceCodes]) {
    if found.is_empty() {
        return;
    }
    let Some(Value::Object(actions)) = spec.get_mut("actions") else {
        return;
    };
    for (name, action) in actions.iter_mut() {
        let Value::Object(action) = action else {
            continue;
        };
        let describe = |code: &str| {
            found
                .iter()
                .find_map(|s| s.descriptions.get(code))
                .cloned()
                .unwrap_or_default()
        };
        let mut new: Vec<&String> = found
            .iter()
            .filter_map(|s| s.actions.get(name))
            .flatten()
            .collect();
        if new.is_empty() {
            continue;
        }
        let slot = action
            .entry("errorCodes")
            .or_insert_with(|| Value::Array(Vec::new()));
        // Not a list: left as written, for the spec check to report.
        let Value::Array(list) = slot else {
            continue;
        };
        for entry in list.iter_mut() {
            let Some(code) = entry.get("code").and_then(Value::as_str).map(str::to_owned) else {
                continue;
            };
            new.retain(|c| **c != code);
            let empty = entry
                .get("description")
                .and_then(Value::as_str)
                .is_none_or(str::is_empty);
            let description = describe(&code);
            if let (true, false, Value::Object(entry)) = (empty, description.is_empty(), entry) {
                entry.insert("description".to_owned(), Value::String(description));
            }
        }
        new.sort();
        new.dedup();
        for code in new {
            let mut entry = Map::new();
            entry.insert("code".to_owned(), Value::String(code.clone()));
            entry.insert("description".to_owned(), Value::String(describe(code)));
            list.push(Value::Object(entry));
        }
    }
}

/// How many actions `spec` has, and how many of them carry error codes.
fn count_codes(spec: &Map<String, Value>) -> (usize, usize) {
    let Some(Value::Object(actions)) = spec.get("actions") else {
        return (0, 0);
    };
    let with_codes = actions
        .values()
        .filter(|a| {
            a.get("errorCodes")
                .and_then(Value::as_array)
                .is_some_and(|l| !l.is_empty())
        })
        .count();
    (actions.len(), with_codes)
}

/// Copies our extension keys from `ours` over the imported spec.
fn keep_extensions(spec: &mut Map<String, Value>, ours: &Map<String, Value>) {
    if let (Some(Value::Object(meta)), Some(Value::Object(our_meta))) =
        (spec.get_mut("metadata"), ours.get("metadata"))
    {
        for key in METADATA_EXTENSIONS {
            if let Some(value) = our_meta.get(*key) {
                meta.insert((*key).to_owned(), value.clone());
            }
        }
    }
    let (Some(Value::Object(actions)), Some(Value::Object(our_actions))) =
        (spec.get_mut("actions"), ours.get("actions"))
    else {
        return;
    };
    for (name, our_action) in our_actions {
        if let (Some(Value::Object(action)), Value::Object(our_action)) =
            (actions.get_mut(name), our_action)
        {
            for key in ACTION_EXTENSIONS {
                if let Some(value) = our_action.get(*key) {
                    action.insert((*key).to_owned(), value.clone());
                }
            }
        }
    }
}

pub(crate) fn read_object(path: &Path) -> Result<Map<String, Value>, Problem> {
    let bytes = std::fs::read(path).map_err(|e| problem(path, "", &e.to_string()))?;
    match serde_json::from_slice::<Value>(&bytes) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(problem(path, "", "expected a JSON object at the top level")),
        Err(e) => Err(Problem {
            file: path.to_owned(),
            line: Some(e.line()),
            column: Some(e.column()),
            json_path: String::new(),
            message: crate::spec::strip_position(&e.to_string()),
        }),
    }
}

pub(crate) fn problem(path: &Path, json_path: &str, message: &str) -> Problem {
    Problem {
        file: path.to_owned(),
        line: None,
        column: None,
        json_path: json_path.to_owned(),
        message: message.to_owned(),
    }
}

pub(crate) fn sorted_dirs(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    sorted_entries(dir, |p| p.is_dir())
}

/// The entries of `dir` that `keep` accepts, sorted so that input order never matters.
fn sorted_entries(dir: &Path, keep: impl Fn(&Path) -> bool) -> Result<Vec<PathBuf>, Error> {
    let entries = std::fs::read_dir(dir).map_err(|source| Error::Io {
        path: dir.to_owned(),
        source,
    })?;
    let mut found: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| keep(p))
        .collect();
    found.sort();
    Ok(found)
}
