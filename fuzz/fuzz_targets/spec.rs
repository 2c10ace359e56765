//! Any bytes as a spec: the generator must answer with code or with problems, never panic,
//! and never emit code that does not parse (`Error::Emit` is a generator bug).

#![no_main]

use libfuzzer_sys::fuzz_target;
use tencentcloud_codegen::Error;

fuzz_target!(|data: &[u8]| {
    match tencentcloud_codegen::render_spec("fuzz/input.json".as_ref(), data) {
        Ok(file) => assert!(!file.contents.is_empty()),
        Err(Error::Emit { service, message }) => {
            panic!("generated code for {service} does not parse: {message}")
        }
        Err(Error::Spec(problems)) => assert!(!problems.is_empty()),
        Err(_) => {}
    }
});
