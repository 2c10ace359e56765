//! A build script over a bad spec: Cargo reports a failed build with every problem (file,
//! line, JSON path, message), and no panic or backtrace. This builds a real crate that uses
//! the generator from its build.rs, as users do.

mod common;

const BAD_SPEC: &str = r#"{
  "metadata": {"apiVersion": "2020-01-01", "serviceShortName": "demo"},
  "actions": {"DescribeThings": {"input": "DescribeThingsRequest", "output": "Missing", "status": "beta"}},
  "objects": {"DescribeThingsRequest": {"members": [{"name": "Limit", "type": "int", "member": "int64"}]}}
}
"#;

#[test]
fn a_bad_spec_fails_the_build_with_its_problems_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let output = common::cargo_crate(
        dir.path(),
        "uses-codegen",
        &format!(
            "[build-dependencies]\ntencentcloud-codegen = {}\n",
            common::path_dependency("codegen", &[])
        ),
        &[
            (
                "build.rs",
                "fn main() {\n    tencentcloud_codegen::Builder::new().spec_dir(\"specs\").build_script();\n}\n",
            ),
            ("src/lib.rs", "include!(concat!(env!(\"OUT_DIR\"), \"/mod.rs\"));\n"),
            ("specs/demo/v20200101.json", BAD_SPEC),
        ],
        "build",
        "",
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "the build passed:\n{stderr}");
    assert!(
        stderr.contains("failed to run custom build command for `uses-codegen"),
        "{stderr}"
    );
    for problem in [
        "tencentcloud-codegen: 2 problems in specs:",
        "specs/demo/v20200101.json: actions.DescribeThings.output: no object named \"Missing\" in `objects`",
        "specs/demo/v20200101.json: actions.DescribeThings.status: expected one of online, deprecated, offline, found \"beta\"",
    ] {
        assert!(stderr.contains(problem), "missing {problem:?} in:\n{stderr}");
    }
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!stderr.contains("RUST_BACKTRACE"), "{stderr}");
}
