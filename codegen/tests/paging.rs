//! The paging rules over the whole of `api-specs/`: how many actions page, by which kind,
//! and how many of them have an `_items` method. docs/spec-format.md reports these figures;
//! this test keeps them true.

use std::collections::BTreeMap;
use std::path::Path;

use tencentcloud_codegen::model::paging::{self, Kind};
use tencentcloud_codegen::spec;

#[test]
fn the_catalog_pages_as_the_docs_say() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../api-specs");
    // kind → (actions, with a single items list, with a total)
    let mut counts: BTreeMap<&str, (usize, usize, usize)> = BTreeMap::new();
    for service in std::fs::read_dir(&root).unwrap() {
        for version in std::fs::read_dir(service.unwrap().path()).unwrap() {
            let path = version.unwrap().path();
            let bytes = std::fs::read(&path).unwrap();
            let spec = spec::parse(&path, &bytes).unwrap();
            for action in spec.actions.values() {
                if let Some(found) = paging::find(&spec, action) {
                    let kind = match found.kind {
                        Kind::Offset { .. } => "offset",
                        Kind::Page { .. } => "page",
                        Kind::Cursor { .. } => "cursor",
                    };
                    let entry = counts.entry(kind).or_default();
                    entry.0 += 1;
                    entry.1 += usize::from(found.items.is_some());
                    entry.2 += usize::from(found.total.is_some());
                }
            }
        }
    }
    let expected: BTreeMap<&str, (usize, usize, usize)> = [
        ("offset", (2034, 1939, 1913)),
        ("page", (154, 148, 116)),
        ("cursor", (104, 98, 0)),
    ]
    .into();
    assert_eq!(counts, expected);
}
