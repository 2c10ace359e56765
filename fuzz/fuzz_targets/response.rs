//! A response read as a real generated type, cvm's `DescribeInstancesResponse`, through
//! `read_response`, the entry every call's response goes through. The check, and the properties it
//! asserts beyond not panicking, is `tencentcloud_runtime::fuzzing::response`, which the seed
//! test runs on `fuzz/seeds/response/` and `fuzz/regressions/response/` too.

#![no_main]

use libfuzzer_sys::fuzz_target;
use tencentcloud_sdk::cvm::v20170312::DescribeInstancesResponse;

fuzz_target!(
    |data: &[u8]| tencentcloud_runtime::fuzzing::response::<DescribeInstancesResponse>(data)
);
