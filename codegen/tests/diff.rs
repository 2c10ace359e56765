//! `tencentcloud-codegen diff`: crafted changes to the organization spec, each reported
//! with whether it breaks users' code, in words and as JSON, with the exit code a CI step
//! can stop on.

mod binary;

use binary::codegen;

use std::path::Path;

use serde_json::{json, Value};

fn organization() -> Value {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../api-specs/organization/v20210331.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// A release of the organization spec with one of every kind of change.
fn next_release() -> Value {
    let mut spec = organization();
    let actions = spec["actions"].as_object_mut().unwrap();
    actions.remove("AddShareUnitNode");
    actions.insert(
        "DescribeThings".into(),
        json!({"input": "DescribeThingsRequest", "output": "DescribeThingsResponse", "document": "New."}),
    );
    actions["AddOrganizationNode"]["status"] = json!("deprecated");
    actions["DescribeOrganization"]["region"] = json!("required");
    let bind = &mut actions["UpdateOrganizationMemberEmailBind"];
    bind["rateLimit"] = json!(10);
    let codes = bind["errorCodes"].as_array_mut().unwrap();
    codes.retain(|c| c["code"] != "FailedOperation.EmailAlreadyUsed");
    codes.push(json!({"code": "FailedOperation.PhoneAlreadyUsed", "description": "Phone in use."}));
    let objects = spec["objects"].as_object_mut().unwrap();
    objects.insert("DescribeThingsRequest".into(), json!({"members": []}));
    objects.insert(
        "DescribeThingsResponse".into(),
        json!({"members": [{"name": "RequestId", "type": "string", "member": "string"}]}),
    );
    let members = objects["UpdateOrganizationMemberEmailBindRequest"]["members"]
        .as_array_mut()
        .unwrap();
    members[0]["type"] = json!("string");
    members[0]["member"] = json!("string");
    members[4]["required"] = json!(false);
    members
        .push(json!({"name": "Remark", "type": "string", "member": "string", "required": false}));
    let describe = objects["DescribeOrganizationRequest"]["members"]
        .as_array_mut()
        .unwrap();
    describe.push(json!({"name": "Scope", "type": "string", "member": "string", "required": true}));
    spec
}

fn write(dir: &Path, name: &str, spec: &Value) -> String {
    let path = dir.join(name);
    std::fs::write(&path, serde_json::to_string_pretty(spec).unwrap()).unwrap();
    path.to_str().unwrap().to_owned()
}

#[test]
fn every_kind_of_change_is_reported_and_breaking_ones_set_the_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    let old = write(dir.path(), "old.json", &organization());
    let new = write(dir.path(), "new.json", &next_release());
    let output = codegen(&["diff", &old, &new]);
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(output.status.code(), Some(3), "{stdout}");
    let expected = "\
organization 2021-03-31: 15 change(s), 8 breaking
  BREAKING action removed: AddShareUnitNode (method add_share_unit_node is gone)
  BREAKING struct removed: AddShareUnitNodeRequest
  BREAKING struct removed: AddShareUnitNodeResponse
  BREAKING region rule changed: DescribeOrganization (optional -> required)
  BREAKING field added: DescribeOrganizationRequest.Scope (required: new() now takes scope)
  BREAKING error code removed: UpdateOrganizationMemberEmailBind (FailedOperation.EmailAlreadyUsed (variant UpdateOrganizationMemberEmailBindError::FailedOperationEmailAlreadyUsed))
  BREAKING field type changed: UpdateOrganizationMemberEmailBindRequest.MemberUin (i64 -> String)
  BREAKING field made optional: UpdateOrganizationMemberEmailBindRequest.Phone (new() no longer takes phone; set it with with_phone)
           action deprecated: AddOrganizationNode
           action added: DescribeThings (method describe_things)
           struct added: DescribeThingsRequest
           struct added: DescribeThingsResponse
           rate limit changed: UpdateOrganizationMemberEmailBind (20/s -> 10/s)
           error code added: UpdateOrganizationMemberEmailBind (FailedOperation.PhoneAlreadyUsed)
           field added: UpdateOrganizationMemberEmailBindRequest.Remark (optional: String)
15 change(s), 8 breaking
";
    assert_eq!(stdout, expected);

    let output = codegen(&["diff", "--json", &old, &new]);
    assert_eq!(output.status.code(), Some(3));
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["breaking"], 8);
    let changes = report["services"][0]["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 15);
    assert_eq!(
        changes[0],
        json!({"breaking": true, "kind": "action_removed", "item": "AddShareUnitNode", "detail": "method add_share_unit_node is gone"})
    );
}

#[test]
fn additive_changes_exit_0_and_identical_specs_report_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let old = write(dir.path(), "old.json", &organization());
    let same = codegen(&["diff", &old, &old]);
    assert_eq!(same.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(same.stdout).unwrap(),
        "0 change(s), 0 breaking\n"
    );

    let mut spec = organization();
    spec["objects"]["DescribeOrganizationResponse"]["members"]
        .as_array_mut()
        .unwrap()
        .insert(
            0,
            json!({"name": "Region", "type": "string", "member": "string"}),
        );
    let new = write(dir.path(), "new.json", &spec);
    let output = codegen(&["diff", &old, &new]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        "organization 2021-03-31: 1 change(s), 0 breaking\n           field added: DescribeOrganizationResponse.Region (optional: String)\n1 change(s), 0 breaking\n"
    );
}

