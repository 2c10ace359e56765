//! A few of the catalog's documents as the generated docs write them, kept in
//! `codegen/tests/docs-golden.md`: HTML lists (some with `</li>` for `<li>`), links, an
//! HTML table, a Markdown table, a preformatted block, a numbered list, text in angle
//! brackets that is no tag. `BLESS=1 cargo test -p tencentcloud-codegen --test
//! docs_markdown` rewrites the golden file after a deliberate change.

use std::fmt::Write;
use std::path::{Path, PathBuf};

use serde_json::Value;
use tencentcloud_codegen::emit::docs;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// (spec, object, member): documents chosen for what they hold.
const DOCUMENTS: &[(&str, &str, &str)] = &[
    ("cvm/v20170312.json", "DescribeInstancesRequest", "Filters"),
    ("adp/v20260520.json", "ApiToolConfig", "StreamMode"),
    ("adp/v20260520.json", "ApiKeyAuthConfig", "KeyLocation"),
    ("adp/v20260520.json", "CreateWorkflowRunRequest", "AppId"),
    ("adp/v20260520.json", "SkillVersion", "VersionStatus"),
    (
        "ai3d/v20250513.json",
        "SubmitAutoRiggingJobRequest",
        "MotionType",
    ),
    ("clb/v20180317.json", "TargetGroupHealthCheck", "Protocol"),
];

#[test]
fn converted_documents_match_the_golden_file() {
    let mut golden = String::from(
        "# Catalog documents as rustdoc Markdown\n\nWritten by codegen/tests/docs_markdown.rs: each document as the spec has it, then the doc lines the generator writes (without `///`).\n",
    );
    for (spec, object, member) in DOCUMENTS {
        let path = root().join("api-specs").join(spec);
        let json: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        let document = json["objects"][object]["members"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["name"] == *member)
            .unwrap_or_else(|| panic!("{spec}: {object}.{member} is gone; choose another"))
            ["document"]
            .as_str()
            .unwrap();
        let lines = docs::lines(document);
        write!(
            golden,
            "\n## {spec} {object}.{member}\n\nThe spec:\n\n````text\n{document}\n````\n\nThe docs:\n\n````markdown\n{}\n````\n",
            lines
                .iter()
                .map(|l| l.strip_prefix(' ').unwrap_or(l))
                .collect::<Vec<_>>()
                .join("\n")
        )
        .unwrap();
    }
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/docs-golden.md");
    if std::env::var_os("BLESS").is_some() {
        std::fs::write(&file, &golden).unwrap();
    }
    let kept = std::fs::read_to_string(&file).unwrap_or_default();
    assert!(
        kept == golden,
        "the converted documents changed; look at the difference, then BLESS=1 to keep it"
    );
}
