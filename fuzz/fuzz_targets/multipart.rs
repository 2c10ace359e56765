//! The multipart parser of the local endpoint, and the encoder's round trip. The check, and the properties it
//! asserts beyond not panicking, is `tencentcloud_runtime::fuzzing::multipart`, which the seed
//! test runs on `fuzz/seeds/multipart/` and `fuzz/regressions/multipart/` too.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| tencentcloud_runtime::fuzzing::multipart(data));
