fn main() {
    tencentcloud_codegen::Builder::new()
        .spec_dir("api-specs")
        .build_script();
}
