//! Stage 1, parse: the JSON spec as written, Tencent's catalog format plus our extensions
//! (see docs/spec-format.md). Nothing is interpreted here; errors name the file, line,
//! column and JSON path.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Error, Problem};

/// The keys our spec format adds to an action (docs/spec-format.md, Extensions): the one
/// list `import` keeps over a re-import and the tests hold [`Action`] and the docs to.
pub const ACTION_EXTENSIONS: &[&str] = &[
    "errorCodes",
    "rateLimit",
    "regions",
    "region",
    "examples",
    "stream",
    "octetStream",
    "pagination",
];
/// The keys our spec format adds to `metadata`.
pub const METADATA_EXTENSIONS: &[&str] = &["endpoint"];
/// The key `import` writes from the catalogs themselves (never kept over a re-import):
/// which site's catalog lists a spec, an action, an object or a member.
pub const SITES: &str = "sites";

/// One of Tencent Cloud's two sites, as the `sites` extension names its catalog.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
pub enum Site {
    /// Tencent Cloud China: the `tccli` catalog, Chinese documents.
    #[serde(rename = "china")]
    China,
    /// Tencent Cloud International: the `tccli-intl-en` catalog, English documents.
    #[serde(rename = "intl")]
    International,
}

impl Site {
    /// The name a spec writes: `china` or `intl`.
    pub fn as_str(self) -> &'static str {
        match self {
            Site::China => "china",
            Site::International => "intl",
        }
    }

    /// How the generated documentation names the site's catalog.
    pub fn catalog(self) -> &'static str {
        match self {
            Site::China => "the China-site catalog",
            Site::International => "the international catalog",
        }
    }
}

/// One service version's spec, as parsed.
#[derive(Debug, Clone, Deserialize)]
pub struct Spec {
    /// Where it was read from, for error messages.
    #[serde(skip)]
    pub path: PathBuf,
    /// The catalog's format version (`1.0`).
    #[serde(default)]
    pub version: Option<String>,
    /// Service name, API version and (extension) endpoint.
    pub metadata: Metadata,
    /// Actions by name.
    #[serde(deserialize_with = "unique")]
    pub actions: BTreeMap<String, Action>,
    /// Objects (request, response and nested types) by name.
    #[serde(deserialize_with = "unique")]
    pub objects: BTreeMap<String, Object>,
}

/// What the service is.
#[derive(Debug, Clone, Deserialize)]
pub struct Metadata {
    /// `2021-03-31`.
    #[serde(rename = "apiVersion")]
    pub api_version: String,
    /// `organization`: the signing service name and the first label of the host.
    #[serde(rename = "serviceShortName")]
    pub service_short_name: String,
    /// The service's Chinese name.
    #[serde(rename = "serviceNameCN", default)]
    pub service_name_cn: Option<String>,
    /// Extension: the default endpoint host (`organization.intl.tencentcloudapi.com`);
    /// `<service>.tencentcloudapi.com` when absent (`<service>.intl.tencentcloudapi.com` for a
    /// version only the international catalog lists).
    #[serde(default)]
    pub endpoint: Option<String>,
    /// Extension (written by `import`): the catalogs that list this service version.
    #[serde(default)]
    pub sites: Option<Vec<Site>>,
}

