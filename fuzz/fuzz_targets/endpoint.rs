//! Endpoint templates with `{service}` and `{region}`, and plain endpoints. The check, and the properties it
//! asserts beyond not panicking, is `tencentcloud_runtime::fuzzing::endpoint`, which the seed
//! test runs on `fuzz/seeds/endpoint/` and `fuzz/regressions/endpoint/` too.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| tencentcloud_runtime::fuzzing::endpoint(data));
