//! `import`: the catalog's layout into ours, examples merged, our extensions kept, and a
//! second import changing nothing.

use std::path::Path;

use serde_json::{json, Value};
use tencentcloud_codegen::{import::import, Error};

fn write(path: &Path, value: &Value) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, serde_json::to_string_pretty(value).unwrap()).unwrap();
}

fn read(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn catalog(root: &Path, document: &str) {
    // The catalog names the directory `autoscaling` but the service `as`.
    write(
        &root.join("autoscaling/v20180419/api.json"),
        &json!({
            "actions": {"Z": {"document": document, "input": "ZRequest", "output": "ZResponse", "name": "z", "status": "online"},
                        "A": {"document": "a", "input": "ARequest", "output": "AResponse", "name": "a", "status": "online"}},
            "metadata": {"apiVersion": "2018-04-19", "serviceNameCN": "弹性伸缩", "serviceShortName": "as"},
            "objects": {},
            "version": "1.0"
        }),
    );
    write(
        &root.join("autoscaling/v20180419/examples.json"),
        &json!({"actions": {"Z": [{"document": "", "input": "POST / ...", "output": "{}", "title": "Example 1"}]}, "version": "1.0"}),
    );
    write(
        &root.join("cvm/v20170312/api.json"),
        &json!({"actions": {}, "metadata": {"apiVersion": "2017-03-12", "serviceShortName": "cvm"}, "objects": {}}),
    );
}

#[test]
fn imports_merges_keeps_extensions_and_is_idempotent() {
    let dir = tempfile::tempdir().unwrap();
    let (from, out) = (dir.path().join("services"), dir.path().join("api-specs"));
    catalog(&from, "old text");

    let first = import(&from, &[], &out).unwrap();
    assert_eq!(first.len(), 2);
    assert!(first.iter().all(|i| i.changed));
    let spec_path = out.join("as/v20180419.json");
    let spec = read(&spec_path);
    assert_eq!(spec["actions"]["Z"]["examples"][0]["title"], "Example 1");
    // Key order is the catalog's, not sorted.
    let actions: Vec<_> = spec["actions"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    assert_eq!(actions, ["Z", "A"]);

    // We add extensions; Tencent changes a document; a re-import keeps both.
    let mut ours = spec.clone();
    ours["metadata"]["endpoint"] = json!("as.intl.tencentcloudapi.com");
    ours["actions"]["Z"]["rateLimit"] = json!(20);
    ours["actions"]["Z"]["errorCodes"] = json!([{"code": "FailedOperation", "description": "x"}]);
    write(&spec_path, &ours);
    catalog(&from, "new text");
    let second = import(&from, &["as".to_owned()], &out).unwrap();
    assert_eq!(second.len(), 1, "--service filters by service name");
    let merged = read(&spec_path);
    assert_eq!(merged["actions"]["Z"]["document"], "new text");
    assert_eq!(merged["actions"]["Z"]["rateLimit"], 20);
    assert_eq!(
        merged["actions"]["Z"]["errorCodes"][0]["code"],
        "FailedOperation"
    );
    assert_eq!(
        merged["metadata"]["endpoint"],
        "as.intl.tencentcloudapi.com"
    );

    let bytes = std::fs::read(&spec_path).unwrap();
    let third = import(&from, &["autoscaling".to_owned()], &out).unwrap();
    assert_eq!(
        third.len(),
        1,
        "--service also takes the catalog's directory name"
    );
    assert!(!third[0].changed);
    assert_eq!(
        std::fs::read(&spec_path).unwrap(),
        bytes,
        "importing twice changes nothing"
    );
}

#[test]
fn a_broken_catalog_file_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let from = dir.path().join("services");
    std::fs::create_dir_all(from.join("cvm/v20170312")).unwrap();
    std::fs::write(from.join("cvm/v20170312/api.json"), "{\"actions\": ").unwrap();
    let error = import(&from, &[], &dir.path().join("out")).unwrap_err();
    let Error::Spec(problems) = &error else {
        panic!("{error}")
    };
    assert_eq!(problems.len(), 1);
    assert!(problems[0].file.ends_with("cvm/v20170312/api.json"));
    assert_eq!((problems[0].line, problems[0].column), (Some(1), Some(12)));
    assert_eq!(problems[0].message, "EOF while parsing a value");
}

/// A sample value of each extension key the spec format lists.
fn sample(key: &str) -> Value {
    match key {
        "errorCodes" => json!([{"code": "FailedOperation.Busy", "description": "Busy."}]),
        "rateLimit" => json!(20),
        "regions" => json!(["ap-guangzhou", "ap-shanghai-fsi"]),
        "region" => json!("required"),
        "examples" => json!([{"title": "Ours", "document": "", "input": "POST", "output": "{}"}]),
        "stream" => json!("always"),
        "octetStream" => json!({"body": "Data", "headers": {"X": "X-AS-X"}}),
        "pagination" => json!({"kind": "cursor", "input": "Context", "output": "Context"}),
        "endpoint" => json!("as.intl.tencentcloudapi.com"),
        other => panic!("no sample for the extension {other}: add one"),
    }
}

#[test]
fn every_extension_survives_a_reimport() {
    use tencentcloud_codegen::spec::{ACTION_EXTENSIONS, METADATA_EXTENSIONS};
    let dir = tempfile::tempdir().unwrap();
    let (from, out) = (dir.path().join("services"), dir.path().join("api-specs"));
    catalog(&from, "text");
    import(&from, &[], &out).unwrap();
    let spec_path = out.join("as/v20180419.json");
    let mut ours = read(&spec_path);
    // A (not Z) has no examples in the catalog, so ours are the only ones.
    for key in ACTION_EXTENSIONS {
        ours["actions"]["A"][*key] = sample(key);
    }
    for key in METADATA_EXTENSIONS {
        ours["metadata"][*key] = sample(key);
    }
    write(&spec_path, &ours);
    import(&from, &[], &out).unwrap();
    let merged = read(&spec_path);
    for key in ACTION_EXTENSIONS {
        assert_eq!(
            merged["actions"]["A"][*key],
            sample(key),
            "{key} was dropped"
        );
    }
    for key in METADATA_EXTENSIONS {
        assert_eq!(merged["metadata"][*key], sample(key), "{key} was dropped");
    }
}

/// docs/spec-format.md's extension table lists exactly the keys import keeps, and the one
/// it writes from the catalogs themselves (`sites`).
#[test]
fn the_docs_list_the_same_extensions() {
    use tencentcloud_codegen::spec::{ACTION_EXTENSIONS, METADATA_EXTENSIONS, SITES};
    let docs = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/spec-format.md"),
    )
    .unwrap();
    let table = docs
        .split("## Extensions")
        .nth(1)
        .and_then(|rest| rest.split("\n## ").next())
        .unwrap();
    let mut documented: Vec<String> = table
        .lines()
        .filter_map(|line| line.strip_prefix("| `"))
        .filter_map(|line| line.split('`').next())
        .map(str::to_owned)
        .collect();
    documented.sort();
    let mut listed: Vec<String> = ACTION_EXTENSIONS
        .iter()
        .map(|k| format!("actions.<Name>.{k}"))
        .chain(METADATA_EXTENSIONS.iter().map(|k| format!("metadata.{k}")))
        .chain([SITES.to_owned()])
        .collect();
    listed.sort();
    assert_eq!(documented, listed);
}