/// One action.
#[derive(Debug, Clone, Deserialize)]
pub struct Action {
    /// What it does.
    #[serde(default)]
    pub document: String,
    /// The request object's name.
    pub input: String,
    /// The response object's name.
    pub output: String,
    /// A short human title.
    #[serde(default)]
    pub name: Option<String>,
    /// `online`, `deprecated` or `offline`.
    #[serde(default)]
    pub status: Option<String>,
    /// Sent unsigned.
    #[serde(default, deserialize_with = "flag")]
    pub skip_sign: Option<bool>,
    /// Extension: documented error codes.
    #[serde(rename = "errorCodes", default)]
    pub error_codes: Vec<ErrorCodeDoc>,
    /// Extension: requests per second allowed.
    #[serde(rename = "rateLimit", default)]
    pub rate_limit: Option<u32>,
    /// Extension: `required`, `optional` or `none`.
    #[serde(default)]
    pub region: Option<String>,
    /// Extension: the regions the action serves (`ap-guangzhou`, ...); absent means any.
    #[serde(default)]
    pub regions: Vec<String>,
    /// Extension (the catalog's examples.json, merged): worked examples.
    #[serde(default)]
    pub examples: Vec<Example>,
    /// Extension: whether the response is an event stream: `always`, `optional` (when the
    /// request's `Stream` is true) or `never`; absent, the model's rules decide.
    #[serde(default)]
    pub stream: Option<String>,
    /// Extension: the request travels as `application/octet-stream`.
    #[serde(rename = "octetStream", default)]
    pub octet_stream: Option<OctetStream>,
    /// Extension: how the action pages, where the rules cannot tell (or to say it does not).
    #[serde(default)]
    pub pagination: Option<Pagination>,
    /// Extension (written by `import`): the catalogs that list the action, where fewer
    /// than list its spec.
    #[serde(default)]
    pub sites: Option<Vec<Site>>,
}

/// How an action pages (docs/spec-format.md, Paged listings).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pagination {
    /// `offset`, `page`, `cursor` or `none`.
    pub kind: String,
    /// The response's list of items.
    #[serde(default)]
    pub items: Option<String>,
    /// The response's total count.
    #[serde(default)]
    pub total: Option<String>,
    /// A cursor's field in the request.
    #[serde(default)]
    pub input: Option<String>,
    /// A cursor's field in the response.
    #[serde(default)]
    pub output: Option<String>,
}

/// How an octet-stream action's request travels: one field's bytes as the body, the
/// request's members in headers.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OctetStream {
    /// The wire name of the field added to the request for the body's bytes.
    pub body: String,
    /// What the body is, for the field's documentation.
    #[serde(default)]
    pub document: String,
    /// Each member's header; absent, `X-<SERVICE>-<Member>` as the official SDKs send it.
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
}

/// A documented error code.
#[derive(Debug, Clone, Deserialize)]
pub struct ErrorCodeDoc {
    /// `FailedOperation.EmailAlreadyUsed`.
    pub code: String,
    /// What it means.
    #[serde(default)]
    pub description: String,
}

/// A worked example: the HTTP request and the response, as text.
#[derive(Debug, Clone, Deserialize)]
pub struct Example {
    /// A title.
    #[serde(default)]
    pub title: String,
    /// A description.
    #[serde(default)]
    pub document: String,
    /// The request as sent.
    #[serde(default)]
    pub input: String,
    /// The response.
    #[serde(default)]
    pub output: String,
}

/// A structure.
#[derive(Debug, Clone, Deserialize)]
pub struct Object {
    /// What it is.
    #[serde(default)]
    pub document: String,
    /// `object`.
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
    /// `in`, `out` or `both`: informative only; the model derives use from the actions.
    #[serde(default)]
    pub usage: Option<String>,
    /// Its fields, in order.
    #[serde(default)]
    pub members: Vec<Member>,
    /// Extension (written by `import`): the catalogs that list the object, where fewer than
    /// list its spec.
    #[serde(default)]
    pub sites: Option<Vec<Site>>,
}

/// A field.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Member {
    /// The wire name.
    pub name: String,
    /// `string`, `int`, `float`, `bool`, `list`, `object` or `binary`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The element type: a primitive name or an object's name.
    pub member: String,
    /// Required in requests.
    #[serde(default, deserialize_with = "flag")]
    pub required: Option<bool>,
    /// What it is.
    #[serde(default)]
    pub document: String,
    /// An example value.
    #[serde(default)]
    pub example: Option<serde_json::Value>,
    /// Not in use.
    #[serde(default, deserialize_with = "flag")]
    pub disabled: Option<bool>,
    /// May be null in responses.
    #[serde(default, deserialize_with = "flag")]
    pub value_allowed_null: Option<bool>,
    /// Always present in responses.
    #[serde(default, deserialize_with = "flag")]
    pub output_required: Option<bool>,
    /// Extension (written by `import`): the catalogs that list the member, where fewer
    /// than list its object.
    #[serde(default)]
    pub sites: Option<Vec<Site>>,
}

