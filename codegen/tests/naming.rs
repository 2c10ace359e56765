//! The naming rule (docs/naming.md) over every action and member name in `api-specs/`, and
//! the list of what it renamed, which docs/renamed-names.txt keeps.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use tencentcloud_codegen::model::names::{snake, words};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Every action name and member name of `api-specs/`, with the file it is in.
fn wire_names() -> Vec<(String, String)> {
    let mut names = Vec::new();
    let mut services: Vec<_> = std::fs::read_dir(root().join("api-specs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    services.sort();
    for dir in services {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "json") {
                continue;
            }
            let spec: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
            let file = path.display().to_string();
            for action in spec["actions"].as_object().unwrap().keys() {
                names.push((file.clone(), action.clone()));
            }
            for object in spec["objects"].as_object().unwrap().values() {
                for member in object["members"].as_array().unwrap() {
                    names.push((file.clone(), member["name"].as_str().unwrap().to_owned()));
                }
            }
        }
    }
    names
}

#[test]
fn every_name_in_api_specs_keeps_acronym_plurals_versions_and_units_whole() {
    let names = wire_names();
    assert!(names.len() > 100_000, "{} names", names.len());
    let plural = |w: &str, at: usize| {
        // Two or more capitals ending at `at`, `s` at `at`, then no small letter.
        let b = w.as_bytes();
        at >= 2
            && b[at - 1].is_ascii_uppercase()
            && b[at - 2].is_ascii_uppercase()
            && b[at] == b's'
            && b.get(at + 1).is_none_or(|c| !c.is_ascii_lowercase())
    };
    let mut checked = [0usize; 3];
    for (file, wire) in &names {
        let split = words(wire);
        // Nothing lost, nothing doubled: the words are the name's letters and digits.
        let letters: String = wire.chars().filter(char::is_ascii_alphanumeric).collect();
        assert_eq!(split.concat(), letters, "{file}: {wire}");
        let name = snake(wire);
        let lower = wire.to_ascii_lowercase();
        for (at, _) in wire.match_indices("IPv") {
            if wire[at + 3..].starts_with(|c: char| c.is_ascii_digit()) {
                let digits: String = wire[at + 3..]
                    .chars()
                    .take_while(char::is_ascii_digit)
                    .collect();
                assert!(
                    name.contains(&format!("ipv{digits}")),
                    "{file}: {wire} -> {name}"
                );
                checked[0] += 1;
            }
        }
        if wire.contains("DDoS") {
            assert!(name.contains("ddos"), "{file}: {wire} -> {name}");
            checked[1] += 1;
        }
        for at in (0..wire.len()).filter(|&at| plural(wire, at)) {
            // The acronym's last two capitals and its `s` are in one word of the snake name.
            let part = &lower[at - 2..=at];
            assert!(
                name.split('_').any(|w| w.contains(part)),
                "{file}: {wire} -> {name} (expected {part:?} within a word)"
            );
            checked[2] += 1;
        }
    }
    // The rule met each kind it is for, over the catalog.
    assert!(checked.iter().all(|&n| n > 10), "{checked:?}");
}

#[test]
fn the_renamed_names_are_those_docs_list() {
    let output = Command::new(env!("CARGO_BIN_EXE_tencentcloud-codegen"))
        .args(["diff", "--old-naming", "heck"])
        .arg(root().join("api-specs"))
        .arg(root().join("api-specs"))
        .output()
        .unwrap();
    // 3: breaking changes (the renames) found.
    assert_eq!(output.status.code(), Some(3), "{output:?}");
    let report = String::from_utf8(output.stdout).unwrap();
    let kept = std::fs::read_to_string(root().join("docs/renamed-names.txt")).unwrap();
    assert!(
        report == kept,
        "docs/renamed-names.txt is not what `diff --old-naming heck api-specs api-specs` prints; \
         regenerate it with that command (release build: cargo run --release -p \
         tencentcloud-codegen -- diff --old-naming heck api-specs api-specs > docs/renamed-names.txt)"
    );
    for line in report.lines().filter(|l| l.starts_with("  ")) {
        assert!(
            line.starts_with("  BREAKING method renamed: ")
                || line.starts_with("  BREAKING field renamed: "),
            "{line}"
        );
    }
}
