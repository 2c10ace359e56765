//! The bad-spec corpus (tests/bad-specs/): every file is refused with exactly the problems
//! of its `.expected` file, by the library and by the CLI (exit code 1), never by a panic.
//! Two more cases are made at run time rather than committed: a 50 MB file and one nested
//! 100,000 deep.
//!
//! After changing a message on purpose: `BLESS=1 cargo test -p tencentcloud-codegen --test
//! bad_specs`, then review `git diff codegen/tests/bad-specs`.

use std::path::{Path, PathBuf};
use std::process::Command;

use tencentcloud_codegen::{Builder, Error};

/// The problems the library reports for `spec`, one line each.
fn problems(spec: &Path) -> Vec<String> {
    let out = tempfile::tempdir().unwrap();
    match Builder::new().spec(spec).out_dir(out.path()).render() {
        Err(Error::Spec(problems)) => problems.iter().map(ToString::to_string).collect(),
        Err(other) => panic!("{}: not a spec error: {other}", spec.display()),
        Ok(_) => panic!("{}: accepted", spec.display()),
    }
}

/// What the CLI prints for `spec`, after checking that it exits with 1.
fn cli(spec: &Path) -> String {
    let out = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_tencentcloud-codegen"))
        .args(["generate", "--out"])
        .arg(out.path())
        .arg(spec)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}: {stderr}",
        spec.display()
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr
}

fn corpus() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir("tests/bad-specs")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .map(|p| {
            p.strip_prefix(std::env::current_dir().unwrap())
                .map(Path::to_path_buf)
                .unwrap_or(p)
        })
        .collect();
    files.sort();
    files
}

#[test]
fn every_bad_spec_is_refused_with_its_exact_problems() {
    let files = corpus();
    assert!(files.len() >= 30, "the corpus has {} files", files.len());
    let bless = std::env::var_os("BLESS").is_some();
    let mut wrong = Vec::new();
    for spec in &files {
        let got = problems(spec);
        let expected_path = spec.with_extension("expected");
        if bless {
            std::fs::write(&expected_path, got.join("\n") + "\n").unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path)
            .unwrap_or_else(|_| panic!("{} is missing", expected_path.display()));
        let expected: Vec<&str> = expected.lines().collect();
        if got != expected {
            wrong.push(format!(
                "{}:\n  expected {expected:#?}\n  got {got:#?}",
                spec.display()
            ));
        }
        let stderr = cli(spec);
        for line in &got {
            assert!(
                stderr.contains(line.as_str()),
                "{}: the CLI did not print {line:?}:\n{stderr}",
                spec.display()
            );
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

const HEAD: &str = r#"{"metadata": {"apiVersion": "2020-01-01", "serviceShortName": "demo"}, "actions": {}, "objects": {"Thing": {"document": ""#;

#[test]
fn a_50_mb_spec_is_refused_before_it_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("huge.json");
    let mut text = String::with_capacity(50_000_100);
    text.push_str(HEAD);
    text.push_str(&"x".repeat(50_000_000));
    text.push_str(r#"", "members": []}}}"#);
    std::fs::write(&spec, &text).unwrap();
    let size = text.len();
    let expected = format!(
        "{}: the file is {size} bytes; specs over 33554432 bytes (32 MiB) are refused",
        spec.display()
    );
    assert_eq!(problems(&spec), std::slice::from_ref(&expected));
    assert!(cli(&spec).contains(&expected));
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("deep.json");
    let depth = 100_000;
    let text = format!(
        r#"{{"metadata": {{"apiVersion": "2020-01-01", "serviceShortName": "demo"}}, "actions": {{}}, "objects": {{"Thing": {{"members": [{{"name": "A", "type": "string", "member": "string", "example": {}{}}}]}}}}}}"#,
        "[".repeat(depth),
        "]".repeat(depth)
    );
    std::fs::write(&spec, &text).unwrap();
    let got = problems(&spec);
    assert_eq!(got.len(), 1);
    // serde_json stops at 128 levels; six are the spec's own (root, objects, Thing,
    // members, the member, example).
    let path = format!("objects.Thing.members[0].example{}", "[0]".repeat(122));
    assert_eq!(
        got[0],
        format!("{}:1:306: {path}: recursion limit exceeded", spec.display())
    );
    let stderr = cli(&spec);
    assert!(stderr.contains("recursion limit exceeded"), "{stderr}");
}

/// Inputs the fuzzer found crashing (tests/fuzz-regressions/): each now gives code or
/// problems, never a panic or code that does not parse.
#[test]
fn fuzz_findings_stay_fixed() {
    let mut found = 0;
    for entry in std::fs::read_dir("tests/fuzz-regressions").unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        match tencentcloud_codegen::render_spec(&path, &bytes) {
            Ok(_) | Err(Error::Spec(_)) => found += 1,
            Err(other) => panic!("{}: {other}", path.display()),
        }
    }
    assert!(found > 0);
}
