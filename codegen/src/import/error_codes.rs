//! Reads the error codes each action may return from an official Go SDK's source tree
//! (TencentCloud/tencentcloud-sdk-go-intl-en, English, or TencentCloud/tencentcloud-sdk-go,
//! Chinese). Tencent's catalog has no codes; the Go SDK lists them per service version in
//! `tencentcloud/<service>/<version>/client.go`, in the comment above each action's method,
//! and describes each code in `errors.go` beside it:
//!
//! ```text
//! // error code that may be returned:          (Chinese SDK: "可能返回的错误码:")
//! //  INVALIDIMAGEID_NOTFOUND = "InvalidImageId.NotFound"
//! func (c *Client) RunInstances(request *RunInstancesRequest) (...)
//!
//! // errors.go
//! // The image was not found.
//! INVALIDIMAGEID_NOTFOUND = "InvalidImageId.NotFound"
//! ```
//!
//! Each action has two methods with the same list, `RunInstances` and its twin
//! `RunInstancesWithContext(ctx context.Context, ...)`; both are read as the one action.
//! This module only reads; `import` merges what it reads into specs.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::{Error, Problem};

/// The line that opens an action's code list, in the English and the Chinese SDK.
const LIST_HEADINGS: &[&str] = &["error code that may be returned:", "可能返回的错误码:"];
/// The start of a client method.
const METHOD_PREFIX: &str = "func (c *Client) ";
/// The suffix of the context-taking twin of every method.
const CONTEXT_TWIN: &str = "WithContext";

/// One Go SDK source tree, read one service version at a time.
#[derive(Debug, Clone)]
pub struct GoSdk {
    /// The `tencentcloud/` directory, holding `<service>/<version>/`.
    root: PathBuf,
}

/// The codes of one service version, as one Go SDK lists them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServiceCodes {
    /// Each action's codes, in the order the SDK lists them (each once).
    pub actions: BTreeMap<String, Vec<String>>,
    /// Each code's description from `errors.go`; a code without one is absent.
    pub descriptions: BTreeMap<String, String>,
}

impl GoSdk {
    /// The SDK at `dir`: a checkout (holding `tencentcloud/`) or its `tencentcloud/`
    /// directory itself.
    pub fn open(dir: &Path) -> Result<Self, Error> {
        let nested = dir.join("tencentcloud");
        let root = if nested.is_dir() {
            nested
        } else {
            dir.to_owned()
        };
        // Fail here, naming the directory, rather than finding no codes anywhere.
        std::fs::read_dir(&root).map_err(|source| Error::Io {
            path: root.clone(),
            source,
        })?;
        Ok(Self { root })
    }

    /// The codes of `service` at `version` (`cvm`, `v20170312`), or `None` when this SDK
    /// has no such service version.
    pub fn service(&self, service: &str, version: &str) -> Result<Option<ServiceCodes>, Error> {
        let dir = self.root.join(service).join(version);
        let client = dir.join("client.go");
        if !client.is_file() {
            return Ok(None);
        }
        let actions = action_codes(&client, &read(&client)?)?;
        let errors = dir.join("errors.go");
        let descriptions = if errors.is_file() {
            descriptions(&read(&errors)?)
        } else {
            BTreeMap::new()
        };
        Ok(Some(ServiceCodes {
            actions,
            descriptions,
        }))
    }
}

fn read(path: &Path) -> Result<String, Error> {
    std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.to_owned(),
        source,
    })
}

/// The text of a `//` comment line, or `None` for any other line.
fn comment(line: &str) -> Option<&str> {
    line.trim_start().strip_prefix("//")
}

/// `NAME = "Code"` (as the code lists and `errors.go` write a constant): the code.
fn constant(text: &str) -> Option<&str> {
    let (name, value) = text.split_once('=')?;
    let name = name.trim();
    let code = value.trim().strip_prefix('"')?.strip_suffix('"')?;
    let is_name = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
    (is_name && !code.is_empty()).then_some(code)
}

/// The action a `func (c *Client) ...` line defines: the method's name, with the
/// `WithContext` twin read as its action.
fn method_action(line: &str) -> Option<&str> {
    let rest = line.strip_prefix(METHOD_PREFIX)?;
    let (name, params) = rest.split_once('(')?;
    let twin = params.trim_start().starts_with("ctx context.Context");
    Some(match name.strip_suffix(CONTEXT_TWIN) {
        Some(action) if twin => action,
        _ => name,
    })
}

/// Each action's codes from `client.go`. A line inside a code list that is not a
/// `NAME = "Code"` constant is reported with its line number.
fn action_codes(path: &Path, text: &str) -> Result<BTreeMap<String, Vec<String>>, Error> {
    let mut actions: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut problems = Vec::new();
    // The codes listed in the comment block being read, and whether the list goes on.
    let mut pending: Option<Vec<String>> = None;
    let mut in_list = false;
    for (index, line) in text.lines().enumerate() {
        if let Some(body) = comment(line) {
            let body_trimmed = body.trim();
            if LIST_HEADINGS.contains(&body_trimmed) {
                pending = Some(Vec::new());
                in_list = true;
            } else if in_list && body.starts_with(char::is_whitespace) && !body_trimmed.is_empty() {
                match (constant(body_trimmed), pending.as_mut()) {
                    (Some(code), Some(codes)) => codes.push(code.to_owned()),
                    _ => problems.push(Problem {
                        file: path.to_owned(),
                        line: Some(index + 1),
                        column: None,
                        json_path: String::new(),
                        message: format!(
                            "expected NAME = \"Code\" in an error code list, found {body_trimmed:?}"
                        ),
                    }),
                }
            } else {
                in_list = false;
            }
            continue;
        }
        in_list = false;
        if let (Some(action), Some(codes)) = (method_action(line), pending.take()) {
            let known = actions.entry(action.to_owned()).or_default();
            for code in codes {
                if !known.contains(&code) {
                    known.push(code);
                }
            }
        }
        pending = None;
    }
    if problems.is_empty() {
        Ok(actions)
    } else {
        Err(Error::GoSource(problems))
    }
}

/// Each code's description from `errors.go`: the comment lines right above its constant,
/// joined by spaces. A constant with no comment above it has no description.
fn descriptions(text: &str) -> BTreeMap<String, String> {
    let mut found = BTreeMap::new();
    let mut lines: Vec<&str> = Vec::new();
    for line in text.lines() {
        if let Some(body) = comment(line) {
            lines.push(body.trim());
            continue;
        }
        if let Some(code) = constant(line.trim()) {
            let description = lines
                .iter()
                .filter(|l| !l.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(" ");
            if !description.is_empty() {
                found.entry(code.to_owned()).or_insert(description);
            }
        }
        lines.clear();
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constants_and_methods_are_recognised() {
        assert_eq!(constant(r#"FOO_BAR2 = "Foo.Bar2""#), Some("Foo.Bar2"));
        assert_eq!(constant(r#"foo = "Foo""#), None);
        assert_eq!(constant(r#"FOO = Foo"#), None);
        assert_eq!(
            method_action("func (c *Client) RunInstances(request *RunInstancesRequest) (x)"),
            Some("RunInstances")
        );
        assert_eq!(
            method_action(
                "func (c *Client) RunInstancesWithContext(ctx context.Context, request *R)"
            ),
            Some("RunInstances")
        );
        // An action whose own name ends in WithContext keeps it.
        assert_eq!(
            method_action("func (c *Client) ShareWithContext(request *R)"),
            Some("ShareWithContext")
        );
    }
}
