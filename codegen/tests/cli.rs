//! The command line: generate writes the tree, check passes on it and fails, naming the
//! file, once a spec changes; bad specs exit 1 with every problem.

mod binary;

use binary::{codegen, text};

use std::path::{Path, PathBuf};

fn organization() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../api-specs/organization/v20210331.json")
}

#[test]
fn generate_then_check_then_drift() {
    let dir = tempfile::tempdir().unwrap();
    let specs = dir.path().join("specs/organization");
    std::fs::create_dir_all(&specs).unwrap();
    let spec = specs.join("v20210331.json");
    std::fs::copy(organization(), &spec).unwrap();
    let out = dir.path().join("src/generated");
    let (out_s, specs_s) = (out.to_str().unwrap(), dir.path().join("specs"));
    let specs_s = specs_s.to_str().unwrap();

    let generated = codegen(&["generate", "--out", out_s, specs_s]);
    assert!(generated.status.success(), "{}", text(&generated.stderr));
    assert_eq!(
        text(&generated.stdout),
        format!("wrote 3 files to {out_s}\n")
    );
    for file in ["mod.rs", "organization/mod.rs", "organization/v20210331.rs"] {
        assert!(out.join(file).is_file(), "{file}");
    }
    let checked = codegen(&["check", "--out", out_s, specs_s]);
    assert_eq!(checked.status.code(), Some(0), "{}", text(&checked.stderr));

    // Tencent changes a document: check names the stale file and exits 1.
    let changed = std::fs::read_to_string(&spec).unwrap().replace(
        "This API is used to modify the mailbox of a bound member.",
        "Changed.",
    );
    std::fs::write(&spec, changed).unwrap();
    let checked = codegen(&["check", "--out", out_s, specs_s]);
    assert_eq!(checked.status.code(), Some(1));
    let stale = out.join("organization/v20210331.rs");
    assert_eq!(
        text(&checked.stderr),
        format!(
            "out of date: {}\n1 file(s) out of date; run `tencentcloud-codegen generate`\n",
            stale.display()
        )
    );
    // A generated file no spec produces any more is stale too.
    std::fs::write(out.join("organization/v20180101.rs"), "// old").unwrap();
    let checked = codegen(&["check", "--out", out_s, specs_s]);
    assert!(text(&checked.stderr).contains("organization/v20180101.rs"));
}

#[test]
fn bad_specs_exit_1_with_every_problem() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("broken.json");
    std::fs::write(
        &spec,
        r#"{"metadata": {"apiVersion": "2021", "serviceShortName": "Bad Name"},
            "actions": {"Go": {"input": "Missing", "output": "Out"}},
            "objects": {"Out": {"members": [{"name": "X", "type": "list", "member": ""}]}}}"#,
    )
    .unwrap();
    let out = dir.path().join("out");
    let result = codegen(&[
        "generate",
        "--out",
        out.to_str().unwrap(),
        spec.to_str().unwrap(),
    ]);
    assert_eq!(result.status.code(), Some(1));
    let file = spec.display();
    assert_eq!(
        text(&result.stderr),
        format!(
            "error: 4 problems in specs:\n  \
             {file}: metadata.serviceShortName: expected lower-case letters and digits starting with a letter, found \"Bad Name\"\n  \
             {file}: metadata.apiVersion: expected a date such as 2021-03-31, found \"2021\"\n  \
             {file}: actions.Go.input: no object named \"Missing\" in `objects`\n  \
             {file}: objects.Out.members[0].member: `list` needs an element type in `member`, found none\n"
        )
    );
    assert!(!out.exists(), "nothing written");
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(codegen(&[]).status.code(), Some(2));
    assert_eq!(codegen(&["generate", "x.json"]).status.code(), Some(2));
    let unknown = codegen(&["frobnicate", "--out", "o", "x.json"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(text(&unknown.stderr).starts_with("error: unknown command frobnicate"));
}

#[test]
fn response_checks_list_every_json_example_answer_and_count_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let specs = dir.path().join("specs/organization");
    std::fs::create_dir_all(&specs).unwrap();
    let mut spec: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(organization()).unwrap()).unwrap();
    let actions = spec["actions"].as_object_mut().unwrap();
    let (mut json, mut not_json) = (0, 0);
    for action in actions.values() {
        for example in action["examples"].as_array().into_iter().flatten() {
            let output = example["output"].as_str().unwrap_or_default();
            if serde_json::from_str::<serde_json::Value>(output).is_ok() {
                json += 1;
            } else {
                not_json += 1;
            }
        }
    }
    // One more example that is not JSON at all.
    actions["DescribeOrganization"]["examples"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({"title": "broken", "output": "<html>"}));
    not_json += 1;
    std::fs::write(specs.join("v20210331.json"), spec.to_string()).unwrap();
    // A service without a single example (the catalog's cdz): its block names no types,
    // which would be an unused import.
    let bare = dir.path().join("specs/bare");
    std::fs::create_dir_all(&bare).unwrap();
    std::fs::write(
        bare.join("v20200101.json"),
        r#"{"metadata": {"apiVersion": "2020-01-01", "serviceShortName": "bare"},
            "actions": {"Do": {"input": "DoRequest", "output": "DoResponse"}},
            "objects": {"DoRequest": {"members": []},
                        "DoResponse": {"members": [{"name": "RequestId", "type": "string", "member": "string"}]}}}"#,
    )
    .unwrap();
    // A service whose examples' requests are JSON and whose answers are not (the catalog's
    // tmt): only the request checks, which need `serde`, name its types.
    let requests_only = dir.path().join("specs/reqonly");
    std::fs::create_dir_all(&requests_only).unwrap();
    std::fs::write(
        requests_only.join("v20200101.json"),
        r#"{"metadata": {"apiVersion": "2020-01-01", "serviceShortName": "reqonly"},
            "actions": {"Do": {"input": "DoRequest", "output": "DoResponse",
                "examples": [{"title": "t", "input": "POST / HTTP/1.1\n\n{}", "output": "not JSON"}]}},
            "objects": {"DoRequest": {"members": []},
                        "DoResponse": {"members": [{"name": "RequestId", "type": "string", "member": "string"}]}}}"#,
    )
    .unwrap();
    let out = dir.path().join("generated");
    let generated = codegen(&[
        "generate",
        "--features",
        "--response-checks",
        "--out",
        out.to_str().unwrap(),
        dir.path().join("specs").to_str().unwrap(),
    ]);
    assert!(generated.status.success(), "{}", text(&generated.stderr));
    let checks = std::fs::read_to_string(out.join("response_checks.rs")).unwrap();
    assert_eq!(checks.matches(".check::<").count(), json);
    assert!(checks.contains(&format!(
        "report.service(\"organization\", \"2021-03-31\", {not_json}usize)"
    )));
    assert!(checks.contains("v20210331::DescribeOrganizationResponse,"));
    assert!(checks.contains("report.service(\"bare\", \"2020-01-01\", 0usize)"));
    assert!(!checks.contains("use super::bare::"), "{checks}");
    assert!(
        checks.contains("#[cfg(feature = \"serde\")]\n        use super::reqonly::v20200101;"),
        "{checks}"
    );
    let tree = std::fs::read_to_string(out.join("mod.rs")).unwrap();
    assert!(
        tree.contains("#[doc(hidden)]\npub mod response_checks;"),
        "{tree}"
    );
}
