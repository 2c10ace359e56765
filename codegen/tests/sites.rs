//! The merged catalog of both sites in `api-specs/`: what each site's catalog lists (the
//! figures docs/spec-format.md gives), what the generated code says of it, the hosts of
//! services one site alone lists, and the China catalog's streams and uploads from
//! `api-specs/` alone; and the merging import end to end on two tiny catalogs.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{json, Value};
use tencentcloud_codegen::Builder;

fn api_specs() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../api-specs")
}

/// The generated source of one spec file of `api-specs/`.
fn rendered(spec: &str) -> String {
    let files = Builder::new()
        .spec(api_specs().join(spec))
        .render()
        .unwrap();
    let version = Path::new(spec)
        .file_stem()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    let file = files
        .into_iter()
        .find(|f| f.path.ends_with(&format!("{version}.rs")));
    file.unwrap().contents
}

#[test]
fn api_specs_hold_every_action_of_both_catalogs_as_the_docs_count_them() {
    // sites → (service versions, actions)
    let mut counts: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for service in std::fs::read_dir(api_specs()).unwrap() {
        for version in std::fs::read_dir(service.unwrap().path()).unwrap() {
            let text = std::fs::read_to_string(version.unwrap().path()).unwrap();
            let spec: Value = serde_json::from_str(&text).unwrap();
            let sites = &spec["metadata"]["sites"];
            counts.entry(sites.to_string()).or_default().0 += 1;
            for action in spec["actions"].as_object().unwrap().values() {
                let listed = action.get("sites").unwrap_or(sites);
                counts.entry(listed.to_string()).or_default().1 += 1;
            }
        }
    }
    let expected: BTreeMap<String, (usize, usize)> = [
        (r#"["china","intl"]"#.to_owned(), (145, 8818)),
        (r#"["china"]"#.to_owned(), (155, 7386)),
        (r#"["intl"]"#.to_owned(), (15, 860)),
    ]
    .into();
    assert_eq!(counts, expected);
}

#[test]
fn the_docs_say_what_one_site_alone_lists_and_such_services_reach_that_site() {
    let tcb = rendered("tcb/v20180608.json");
    assert!(
        tcb.contains("\"tcb.tencentcloudapi.com\""),
        "the China site's host"
    );
    assert!(tcb.contains("/// Listed in the China-site catalog only."));

    let dms = rendered("dms/v20200819.json");
    assert!(
        dms.contains("\"dms.intl.tencentcloudapi.com\""),
        "the international site's host"
    );
    assert!(dms.contains("Listed in the international catalog only."));

    // A version both list: only what one site alone lists carries the note.
    let cvm = rendered("cvm/v20170312.json");
    assert!(cvm.contains("\"cvm.tencentcloudapi.com\""));
    let method = |name: &str| {
        let at = cvm.find(&format!("pub fn {name}(")).unwrap();
        let start = cvm[..at].rfind("\n    }\n").unwrap();
        cvm[start..at].to_owned()
    };
    assert!(method("create_hpc_cluster").contains("Listed in the China-site catalog only."));
    assert!(!method("run_instances").contains("Listed in"));
}

#[test]
fn the_china_catalog_streams_and_uploads_come_from_api_specs_alone() {
    let hunyuan = rendered("hunyuan/v20230901.json");
    for method in [
        "chat_completions_stream",
        "chat_translations_stream",
        "group_chat_completions_stream",
        "image_question_stream",
        "run_thread_stream",
    ] {
        assert!(
            hunyuan.contains(&format!("pub fn {method}(")),
            "hunyuan has {method}"
        );
    }
    let cii = rendered("cii/v20210408.json");
    for request in ["UploadMedicalFileRequest", "DescribeQualityScoreRequest"] {
        let at = cii.find(&format!("pub struct {request} {{")).unwrap();
        let body = &cii[at..at + cii[at..].find("\n}").unwrap()];
        assert!(
            body.contains("::tencentcloud_runtime::Binary"),
            "{request} has a file field"
        );
    }
    assert_eq!(
        cii.matches("Sent as `multipart/form-data`").count(),
        2,
        "both uploads are multipart"
    );
    // The China-site actions the Go SDK reads as streams, marked in api-specs/.
    for (spec, method) in [
        ("dataagent/v20250513.json", "chat_ai_stream"),
        ("tdai/v20250717.json", "create_chat_completion_stream"),
        ("waf/v20180125.json", "generate_llm_sec_answer_stream"),
    ] {
        assert!(
            rendered(spec).contains(&format!("pub fn {method}(")),
            "{spec}: {method}"
        );
    }
}

fn write(path: &Path, value: &Value) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, serde_json::to_string_pretty(value).unwrap()).unwrap();
}

/// One catalog of one service version: actions `Do` and `extra`, `DoRequest` with `members`.
fn catalog(root: &Path, document: &str, extra: &str, members: Value) {
    write(
        &root.join("demo/v20200101/api.json"),
        &json!({
            "actions": {
                "Do": {"document": document, "input": "DoRequest", "output": "DoResponse", "name": document, "status": "online"},
                extra: {"document": document, "input": "DoRequest", "output": "DoResponse", "name": extra, "status": "online"}
            },
            "metadata": {"apiVersion": "2020-01-01", "serviceShortName": "demo", "serviceNameCN": document},
            "objects": {
                "DoRequest": {"document": "", "members": members, "type": "object"},
                "DoResponse": {"document": "", "members": [{"name": "RequestId", "type": "string", "member": "string", "document": ""}], "type": "object"}
            },
            "version": "1.0"
        }),
    );
}

fn import(intl: &Path, china: &Path, out: &Path) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_tencentcloud-codegen"))
        .arg("import")
        .arg("--intl")
        .arg(intl)
        .arg("--china")
        .arg(china)
        .arg("--out")
        .arg(out)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn the_merging_import_lists_its_type_conflicts_and_changes_nothing_the_second_time() {
    let dir = tempfile::tempdir().unwrap();
    let (intl, china, out) = (
        dir.path().join("intl"),
        dir.path().join("china"),
        dir.path().join("api-specs"),
    );
    catalog(
        &intl,
        "Do it.",
        "IntlOnly",
        json!([{"name": "Seconds", "type": "int", "member": "uint64", "required": true, "document": ""}]),
    );
    catalog(
        &china,
        "做",
        "ChinaOnly",
        json!([{"name": "Seconds", "type": "int", "member": "int64", "document": ""}]),
    );
    write(
        &china.join("tcb/v20180608/api.json"),
        &json!({"actions": {}, "metadata": {"apiVersion": "2018-06-08", "serviceShortName": "tcb"}, "objects": {}}),
    );
    let first = import(&intl, &china, &out);
    assert_eq!(
        first,
        format!(
            "type conflict: {}: DoRequest.Seconds: international int/uint64, China int/int64: kept the international int/uint64 (sent in a request: the China site gets the international type)\n\
             imported 2 service versions into {} (2 changed)\n\
             service versions listed by both catalogs: 1, the international only: 0, the China-site only: 1; 1 type conflict(s)\n",
            out.join("demo/v20200101.json").display(),
            out.display()
        )
    );
    let spec: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("demo/v20200101.json")).unwrap())
            .unwrap();
    assert_eq!(spec["actions"]["Do"]["document"], "Do it.");
    assert_eq!(spec["actions"]["ChinaOnly"]["sites"], json!(["china"]));
    assert_eq!(spec["actions"]["IntlOnly"]["sites"], json!(["intl"]));
    assert_eq!(
        spec["objects"]["DoRequest"]["members"][0]["required"],
        false
    );
    let tcb: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("tcb/v20180608.json")).unwrap())
            .unwrap();
    assert_eq!(tcb["metadata"]["sites"], json!(["china"]));

    let again = import(&intl, &china, &out);
    assert!(again.contains("(0 changed)"), "{again}");
}

