//! The runtime's JSON reader, which reads every response body into its tree, held to
//! serde_json. The check, and the properties it asserts beyond not panicking, is
//! `tencentcloud_runtime::fuzzing::json`, which the seed test runs on `fuzz/seeds/json/` and
//! `fuzz/regressions/json/` too.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| tencentcloud_runtime::fuzzing::json(data));
