//! The response fuzz target's seeds and the inputs of its fixed findings, run through the
//! same check the target runs, with the same generated type (the other targets' seeds run in
//! `runtime/tests/fuzz_seeds.rs`).

use tencentcloud_runtime::fuzzing;
use tencentcloud_sdk::cvm::v20170312::DescribeInstancesResponse;

#[test]
fn response() {
    let inputs = fuzzing::inputs("response").expect("the seed directory reads");
    assert!(!inputs.is_empty(), "fuzz/seeds/response/ has seeds");
    for (path, data) in inputs {
        let outcome = std::panic::catch_unwind(|| {
            fuzzing::response::<DescribeInstancesResponse>(&data);
        });
        assert!(outcome.is_ok(), "{} fails", path.display());
    }
}