/// A map whose names must be unique. JSON allows a name twice and serde_json would keep the
/// last silently, losing the first definition; a spec with two is an error.
fn unique<'de, D, V>(deserializer: D) -> Result<BTreeMap<String, V>, D::Error>
where
    D: serde::Deserializer<'de>,
    V: Deserialize<'de>,
{
    struct Unique<V>(std::marker::PhantomData<V>);

    impl<'de, V: Deserialize<'de>> serde::de::Visitor<'de> for Unique<V> {
        type Value = BTreeMap<String, V>;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("an object of names")
        }

        fn visit_map<A: serde::de::MapAccess<'de>>(
            self,
            mut map: A,
        ) -> Result<Self::Value, A::Error> {
            let mut out = BTreeMap::new();
            while let Some(name) = map.next_key::<String>()? {
                if out.contains_key(&name) {
                    return Err(serde::de::Error::custom(format!(
                        "{name:?} appears twice; each name may be defined once"
                    )));
                }
                let value = map.next_value()?;
                out.insert(name, value);
            }
            Ok(out)
        }
    }

    deserializer.deserialize_map(Unique(std::marker::PhantomData))
}

/// A flag: `true`/`false`, or `1`/`0` as a few catalog files write it. Anything else is
/// an error, not a guess.
fn flag<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<bool>, D::Error> {
    use serde_json::Value;
    match Option::<Value>::deserialize(deserializer)? {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(b)),
        Some(Value::Number(n)) if n.as_u64() == Some(0) => Ok(Some(false)),
        Some(Value::Number(n)) if n.as_u64() == Some(1) => Ok(Some(true)),
        Some(other) => Err(serde::de::Error::custom(format!(
            "expected true, false, 0 or 1, found {other}"
        ))),
    }
}

/// The largest spec accepted: seven times the largest of Tencent's catalog (csip, 4.7 MB),
/// so that a runaway file fails at once instead of filling memory and generated source.
pub const MAX_SPEC_BYTES: u64 = 32 * 1024 * 1024;

fn too_large(path: &Path, size: u64) -> Error {
    Error::Spec(vec![Problem {
        file: path.to_owned(),
        line: None,
        column: None,
        json_path: String::new(),
        message: format!(
            "the file is {size} bytes; specs over {MAX_SPEC_BYTES} bytes (32 MiB) are refused"
        ),
    }])
}

