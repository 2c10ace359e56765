//! The first stage of `import`: one of Tencent's catalogs as its command-line tool ships it
//! (`tccli/services/<service>/<version>/api.json`, with `examples.json` beside it), each
//! service version's spec with its examples merged into `actions.<Name>.examples`.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::{problem, read_object, sorted_dirs};
use crate::error::{Error, Problem};
use crate::file_name;

/// One service version of a catalog.
#[derive(Debug, Clone)]
pub struct Found {
    /// Its `metadata.serviceShortName` (`as`, where the catalog's directory says
    /// `autoscaling`): the directory it is written to.
    pub service: String,
    /// Its version directory's name (`v20180419`).
    pub version: String,
    /// The spec, examples merged, as published otherwise.
    pub spec: Map<String, Value>,
    /// Its `api.json`, for problems that name it.
    pub path: PathBuf,
}

/// Every service version under `dir` that `wanted` accepts (by service name or directory),
/// in name order; a file that cannot be read is a problem, and the rest are still read.
pub fn read(
    dir: &Path,
    wanted: &dyn Fn(&[&str]) -> bool,
    problems: &mut Vec<Problem>,
) -> Result<Vec<Found>, Error> {
    let mut found = Vec::new();
    for service_dir in sorted_dirs(dir)? {
        for version_dir in sorted_dirs(&service_dir)? {
            let api = version_dir.join("api.json");
            if !api.is_file() {
                continue;
            }
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
            let Some(service) = short_name else {
                problems.push(problem(
                    &api,
                    "metadata.serviceShortName",
                    "expected a string, found none",
                ));
                continue;
            };
            if !wanted(&[&service, &file_name(&service_dir)]) {
                continue;
            }
            let examples_path = version_dir.join("examples.json");
            if examples_path.is_file() {
                match read_object(&examples_path) {
                    Ok(examples) => merge_examples(&mut spec, examples),
                    Err(problem) => {
                        problems.push(problem);
                        continue;
                    }
                }
            }
            found.push(Found {
                service,
                version: file_name(&version_dir),
                spec,
                path: api,
            });
        }
    }
    Ok(found)
}

/// Puts each action's examples from `examples.json` into `actions.<Name>.examples`.
fn merge_examples(spec: &mut Map<String, Value>, mut examples: Map<String, Value>) {
    let Some(Value::Object(by_action)) = examples.remove("actions") else {
        return;
    };
    let Some(Value::Object(actions)) = spec.get_mut("actions") else {
        return;
    };
    for (name, list) in by_action {
        if let Some(Value::Object(action)) = actions.get_mut(&name) {
            if list.as_array().is_some_and(|l| !l.is_empty()) {
                action.insert("examples".to_owned(), list);
            }
        }
    }
}
