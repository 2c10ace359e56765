//! Imports Tencent's catalog as its command-line tool ships it
//! (`<service>/<version>/api.json` with `examples.json` beside it) into our spec layout
//! (`<serviceShortName>/<version>.json`), merging the examples and keeping the extensions
//! already in our copy. Key order is kept as published; importing twice changes nothing.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use crate::error::{Error, Problem};
use crate::file_name;

/// Action keys that are ours, kept from the existing copy of a spec.
const ACTION_EXTENSIONS: &[&str] = &["errorCodes", "rateLimit", "region", "examples"];
/// Metadata keys that are ours.
const METADATA_EXTENSIONS: &[&str] = &["endpoint"];

/// What an import did to one spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    /// The file written (or left alone).
    pub path: PathBuf,
    /// Whether its contents changed.
    pub changed: bool,
}

/// Imports every service version under `from` (only `services`, by directory or service
/// name, when given) into `out`.
pub fn import(from: &Path, services: &[String], out: &Path) -> Result<Vec<Imported>, Error> {
    let mut found = Vec::new();
    for service_dir in sorted_dirs(from)? {
        for version_dir in sorted_dirs(&service_dir)? {
            let api = version_dir.join("api.json");
            if api.is_file() {
                found.push((service_dir.clone(), version_dir, api));
            }
        }
    }
    let mut results = Vec::new();
    let mut problems = Vec::new();
    for (service_dir, version_dir, api) in found {
        let mut spec = match read_object(&api) {
            Ok(spec) => spec,
            Err(problem) => {
                problems.push(problem);
                continue;
            }
        };
        let short_name = spec
            .get("metadata")
            .and_then(|m| m.get("serviceShortName"))
            .and_then(Value::as_str)
            .map(str::to_owned);
        let Some(short_name) = short_name else {
            problems.push(problem(
                &api,
                "metadata.serviceShortName",
                "expected a string, found none",
            ));
            continue;
        };
        let dir_name = file_name(&service_dir);
        if !services.is_empty() && !services.iter().any(|s| *s == short_name || *s == dir_name) {
            continue;
        }
        let examples_path = version_dir.join("examples.json");
        if examples_path.is_file() {
            match read_object(&examples_path) {
                Ok(examples) => merge_examples(&mut spec, &examples),
                Err(problem) => {
                    problems.push(problem);
                    continue;
                }
            }
        }
        let target = out
            .join(&short_name)
            .join(format!("{}.json", file_name(&version_dir)));
        if target.is_file() {
            match read_object(&target) {
                Ok(ours) => keep_extensions(&mut spec, &ours),
                Err(problem) => {
                    problems.push(problem);
                    continue;
                }
            }
        }
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
        });
    }
    if !problems.is_empty() {
        return Err(Error::Spec(problems));
    }
    Ok(results)
}

/// Puts each action's examples from `examples.json` into `actions.<Name>.examples`.
fn merge_examples(spec: &mut Map<String, Value>, examples: &Map<String, Value>) {
    let Some(Value::Object(by_action)) = examples.get("actions") else {
        return;
    };
    let Some(Value::Object(actions)) = spec.get_mut("actions") else {
        return;
    };
    for (name, list) in by_action {
        if let Some(Value::Object(action)) = actions.get_mut(name) {
            if list.as_array().is_some_and(|l| !l.is_empty()) {
                action.insert("examples".to_owned(), list.clone());
            }
        }
    }
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

fn read_object(path: &Path) -> Result<Map<String, Value>, Problem> {
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

fn problem(path: &Path, json_path: &str, message: &str) -> Problem {
    Problem {
        file: path.to_owned(),
        line: None,
        column: None,
        json_path: json_path.to_owned(),
        message: message.to_owned(),
    }
}

fn sorted_dirs(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let entries = std::fs::read_dir(dir).map_err(|source| Error::Io {
        path: dir.to_owned(),
        source,
    })?;
    let mut dirs: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    Ok(dirs)
}
