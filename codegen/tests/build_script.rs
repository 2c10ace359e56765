//! A build script over a bad spec: Cargo reports a failed build with every problem (file,
//! line, JSON path, message), and no panic or backtrace. This builds a real crate that uses
//! the generator from its build.rs, as users do.

use std::path::Path;
use std::process::Command;

const BAD_SPEC: &str = r#"{
  "metadata": {"apiVersion": "2020-01-01", "serviceShortName": "demo"},
  "actions": {"DescribeThings": {"input": "DescribeThingsRequest", "output": "Missing", "status": "beta"}},
  "objects": {"DescribeThingsRequest": {"members": [{"name": "Limit", "type": "int", "member": "int64"}]}}
}
"#;

#[test]
fn a_bad_spec_fails_the_build_with_its_problems_not_a_panic() {
    let codegen = Path::new(env!("CARGO_MANIFEST_DIR"));
    let workspace = codegen.parent().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(
        root.join("Cargo.toml"),
        format!(
            "[package]\nname = \"uses-codegen\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\n[workspace]\n\n[build-dependencies]\ntencentcloud-codegen = {{ path = {:?} }}\n",
            codegen.to_str().unwrap()
        ),
    )
    .unwrap();
    // The workspace's lock file, so the build needs nothing that is not already fetched.
    std::fs::copy(workspace.join("Cargo.lock"), root.join("Cargo.lock")).unwrap();
    std::fs::write(
        root.join("build.rs"),
        "fn main() {\n    tencentcloud_codegen::Builder::new().spec_dir(\"specs\").build_script();\n}\n",
    )
    .unwrap();
    std::fs::create_dir_all(root.join("src")).unwrap();
    std::fs::write(
        root.join("src/lib.rs"),
        "include!(concat!(env!(\"OUT_DIR\"), \"/mod.rs\"));\n",
    )
    .unwrap();
    std::fs::create_dir_all(root.join("specs/demo")).unwrap();
    std::fs::write(root.join("specs/demo/v20200101.json"), BAD_SPEC).unwrap();

    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .args(["build", "--offline", "--quiet"])
        .current_dir(root)
        // Its own target directory: the outer cargo may still hold the workspace's.
        .env(
            "CARGO_TARGET_DIR",
            workspace.join("target/build-script-test"),
        )
        .env_remove("RUSTFLAGS")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "the build passed:\n{stderr}");
    assert!(
        stderr.contains("failed to run custom build command for `uses-codegen"),
        "{stderr}"
    );
    for problem in [
        "tencentcloud-codegen: 2 problems in specs:",
        "specs/demo/v20200101.json: actions.DescribeThings.output: no object named \"Missing\" in `objects`",
        "specs/demo/v20200101.json: actions.DescribeThings.status: expected online or deprecated, found \"beta\"",
    ] {
        assert!(stderr.contains(problem), "missing {problem:?} in:\n{stderr}");
    }
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!stderr.contains("RUST_BACKTRACE"), "{stderr}");
}
