//! Generates the test specs (the obstacle course, a keyword-named service, file uploads)
//! into OUT_DIR, blocking clients included, so that they are compiled (and linted) as part
//! of this crate.

fn main() {
    tencentcloud_codegen::Builder::new()
        .spec_dir("specs")
        .blocking(true)
        .build_script();
}
