//! The fuzz targets' seed corpora and the inputs of their fixed findings, run through the
//! same checks the targets run (`tencentcloud_runtime::fuzzing`), so that `cargo test` on
//! stable keeps them passing without cargo-fuzz. The response target, which needs a
//! generated type, runs in `tests/tests/fuzz_seeds.rs`.

use std::panic::{catch_unwind, AssertUnwindSafe};

use tencentcloud_runtime::fuzzing;

fn run(target: &str, check: fn(&[u8])) {
    let inputs = fuzzing::inputs(target).expect("the seed directory reads");
    assert!(!inputs.is_empty(), "fuzz/seeds/{target}/ has seeds");
    let failed: Vec<String> = inputs
        .iter()
        .filter(|(_, data)| catch_unwind(AssertUnwindSafe(|| check(data))).is_err())
        .map(|(path, _)| path.display().to_string())
        .collect();
    assert!(
        failed.is_empty(),
        "{target}: these inputs fail: {failed:#?}"
    );
}

#[test]
fn json() {
    run("json", fuzzing::json);
}

#[test]
fn envelope() {
    run("envelope", fuzzing::envelope);
}

#[test]
fn event_stream() {
    run("event_stream", fuzzing::event_stream);
}

#[test]
fn multipart() {
    run("multipart", fuzzing::multipart);
}

#[test]
fn profile() {
    run("profile", fuzzing::profile);
}

#[test]
fn endpoint() {
    run("endpoint", fuzzing::endpoint);
}
