//! The envelope's first pass (success, service error, or why neither). The check, and the properties it
//! asserts beyond not panicking, is `tencentcloud_runtime::fuzzing::envelope`, which the seed
//! test runs on `fuzz/seeds/envelope/` and `fuzz/regressions/envelope/` too.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| tencentcloud_runtime::fuzzing::envelope(data));