#[test]
fn an_action_taken_offline_or_gaining_a_file_is_reported_without_breaking() {
    let dir = tempfile::tempdir().unwrap();
    let old = write(dir.path(), "old.json", &organization());
    let mut spec = organization();
    spec["actions"]["AddOrganizationNode"]["status"] = json!("offline");
    spec["actions"]["DescribeOrganization"]["status"] = json!("deprecated");
    spec["objects"]["DescribeOrganizationRequest"]["members"]
        .as_array_mut()
        .unwrap()
        .push(json!({"name": "Scan", "type": "binary", "member": "binary"}));
    let new = write(dir.path(), "new.json", &spec);
    let output = codegen(&["diff", &old, &new]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        "\
organization 2021-03-31: 4 change(s), 0 breaking
           action taken offline: AddOrganizationNode (online -> offline)
           action deprecated: DescribeOrganization
           body kind changed: DescribeOrganization (JSON -> multipart/form-data)
           field added: DescribeOrganizationRequest.Scan (optional: Binary)
4 change(s), 0 breaking
"
    );
    // And back: offline to deprecated is back online.
    spec["actions"]["AddOrganizationNode"]["status"] = json!("deprecated");
    let newer = write(dir.path(), "newer.json", &spec);
    let output = codegen(&["diff", &new, &newer]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        "organization 2021-03-31: 1 change(s), 0 breaking\n           action back online: AddOrganizationNode (offline -> deprecated)\n1 change(s), 0 breaking\n"
    );
}

#[test]
fn reordered_required_fields_break_new_and_directories_pair_by_path() {
    let dir = tempfile::tempdir().unwrap();
    for (side, spec) in [
        ("old", organization()),
        ("new", {
            let mut spec = organization();
            let members = spec["objects"]["UpdateOrganizationMemberEmailBindRequest"]["members"]
                .as_array_mut()
                .unwrap();
            members.swap(2, 4);
            spec
        }),
    ] {
        let at = dir.path().join(side).join("organization");
        std::fs::create_dir_all(&at).unwrap();
        write(&at, "v20210331.json", &spec);
    }
    let old = dir.path().join("old");
    let new = dir.path().join("new");
    let output = codegen(&["diff", old.to_str().unwrap(), new.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(3));
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        "organization 2021-03-31: 1 change(s), 1 breaking\n  BREAKING required order changed: UpdateOrganizationMemberEmailBindRequest (new(MemberUin, BindId, Email, CountryCode, Phone) -> new(MemberUin, BindId, Phone, CountryCode, Email))\n1 change(s), 1 breaking\n"
    );
    // A version only on one side is added or removed.
    std::fs::remove_dir_all(new.join("organization")).unwrap();
    let output = codegen(&["diff", old.to_str().unwrap(), new.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(3));
    assert!(String::from_utf8(output.stdout)
        .unwrap()
        .contains("BREAKING service removed: organization v20210331"));
}

#[test]
fn a_bad_spec_on_either_side_exits_1_with_its_problems() {
    let dir = tempfile::tempdir().unwrap();
    let old = write(dir.path(), "old.json", &organization());
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{\"metadata\": {}}").unwrap();
    let output = codegen(&["diff", &old, bad.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("missing field `apiVersion`"), "{stderr}");
    let usage = codegen(&["diff", &old]);
    assert_eq!(usage.status.code(), Some(2));
}

/// Two real releases of Tencent's catalog: tmt and aiart as `tccli-intl-en` 3.1.120.1 had
/// them (imported into tests/releases/), against api-specs/ (3.1.193.1) as the international
/// catalog has it: without the error codes api-specs/ took from the Go SDKs, which the old
/// release never had, and without what the China-site catalog alone lists (`sites`).
#[test]
fn real_catalog_releases() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let run = |spec: &str| {
        let old = root.join("tests/releases/3.1.120.1").join(spec);
        let text = std::fs::read_to_string(root.join("../api-specs").join(spec)).unwrap();
        let mut catalog: Value = serde_json::from_str(&text).unwrap();
        let china_only = |v: &Value| v["sites"] == serde_json::json!(["china"]);
        for kind in ["actions", "objects"] {
            catalog[kind]
                .as_object_mut()
                .unwrap()
                .retain(|_, v| !china_only(v));
        }
        for action in catalog["actions"].as_object_mut().unwrap().values_mut() {
            action.as_object_mut().unwrap().remove("errorCodes");
        }
        for object in catalog["objects"].as_object_mut().unwrap().values_mut() {
            if let Some(members) = object["members"].as_array_mut() {
                members.retain(|m| !china_only(m));
            }
        }
        let new = dir.path().join(spec.replace('/', "-"));
        std::fs::write(&new, catalog.to_string()).unwrap();
        let output = codegen(&["diff", old.to_str().unwrap(), new.to_str().unwrap()]);
        assert_eq!(output.status.code(), Some(3));
        String::from_utf8(output.stdout).unwrap()
    };
    assert_eq!(
        run("tmt/v20180321.json"),
        "\
tmt 2018-03-21: 10 change(s), 3 breaking
  BREAKING action removed: TextTranslate (method text_translate is gone)
  BREAKING struct removed: TextTranslateRequest
  BREAKING struct removed: TextTranslateResponse
           struct added: BoundingBox
           struct added: Coord
           action added: ImageTranslateLLM (method image_translate_llm)
           struct added: ImageTranslateLLMRequest
           struct added: ImageTranslateLLMResponse
           struct added: RotateParagraphRect
           struct added: TransDetail
10 change(s), 3 breaking
"
    );
    assert_eq!(
        run("aiart/v20221229.json"),
        "\
aiart 2022-12-29: 4 change(s), 4 breaking
  BREAKING action removed: ImageToImage (method image_to_image is gone)
  BREAKING struct removed: ImageToImageRequest
  BREAKING struct removed: ImageToImageResponse
  BREAKING struct removed: ResultConfig
4 change(s), 4 breaking
"
    );
}
