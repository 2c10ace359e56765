//! The generated organization module, byte for byte. Bless a change with
//! `BLESS=1 cargo test -p tencentcloud-tests --test golden` and review the diff.

use std::path::{Path, PathBuf};

use tencentcloud_codegen::{Builder, OutputFile};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn render(builder: Builder) -> Vec<OutputFile> {
    builder.render().expect("the specs generate")
}

#[test]
fn organization_matches_the_golden_file() {
    let files = render(Builder::new().spec(root().join("api-specs/organization/v20210331.json")));
    let generated = files
        .iter()
        .find(|f| f.path == "organization/v20210331.rs")
        .expect("the organization module");
    let golden = root().join("tests/golden/organization/v20210331.rs");
    if std::env::var_os("BLESS").is_some() {
        std::fs::write(&golden, &generated.contents).unwrap();
    }
    let expected = std::fs::read_to_string(&golden).unwrap_or_default();
    if expected != generated.contents {
        let first = expected
            .lines()
            .zip(generated.contents.lines())
            .position(|(a, b)| a != b)
            .map_or(
                expected
                    .lines()
                    .count()
                    .min(generated.contents.lines().count()),
                |i| i,
            );
        panic!(
            "{} differs from the generator's output from line {}:\n  golden:    {:?}\n  generated: {:?}\nrerun with BLESS=1 to accept, then review the diff",
            golden.display(),
            first + 1,
            expected.lines().nth(first),
            generated.contents.lines().nth(first),
        );
    }
}

#[test]
fn generating_twice_or_in_another_order_gives_identical_bytes() {
    let specs = [
        root().join("api-specs/organization/v20210331.json"),
        root().join("tests/specs/obstacle/v20200101.json"),
    ];
    let forward = render(Builder::new().spec(&specs[0]).spec(&specs[1]));
    let again = render(Builder::new().spec(&specs[0]).spec(&specs[1]));
    let backward = render(Builder::new().spec(&specs[1]).spec(&specs[0]));
    assert_eq!(forward, again);
    assert_eq!(forward, backward);
    let paths: Vec<_> = forward.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "obstacle/v20200101.rs",
            "organization/v20210331.rs",
            "obstacle/mod.rs",
            "organization/mod.rs",
            "mod.rs"
        ]
    );
}

#[test]
fn every_service_in_api_specs_has_a_feature() {
    let manifest = std::fs::read_to_string(root().join("generated/Cargo.toml")).unwrap();
    for entry in std::fs::read_dir(root().join("api-specs")).unwrap() {
        let service = entry.unwrap().file_name().into_string().unwrap();
        assert!(
            manifest.contains(&format!("\n{service} = [")),
            "generated/Cargo.toml has no feature for api-specs/{service}"
        );
    }
}
