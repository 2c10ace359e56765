//! Generation speed: the organization service (what its build script does), and, when
//! `CATALOG_SPECS` names an imported catalog (scripts/catalog.sh leaves one in
//! target/catalog/api-specs), the whole catalog.
//!
//! cargo bench -p tencentcloud-codegen --bench generate

// criterion_group! expands to an undocumented `pub fn`.
#![allow(missing_docs)]

use std::path::{Path, PathBuf};

use criterion::{criterion_group, criterion_main, Criterion};
use tencentcloud_codegen::Builder;

/// The organization spec in this repository.
fn organization() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../api-specs/organization/v20210331.json")
}

/// Organization always; the catalog when `CATALOG_SPECS` is set.
fn bench(c: &mut Criterion) {
    let org = organization();
    c.bench_function("render organization 2021-03-31", |b| {
        b.iter(|| Builder::new().spec(&org).render().expect("generates"))
    });
    if let Some(dir) = std::env::var_os("CATALOG_SPECS") {
        let mut group = c.benchmark_group("catalog");
        group.sample_size(10);
        group.bench_function("render the whole catalog", |b| {
            b.iter(|| Builder::new().spec_dir(&dir).render().expect("generates"))
        });
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