/// Parses the spec in `bytes`, read from `path`.
pub fn parse(path: &Path, bytes: &[u8]) -> Result<Spec, Error> {
    let size = bytes.len() as u64;
    if size > MAX_SPEC_BYTES {
        return Err(too_large(path, size));
    }
    let at = |offset: usize, message: String| {
        let (line, column) = position(bytes, offset);
        Error::Spec(vec![Problem {
            file: path.to_owned(),
            line: Some(line),
            column: Some(column),
            json_path: String::new(),
            message,
        }])
    };
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        return Err(at(
            0,
            "the file starts with a UTF-8 byte order mark; save it without one".to_owned(),
        ));
    }
    if let Err(e) = std::str::from_utf8(bytes) {
        let offset = e.valid_up_to();
        return Err(at(
            offset,
            format!("invalid UTF-8 at byte {offset} (0x{:02X})", bytes[offset]),
        ));
    }
    // serde would accept a struct written as an array and then complain about its length;
    // a spec is an object, and saying so is clearer.
    let first = bytes
        .iter()
        .enumerate()
        .find(|(_, b)| !b.is_ascii_whitespace());
    if first.is_none() {
        return Err(at(
            bytes.len(),
            "the file is empty; expected a JSON object".to_owned(),
        ));
    }
    if let Some((offset, &first)) = first {
        if first != b'{' {
            return Err(at(
                offset,
                format!(
                    "expected a JSON object (`{{`) at the top level, found {:?}",
                    char::from(first)
                ),
            ));
        }
    }
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let mut spec: Spec = serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
        let inner = e.inner();
        // serde_path_to_error writes `?` for a map key it had not read yet; drop it.
        let json_path = e
            .path()
            .to_string()
            .split('.')
            .filter(|part| *part != "?")
            .collect::<Vec<_>>()
            .join(".");
        Error::Spec(vec![Problem {
            file: path.to_owned(),
            line: Some(inner.line()),
            column: Some(inner.column()),
            json_path: if json_path == "." {
                String::new()
            } else {
                json_path
            },
            message: strip_position(&inner.to_string()),
        }])
    })?;
    // Anything after the top-level object is an error, not something to ignore.
    deserializer.end().map_err(|e| {
        Error::Spec(vec![Problem {
            file: path.to_owned(),
            line: Some(e.line()),
            column: Some(e.column()),
            json_path: String::new(),
            message: format!(
                "{} after the spec's closing `}}`",
                strip_position(&e.to_string())
            ),
        }])
    })?;
    spec.path = path.to_owned();
    Ok(spec)
}

/// Reads and parses the spec at `path`.
pub fn read(path: &Path) -> Result<Spec, Error> {
    let io = |source| Error::Io {
        path: path.to_owned(),
        source,
    };
    let size = std::fs::metadata(path).map_err(io)?.len();
    if size > MAX_SPEC_BYTES {
        return Err(too_large(path, size));
    }
    let bytes = std::fs::read(path).map_err(io)?;
    parse(path, &bytes)
}

/// 1-based line and column (in characters) of a byte offset.
fn position(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = &bytes[..offset];
    let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    let column = 1 + String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count();
    (line, column)
}

/// serde_json appends " at line L column C"; the problem carries those separately.
pub(crate) fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(at) => message[..at].to_owned(),
        None => message.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A spec whose one action carries `extra` keys.
    fn with_action_keys(extra: &str) -> Spec {
        let text = format!(
            r#"{{"metadata": {{"apiVersion": "2020-01-01", "serviceShortName": "demo"}},
                "actions": {{"Do": {{"input": "DoRequest", "output": "DoResponse"{extra}}}}},
                "objects": {{}}}}"#
        );
        parse(Path::new("demo.json"), text.as_bytes()).unwrap()
    }

    /// Every listed action extension is a key the reader knows: set, it changes `Action`.
    #[test]
    fn every_listed_extension_is_read() {
        let plain = format!("{:?}", with_action_keys("").actions["Do"]);
        for key in ACTION_EXTENSIONS {
            let value = match *key {
                "errorCodes" => r#"[{"code": "FailedOperation.X", "description": "x"}]"#,
                "rateLimit" => "20",
                "regions" => r#"["ap-guangzhou"]"#,
                "region" => r#""required""#,
                "examples" => r#"[{"title": "t", "input": "i", "output": "o"}]"#,
                "stream" => r#""always""#,
                "octetStream" => r#"{"body": "Data"}"#,
                "pagination" => r#"{"kind": "none"}"#,
                other => panic!("no sample value for the extension {other}: add one here"),
            };
            let set = with_action_keys(&format!(r#", "{key}": {value}"#));
            assert_ne!(
                format!("{:?}", set.actions["Do"]),
                plain,
                "{key} is not read"
            );
        }
        let endpoint = r#"{"metadata": {"apiVersion": "2020-01-01", "serviceShortName": "demo", "endpoint": "demo.intl.tencentcloudapi.com"}, "actions": {}, "objects": {}}"#;
        let spec = parse(Path::new("demo.json"), endpoint.as_bytes()).unwrap();
        assert_eq!(METADATA_EXTENSIONS, ["endpoint"]);
        assert!(spec.metadata.endpoint.is_some());
    }
}
