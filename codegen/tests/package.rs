//! `package`: the SDK laid out as crates.io packages (a crate per service, the facade, a
//! workspace manifest), `check --packages` holding them in step, and `calls`, the user crate
//! of scripts/build-cost.sh. scripts/package.sh builds such packages for real in CI.

mod binary;

use binary::{codegen, text};

use std::path::{Path, PathBuf};

use tencentcloud_codegen::package::Settings;
use tencentcloud_codegen::{Builder, Error};

fn api_specs(service: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../api-specs")
        .join(service)
}

/// organization (two versions) and sts, copied into a spec directory of their own.
fn specs(dir: &Path) -> PathBuf {
    let specs = dir.join("specs");
    for service in ["organization", "sts"] {
        let to = specs.join(service);
        std::fs::create_dir_all(&to).unwrap();
        for entry in std::fs::read_dir(api_specs(service)).unwrap() {
            let path = entry.unwrap().path();
            std::fs::copy(&path, to.join(path.file_name().unwrap())).unwrap();
        }
    }
    specs
}

fn read(path: impl AsRef<Path>) -> String {
    std::fs::read_to_string(path.as_ref())
        .unwrap_or_else(|e| panic!("{}: {e}", path.as_ref().display()))
}

#[test]
fn a_crate_per_service_the_facade_and_a_workspace() {
    let dir = tempfile::tempdir().unwrap();
    let specs = specs(dir.path());
    let out = dir.path().join("packages");
    let (out_s, specs_s) = (out.to_str().unwrap(), specs.to_str().unwrap());
    let packaged = codegen(&["package", "--out", out_s, specs_s]);
    assert!(packaged.status.success(), "{}", text(&packaged.stderr));
    // Per service: Cargo.toml, README.md, lib.rs and a file per version; the facade's
    // three; the workspace manifest.
    assert_eq!(
        text(&packaged.stdout),
        format!("wrote 13 files to {out_s}\n")
    );

    let version = env!("CARGO_PKG_VERSION");
    let org = out.join("tencentcloud-sdk-organization");
    let manifest = read(org.join("Cargo.toml"));
    assert!(manifest.contains("name = \"tencentcloud-sdk-organization\"\n"));
    assert!(manifest.contains(&format!("version = \"{version}\"\n")));
    // The runtime by version only, as published, its defaults through the package's own
    // (so `default-features = false` turns them off); blocking is a feature.
    assert!(manifest.contains(&format!(
        "tencentcloud-runtime = {{ version = \"{version}\", default-features = false }}\n"
    )));
    assert!(manifest.contains("default = [\"tencentcloud-runtime/default\"]\n"));
    assert!(!manifest.contains("path ="));
    assert!(manifest.contains("blocking = [\"tencentcloud-runtime/blocking\"]\n"));
    assert!(manifest.contains(
        "description = \"Tencent Cloud organization (集团账号管理) API 2018-12-25, 2021-03-31"
    ));
    let lib = read(org.join("src/lib.rs"));
    assert!(lib.contains("pub mod v20181225;") && lib.contains("pub mod v20210331;"));
    let module = read(org.join("src/v20210331.rs"));
    assert!(module.contains(
        "#[cfg(feature = \"blocking\")]\n/// The same client for programs without an async runtime"
    ));
    assert!(module.contains("pub fn update_organization_member_email_bind("));

    let facade = read(out.join("tencentcloud-sdk/Cargo.toml"));
    // No service by default; the runtime's defaults through the facade's own.
    assert!(facade.contains("default = [\"tencentcloud-runtime/default\"]\n"));
    assert!(facade.contains(&format!(
        "tencentcloud-runtime = {{ version = \"{version}\", default-features = false }}\n"
    )));
    assert!(facade.contains("organization = [\"dep:tencentcloud-sdk-organization\"]\n"));
    assert!(facade.contains("sts = [\"dep:tencentcloud-sdk-sts\"]\n"));
    assert!(facade.contains(
        "blocking = [\"tencentcloud-runtime/blocking\", \"tencentcloud-sdk-organization?/blocking\", \"tencentcloud-sdk-sts?/blocking\"]\n"
    ));
    assert!(facade.contains(&format!(
        "tencentcloud-sdk-organization = {{ version = \"{version}\", path = \"../tencentcloud-sdk-organization\", optional = true, default-features = false }}\n"
    )));
    let facade_lib = read(out.join("tencentcloud-sdk/src/lib.rs"));
    assert!(facade_lib
        .contains("#[cfg(feature = \"organization\")]\npub use tencentcloud_sdk_organization as organization;"));
    assert!(facade_lib
        .contains("#[cfg(feature = \"sts\")]\npub use ::tencentcloud_runtime::sts as credential;"));

    let workspace = read(out.join("Cargo.toml"));
    assert!(workspace.contains(
        "members = [\n    \"tencentcloud-sdk-organization\",\n    \"tencentcloud-sdk-sts\",\n    \"tencentcloud-sdk\",\n]\n"
    ));

    // In step, then not: a changed spec and a leftover file are both named.
    let checked = codegen(&["check", "--packages", "--out", out_s, specs_s]);
    assert_eq!(checked.status.code(), Some(0), "{}", text(&checked.stderr));
    std::fs::write(org.join("README.md"), "edited").unwrap();
    let stray = out.join("tencentcloud-sdk-gone/Cargo.toml");
    std::fs::create_dir_all(stray.parent().unwrap()).unwrap();
    std::fs::write(&stray, "").unwrap();
    // A build's output is not the generator's, and is not reported.
    let built = out.join("target/debug/build/x/out/lib.rs");
    std::fs::create_dir_all(built.parent().unwrap()).unwrap();
    std::fs::write(&built, "").unwrap();
    let checked = codegen(&["check", "--packages", "--out", out_s, specs_s]);
    assert_eq!(checked.status.code(), Some(1));
    let stderr = text(&checked.stderr);
    assert!(stderr.contains(&format!(
        "out of date: {}\n",
        org.join("README.md").display()
    )));
    assert!(stderr.contains(&format!("out of date: {}\n", stray.display())));
    assert!(!stderr.contains("target"), "{stderr}");
    assert!(
        stderr.ends_with("2 file(s) out of date; run `tencentcloud-codegen package`\n"),
        "{stderr}"
    );
}

