//! A throwaway crate beside the workspace, built by the cargo running the tests: for tests
//! that need rustc or a build script as users run them.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The workspace root.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_owned()
}

/// Writes `root/Cargo.toml` for package `name` with `dependencies` (TOML sections), copies the
/// workspace's lock file (so nothing new is fetched), writes `files` (path, contents), and
/// runs `cargo <command> --offline --quiet` there with `rustflags`. Its target directory is
/// its own, under the workspace's `target/`: the outer cargo may hold the workspace's.
pub fn cargo_crate(
    root: &Path,
    name: &str,
    dependencies: &str,
    files: &[(&str, &str)],
    command: &str,
    rustflags: &str,
) -> Output {
    let manifest = format!(
        "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\n[workspace]\n\n{dependencies}"
    );
    std::fs::write(root.join("Cargo.toml"), manifest).unwrap();
    std::fs::copy(workspace().join("Cargo.lock"), root.join("Cargo.lock")).unwrap();
    for (path, contents) in files {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    Command::new(cargo)
        .args([command, "--offline", "--quiet"])
        .current_dir(root)
        .env("CARGO_TARGET_DIR", workspace().join("target").join(name))
        .env("RUSTFLAGS", rustflags)
        .output()
        .unwrap()
}

/// A dependency on a crate of the workspace, as a TOML value.
pub fn path_dependency(krate: &str, features: &[&str]) -> String {
    format!(
        "{{ path = {:?}, features = {features:?} }}",
        workspace().join(krate).to_str().unwrap()
    )
}
