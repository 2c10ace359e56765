//! The event-stream (`text/event-stream`) parser, in any chunking. The check, and the properties it
//! asserts beyond not panicking, is `tencentcloud_runtime::fuzzing::event_stream`, which the seed
//! test runs on `fuzz/seeds/event_stream/` and `fuzz/regressions/event_stream/` too.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| tencentcloud_runtime::fuzzing::event_stream(data));
