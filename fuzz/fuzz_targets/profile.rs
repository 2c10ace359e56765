//! The profile (credentials INI) file reader. The check, and the properties it
//! asserts beyond not panicking, is `tencentcloud_runtime::fuzzing::profile`, which the seed
//! test runs on `fuzz/seeds/profile/` and `fuzz/regressions/profile/` too.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| tencentcloud_runtime::fuzzing::profile(data));
