//! Error codes from Go SDK sources (`import --error-codes-from`), on the tiny fixture trees
//! in `tests/go-sdk/` (written for these tests in the format of Tencent's Go SDKs: `en` as
//! tencentcloud-sdk-go-intl-en, `zh` as tencentcloud-sdk-go).

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{json, Value};
use tencentcloud_codegen::import::error_codes::GoSdk;
use tencentcloud_codegen::import::{run, Options};
use tencentcloud_codegen::{Builder, Error};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/go-sdk")
        .join(name)
}

/// A spec dir with `demo` 2020-01-01: StartThing (one hand-written code), StopThing.
fn specs(root: &Path) -> PathBuf {
    let spec = json!({
        "metadata": {"apiVersion": "2020-01-01", "serviceShortName": "demo"},
        "actions": {
            "StartThing": {"input": "StartThingRequest", "output": "StartThingResponse",
                "errorCodes": [{"code": "FailedOperation.Busy", "description": "Hand-written: the thing is busy."},
                               {"code": "ResourceInUse.Thing", "description": ""}]},
            "StopThing": {"input": "StopThingRequest", "output": "StopThingResponse"}
        },
        "objects": {
            "StartThingRequest": {"members": []},
            "StartThingResponse": {"members": [{"name": "RequestId", "type": "string", "member": "string"}]},
            "StopThingRequest": {"members": []},
            "StopThingResponse": {"members": [{"name": "RequestId", "type": "string", "member": "string"}]}
        }
    });
    let dir = root.join("api-specs");
    std::fs::create_dir_all(dir.join("demo")).unwrap();
    let mut text = serde_json::to_string_pretty(&spec).unwrap();
    text.push('\n');
    std::fs::write(dir.join("demo/v20200101.json"), text).unwrap();
    dir
}

