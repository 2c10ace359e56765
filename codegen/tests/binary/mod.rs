//! The `tencentcloud-codegen` binary, run as users run it, for the command-line tests.

use std::process::{Command, Output};

/// Runs the binary with `args` and waits for it.
pub fn codegen(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tencentcloud-codegen"))
        .args(args)
        .output()
        .expect("the binary runs")
}

/// Output bytes as text.
#[allow(dead_code)] // not every test reads the output as text
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}