#[test]
fn packages_are_the_same_bytes_every_time_and_take_a_version() {
    let dir = tempfile::tempdir().unwrap();
    let specs = specs(dir.path());
    let settings = Settings {
        version: "2.3.4".to_owned(),
        runtime_version: "2.3.4".to_owned(),
        ..Settings::default()
    };
    let render = || {
        Builder::new()
            .spec_dir(&specs)
            .packages(settings.clone())
            .render()
            .unwrap()
    };
    let (first, second) = (render(), render());
    assert_eq!(first, second);
    let facade = first
        .iter()
        .find(|f| f.path == "tencentcloud-sdk/Cargo.toml")
        .unwrap();
    assert!(facade.contents.contains("version = \"2.3.4\"\n"));
    assert!(facade
        .contents
        .contains("tencentcloud-runtime = { version = \"2.3.4\", default-features = false }\n"));
}

#[test]
fn packages_refuse_the_in_crate_settings() {
    for (builder, setting) in [
        (Builder::new().include_style(true), "include_style"),
        (Builder::new().feature_gates(true), "feature_gates"),
        (Builder::new().blocking(true), "blocking"),
        (Builder::new().response_checks(true), "response_checks"),
    ] {
        let error = builder
            .spec_dir(api_specs("sts"))
            .packages(Settings::default())
            .render()
            .unwrap_err();
        assert!(
            matches!(error, Error::Incompatible("packages", s) if s == setting),
            "{error}"
        );
        assert_eq!(
            error.to_string(),
            format!("packages and {setting} do not go together")
        );
    }
}

#[test]
fn calls_builds_every_request_from_its_required_fields() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("calls.rs");
    let spec = api_specs("organization").join("v20210331.json");
    let written = codegen(&[
        "calls",
        "--sdk",
        "tencentcloud_sdk_organization",
        "--out",
        out.to_str().unwrap(),
        spec.to_str().unwrap(),
    ]);
    assert!(written.status.success(), "{}", text(&written.stderr));
    let parsed: serde_json::Value = serde_json::from_str(&read(&spec)).unwrap();
    let actions = parsed["actions"].as_object().unwrap().len();
    assert_eq!(text(&written.stdout), format!("{actions}\n"));
    let source = read(&out);
    // The seed: its five required fields, in order, as placeholders.
    assert!(source.contains(
        "tencentcloud_sdk_organization::v20210331::UpdateOrganizationMemberEmailBindRequest::new(\n                0,\n                0,\n                \"\",\n                \"\",\n                \"\",\n            )"
    ), "{source}");
    // One `call_<action>` per action, and `call_every_action` over them.
    assert_eq!(source.matches("async fn call_").count(), actions + 1);
    assert!(source.contains("pub fn spawnable("));

    let bad = codegen(&["calls", "--sdk", "not a path", "--out", "x.rs", "y.json"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(text(&bad.stderr).contains("--sdk \"not a path\" is not a Rust path"));
}
