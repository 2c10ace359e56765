//! Generates the clients from ../api-specs into OUT_DIR, for the services whose cargo
//! feature is enabled. A bad spec fails the build with every problem listed (file, line,
//! JSON path), not with a panic.

fn main() {
    let Ok(out_dir) = std::env::var("OUT_DIR") else {
        eprintln!("OUT_DIR is not set: run this through cargo");
        std::process::exit(1);
    };
    // Cargo sets CARGO_FEATURE_<NAME> for each enabled feature; features are service names.
    let enabled: Vec<String> = std::env::vars()
        .filter_map(|(key, _)| key.strip_prefix("CARGO_FEATURE_").map(str::to_lowercase))
        .collect();
    let result = tencentcloud_codegen::Builder::new()
        .spec_dir("../api-specs")
        .only_services(enabled)
        .out_dir(out_dir)
        .include_style(true)
        .feature_gates(true)
        .cargo_rerun(true)
        .generate();
    if let Err(error) = result {
        eprintln!("tencentcloud-codegen: {error}");
        std::process::exit(1);
    }
}
