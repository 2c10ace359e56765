//! Malformed specs give one exact message each: file, line and column where the parser
//! knows them, the JSON path, what was expected and what was found.

use std::path::Path;

use tencentcloud_codegen::{spec, Builder, Error};

fn problems(json: &str) -> Vec<String> {
    let path = Path::new("api-specs/demo/v20200101.json");
    let parsed = match spec::parse(path, json.as_bytes()) {
        Ok(spec) => spec,
        Err(Error::Spec(problems)) => return problems.iter().map(ToString::to_string).collect(),
        Err(other) => panic!("{other}"),
    };
    tencentcloud_codegen::check::check(&parsed)
        .iter()
        .map(ToString::to_string)
        .collect()
}

const FILE: &str = "api-specs/demo/v20200101.json";

#[test]
fn syntax_and_type_errors_carry_line_column_and_path() {
    assert_eq!(
        problems("{\"metadata\": {\"apiVersion\": \"2020-01-01\", \"serviceShortName\": \"demo\"},\n \"actions\": {"),
        [format!("{FILE}:2:13: actions: EOF while parsing an object")]
    );
    assert_eq!(
        problems("{\"metadata\": {\"apiVersion\": 20200101, \"serviceShortName\": \"demo\"}, \"actions\": {}, \"objects\": {}}"),
        [format!("{FILE}:1:36: metadata.apiVersion: invalid type: integer `20200101`, expected a string")]
    );
    assert_eq!(
        problems("{\"metadata\": {\"apiVersion\": \"2020-01-01\", \"serviceShortName\": \"demo\"}, \"actions\": {\"A\": {\"output\": \"O\"}}, \"objects\": {}}"),
        [format!("{FILE}:1:103: actions.A: missing field `input`")]
    );
    assert_eq!(
        problems("[]"),
        [format!(
            "{FILE}:1:1: expected a JSON object (`{{`) at the top level, found '['"
        )]
    );
}

#[test]
fn semantic_errors_are_all_reported_with_their_paths() {
    let json = r#"{
      "metadata": {"apiVersion": "2020-01-01", "serviceShortName": "demo"},
      "actions": {"Do It": {"input": "In", "output": "Nope", "region": "sometimes", "regions": ["ap-guangzhou", "AP Shanghai"]}},
      "objects": {
        "In": {"members": [
          {"name": "A", "type": "map", "member": "string"},
          {"name": "B", "type": "object", "member": "Ghost"},
          {"name": "C", "type": "object", "member": "string"},
          {"name": "", "type": "string", "member": "string"}
        ]}
      }
    }"#;
    assert_eq!(
        problems(json),
        [
            format!("{FILE}: actions.Do It: an action name must be letters and digits starting with a letter, found \"Do It\""),
            format!("{FILE}: actions.Do It.output: no object named \"Nope\" in `objects`"),
            format!("{FILE}: actions.Do It.region: expected one of required, optional, none; found \"sometimes\""),
            format!("{FILE}: actions.Do It.regions[1]: expected a region such as ap-guangzhou, found \"AP Shanghai\""),
            format!("{FILE}: objects.In.members[0].type: expected one of string, int, float, bool, list, object, binary, found \"map\""),
            format!("{FILE}: objects.In.members[1].member: no object named \"Ghost\" in `objects`"),
            format!("{FILE}: objects.In.members[2].member: type `object` needs an object name, found the primitive \"string\""),
            format!("{FILE}: objects.In.members[3].name: a field name must be letters, digits and underscores with at least one letter, found \"\""),
        ]
    );
}

#[test]
fn problems_of_several_files_are_reported_together() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.json"), "{").unwrap();
    std::fs::write(dir.path().join("b.json"), "not json").unwrap();
    let error = Builder::new().spec_dir(dir.path()).render().unwrap_err();
    let Error::Spec(problems) = &error else {
        panic!("{error}")
    };
    assert_eq!(problems.len(), 2);
    assert!(
        error.to_string().starts_with("2 problems in specs:\n  "),
        "{error}"
    );
    assert!(problems[0].file.ends_with("a.json") && problems[1].file.ends_with("b.json"));
}

#[test]
fn specs_in_a_directory_sit_at_service_version_and_disabled_ones_are_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let organization =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../api-specs/organization/v20210331.json");
    std::fs::create_dir_all(dir.path().join("wrongname")).unwrap();
    std::fs::copy(&organization, dir.path().join("wrongname/v20210331.json")).unwrap();
    let error = Builder::new().spec_dir(dir.path()).render().unwrap_err();
    assert!(
        error.to_string().ends_with("wrongname/v20210331.json: metadata: this spec of organization 2021-03-31 belongs at organization/v20210331.json in its spec directory"),
        "{error}"
    );

    // A broken spec of a service that is not asked for is never read.
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("organization")).unwrap();
    std::fs::create_dir_all(dir.path().join("cvm")).unwrap();
    std::fs::copy(
        &organization,
        dir.path().join("organization/v20210331.json"),
    )
    .unwrap();
    std::fs::write(dir.path().join("cvm/v20170312.json"), "{ broken").unwrap();
    let files = Builder::new()
        .spec_dir(dir.path())
        .only_services(["organization"])
        .render()
        .unwrap();
    assert!(files.iter().any(|f| f.path == "organization/v20210331.rs"));
    assert!(
        Builder::new().spec_dir(dir.path()).render().is_err(),
        "read when enabled"
    );
}

#[test]
fn a_bom_and_invalid_utf8_are_named_with_their_position() {
    assert_eq!(
        problems("\u{feff}{}"),
        [format!(
            "{FILE}:1:1: the file starts with a UTF-8 byte order mark; save it without one"
        )]
    );
    let path = Path::new(FILE);
    let error = spec::parse(path, b"{\n  \"metadata\": \"caf\xE9\"\n}").unwrap_err();
    assert_eq!(
        error.to_string(),
        format!("1 problem in specs:\n  {FILE}:2:19: invalid UTF-8 at byte 20 (0xE9)")
    );
}