fn codes(dir: &Path, action: &str) -> Vec<(String, String)> {
    let spec: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("demo/v20200101.json")).unwrap())
            .unwrap();
    spec["actions"][action]["errorCodes"]
        .as_array()
        .map(|list| {
            list.iter()
                .map(|e| {
                    (
                        e["code"].as_str().unwrap().to_owned(),
                        e["description"].as_str().unwrap().to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The source `builder` renders for the file whose path ends with `suffix`.
fn rendered(builder: Builder, suffix: &str) -> String {
    let files = builder.render().unwrap();
    let file = files.into_iter().find(|f| f.path.ends_with(suffix));
    file.unwrap().contents
}

fn options(out: &Path, sdks: &[&str]) -> Options {
    Options {
        out: out.to_owned(),
        error_codes_from: sdks.iter().map(|s| fixture(s)).collect(),
        ..Options::default()
    }
}

#[test]
fn the_reader_reads_twins_as_one_action_and_codes_without_descriptions() {
    let en = GoSdk::open(&fixture("en"))
        .unwrap()
        .service("demo", "v20200101");
    let en = en.unwrap().unwrap();
    // StartThing and StartThingWithContext repeat the list: one action, each code once.
    assert_eq!(en.actions.keys().collect::<Vec<_>>(), ["StartThing"]);
    assert_eq!(
        en.actions["StartThing"],
        [
            "FailedOperation.Busy",
            "InternalError",
            "InvalidParameterValue.Range",
            "InvalidParameterValueRange"
        ]
    );
    assert_eq!(
        en.descriptions["FailedOperation.Busy"],
        "The thing is busy."
    );
    // A constant with no comment above it has no description.
    assert!(!en.descriptions.contains_key("InvalidParameterValueRange"));
    // Only the WithContext twin lists StopThing's codes in the Chinese fixture.
    let zh = GoSdk::open(&fixture("zh")).unwrap();
    let zh = zh.service("demo", "v20200101").unwrap().unwrap();
    assert_eq!(zh.actions["StopThing"], ["ResourceNotFound.Thing"]);
    // A service version the SDK lacks is None, not an error.
    assert!(GoSdk::open(&fixture("en"))
        .unwrap()
        .service("demo", "v20990101")
        .unwrap()
        .is_none());
}

#[test]
fn bad_go_sources_are_located_errors() {
    let zh = GoSdk::open(&fixture("zh")).unwrap();
    match zh.service("other", "v20210101") {
        Err(Error::GoSource(problems)) => {
            assert_eq!(problems.len(), 1);
            let text = problems[0].to_string();
            assert!(text.ends_with(
                "other/v20210101/client.go:8: expected NAME = \"Code\" in an error code list, found \"not a constant\""
            ), "{text}");
        }
        other => panic!("{other:?}"),
    }
    match GoSdk::open(Path::new("/nonexistent/go-sdk")) {
        Err(Error::Io { path, .. }) => assert_eq!(path, Path::new("/nonexistent/go-sdk")),
        other => panic!("{other:?}"),
    }
}

#[test]
fn english_first_keeps_existing_codes_and_is_idempotent() {
    let dir = tempfile::tempdir().unwrap();
    let out = specs(dir.path());
    let first = run(&options(&out, &["en", "zh"])).unwrap();
    assert_eq!(first.len(), 1);
    assert!(first[0].changed);
    assert_eq!((first[0].actions, first[0].actions_with_codes), (2, 2));
    let start = codes(&out, "StartThing");
    let expected = [
        // Kept as written, first, in their order; an empty description is filled in when
        // an SDK has one (none has one for this code).
        ("FailedOperation.Busy", "Hand-written: the thing is busy."),
        ("ResourceInUse.Thing", ""),
        // New codes, sorted; English where the English SDK has a description.
        ("InternalError", "Internal error."),
        ("InvalidParameterValue.Range", "The value is out of range."),
        // No English description: the Chinese SDK's.
        ("InvalidParameterValueRange", "超出范围。"),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(c, d)| ((*c).to_owned(), (*d).to_owned()))
        .collect();
    assert_eq!(start, expected);
    // Only the Chinese SDK lists StopThing's codes.
    assert_eq!(
        codes(&out, "StopThing"),
        [("ResourceNotFound.Thing".to_owned(), "未找到。".to_owned())]
    );
    let bytes = std::fs::read(out.join("demo/v20200101.json")).unwrap();
    let second = run(&options(&out, &["en", "zh"])).unwrap();
    assert!(!second[0].changed);
    assert_eq!(
        std::fs::read(out.join("demo/v20200101.json")).unwrap(),
        bytes
    );
}

#[test]
fn the_first_sdk_given_wins_a_description() {
    let dir = tempfile::tempdir().unwrap();
    let out = specs(dir.path());
    run(&options(&out, &["zh", "en"])).unwrap();
    let start = codes(&out, "StartThing");
    let range = start
        .iter()
        .find(|(c, _)| c == "InvalidParameterValueRange")
        .unwrap();
    assert_eq!(range.1, "超出范围。");
    let internal = start.iter().find(|(c, _)| c == "InternalError").unwrap();
    assert_eq!(
        internal.1, "Internal error.",
        "only the English SDK has one"
    );
}

/// The generated enum: one variant per own code, both codes that make the same identifier
/// reachable, and the common code left to `Common`.
#[test]
fn generated_enum_has_one_reachable_variant_per_code() {
    let dir = tempfile::tempdir().unwrap();
    let out = specs(dir.path());
    run(&options(&out, &["en", "zh"])).unwrap();
    let source = &rendered(Builder::new().spec_dir(&out), "v20200101.rs");
    // StartThing's table of codes, and each code's variant by its index, both ways.
    let table = source
        .split("const CODES: &'static [&'static str] = &[")
        .find(|rest| rest.contains("\"FailedOperation.Busy\""))
        .and_then(|rest| rest.split("];").next())
        .unwrap_or_else(|| panic!("StartThing's table of codes\n{source}"));
    let table: Vec<&str> = table
        .split(',')
        .map(|code| code.trim().trim_matches('"'))
        .filter(|code| !code.is_empty())
        .collect();
    for (code, variant) in [
        ("InvalidParameterValue.Range", "InvalidParameterValueRange"),
        ("InvalidParameterValueRange", "InvalidParameterValueRange2"),
        ("FailedOperation.Busy", "FailedOperationBusy"),
    ] {
        let index = table.iter().position(|known| *known == code).unwrap();
        for arm in [
            format!("Option::Some({index}) => Self::{variant},"),
            format!("Self::{variant} => {index},"),
        ] {
            assert!(source.contains(&arm), "{arm}\n{source}");
        }
    }
    assert!(!source.contains("Self::InternalError"), "{source}");
    assert!(
        source.contains("`InternalError` (`Common`): Internal error."),
        "{source}"
    );
}

#[test]
fn cli_updates_specs_in_place_and_reports_coverage() {
    let dir = tempfile::tempdir().unwrap();
    let out = specs(dir.path());
    let output = Command::new(env!("CARGO_BIN_EXE_tencentcloud-codegen"))
        .arg("import")
        .arg("--error-codes-from")
        .arg(fixture("en"))
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{output:?}");
    assert!(stdout.contains("updated 1 service versions in"), "{stdout}");
    assert!(
        stdout.contains("1 of 2 actions carry error codes"),
        "{stdout}"
    );
    let output = Command::new(env!("CARGO_BIN_EXE_tencentcloud-codegen"))
        .args(["import", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr)
        .contains("import needs catalogs (--intl and --china, or --from)"));
}

/// api-specs/ carries the Go SDKs' codes: at least 95 % of the actions the international
/// catalog lists have some, and at least 93 % of all (the China-site Go SDK available here,
/// v1.3.166, predates 1,026 of the China catalog's actions: docs/spec-format.md); and cvm's
/// RunInstancesError has InvalidImageId.NotFound with its description.
#[test]
fn api_specs_carry_the_codes() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../api-specs");
    // (actions, with codes): those the international catalog lists, and all.
    let (mut intl, mut all) = ((0, 0), (0, 0));
    for service in std::fs::read_dir(&root).unwrap() {
        for version in std::fs::read_dir(service.unwrap().path()).unwrap() {
            let text = std::fs::read_to_string(version.unwrap().path()).unwrap();
            let spec: Value = serde_json::from_str(&text).unwrap();
            for action in spec["actions"].as_object().unwrap().values() {
                let sites = action.get("sites").unwrap_or(&spec["metadata"]["sites"]);
                let listed_intl = sites.as_array().unwrap().iter().any(|s| s == "intl");
                let coded = action["errorCodes"]
                    .as_array()
                    .is_some_and(|l| !l.is_empty());
                for (count, yes) in [(&mut all, true), (&mut intl, listed_intl)] {
                    if yes {
                        count.0 += 1;
                        count.1 += usize::from(coded);
                    }
                }
            }
        }
    }
    assert!(intl.1 * 100 >= intl.0 * 95, "international: {intl:?}");
    assert!(all.1 * 100 >= all.0 * 93, "all: {all:?}");
    let cvm = &rendered(
        Builder::new().spec(root.join("cvm/v20170312.json")),
        "v20170312.rs",
    );
    let enum_start = cvm.find("pub enum RunInstancesError {").unwrap();
    let enum_text = &cvm[enum_start..enum_start + cvm[enum_start..].find("\n}").unwrap()];
    assert!(enum_text.contains(
        "    /// `InvalidImageId.NotFound`: The image cannot be found.\n    InvalidImageIdNotFound,\n"
    ));
}
