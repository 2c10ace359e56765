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

/// The same specs at other absolute paths (another machine's checkout), written in another
/// order and with their actions and objects listed in another order, give the same bytes.
#[test]
fn another_machine_and_another_input_order_give_identical_bytes() {
    let sources = [
        (
            "organization",
            root().join("api-specs/organization/v20210331.json"),
        ),
        (
            "obstacle",
            root().join("tests/specs/obstacle/v20200101.json"),
        ),
    ];
    let place = |reverse: bool| {
        let dir = tempfile::tempdir().unwrap();
        let mut order: Vec<_> = sources.iter().collect();
        if reverse {
            order.reverse();
        }
        for (service, source) in order {
            let text = std::fs::read_to_string(source).unwrap();
            let mut spec: serde_json::Value = serde_json::from_str(&text).unwrap();
            if reverse {
                for key in ["actions", "objects"] {
                    let map = spec[key].as_object().unwrap();
                    let reversed: serde_json::Map<String, serde_json::Value> = map
                        .iter()
                        .rev()
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect();
                    spec[key] = serde_json::Value::Object(reversed);
                }
            }
            let at = dir.path().join("machine").join(service);
            std::fs::create_dir_all(&at).unwrap();
            let name = source.file_name().unwrap();
            std::fs::write(at.join(name), serde_json::to_string(&spec).unwrap()).unwrap();
        }
        dir
    };
    let (here, there) = (place(false), place(true));
    let here_out = render(Builder::new().spec_dir(here.path().join("machine")));
    let there_out = render(Builder::new().spec_dir(there.path().join("machine")));
    assert_eq!(here_out, there_out);
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