#[test]
fn one_sites_catalog_alone_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_tencentcloud-codegen"))
        .args(["import", "--intl"])
        .arg(dir.path())
        .arg("--out")
        .arg(dir.path().join("api-specs"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--intl and --china go together"));
    assert!(!dir.path().join("api-specs").exists(), "nothing written");
}

#[test]
fn one_catalog_giving_a_service_version_twice_is_a_problem_naming_both_files() {
    let dir = tempfile::tempdir().unwrap();
    let (intl, china, out) = (
        dir.path().join("intl"),
        dir.path().join("china"),
        dir.path().join("api-specs"),
    );
    catalog(&intl, "Do it.", "IntlOnly", json!([]));
    catalog(&china, "做", "ChinaOnly", json!([]));
    // A second directory of the China catalog names the same service and version.
    std::fs::create_dir_all(china.join("demo2")).unwrap();
    std::fs::rename(china.join("demo/v20200101"), china.join("demo2/v20200101")).unwrap();
    catalog(&china, "做", "ChinaOnly", json!([]));
    let output = Command::new(env!("CARGO_BIN_EXE_tencentcloud-codegen"))
        .arg("import")
        .arg("--intl")
        .arg(&intl)
        .arg("--china")
        .arg(&china)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "{stderr}");
    assert!(
        stderr.contains("demo v20200101 is given more than once by one catalog")
            && stderr.contains(&china.join("demo/v20200101/api.json").display().to_string())
            && stderr.contains(&china.join("demo2/v20200101/api.json").display().to_string()),
        "{stderr}"
    );
    assert!(!out.join("demo").exists(), "nothing written");
}

#[test]
fn each_actions_parts_sit_together_in_the_generated_source() {
    let source = rendered("organization/v20210331.json");
    let spec: Value = serde_json::from_str(
        &std::fs::read_to_string(api_specs().join("organization/v20210331.json")).unwrap(),
    )
    .unwrap();
    let at = |needle: String| {
        source
            .find(&needle)
            .unwrap_or_else(|| panic!("{needle} is not in the source"))
    };
    let mut starts = Vec::new();
    for (name, action) in spec["actions"].as_object().unwrap() {
        let request = action["input"].as_str().unwrap();
        let response = action["output"].as_str().unwrap();
        // Its request, response, error enum, future and `Operation`, in that order.
        let parts = [
            at(format!("pub struct {request} {{")),
            at(format!("pub struct {response} {{")),
            at(format!("pub enum {name}Error {{")),
            at(format!("pub struct {name}Future(")),
            at(format!("const ACTION: &'static str = \"{name}\";")),
        ];
        assert!(parts.windows(2).all(|w| w[0] < w[1]), "{name}: {parts:?}");
        starts.push((parts[0], parts[4], name.clone()));
    }
    // No other action's part between them.
    starts.sort();
    for pair in starts.windows(2) {
        assert!(
            pair[0].1 < pair[1].0,
            "{} and {} interleave",
            pair[0].2,
            pair[1].2
        );
    }
}
