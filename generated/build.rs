//! Generates the clients from ../api-specs into OUT_DIR, for the services whose cargo
//! feature is enabled. A bad spec fails the build with every problem listed (file, line,
//! JSON path), not with a panic.

fn main() {
    // Cargo sets CARGO_FEATURE_<NAME> for each enabled feature; apart from `blocking`,
    // `serde` (and `default`), features are service names.
    let enabled: Vec<String> = std::env::vars()
        .filter_map(|(key, _)| key.strip_prefix("CARGO_FEATURE_").map(str::to_lowercase))
        .filter(|name| !["blocking", "serde", "default"].contains(&name.as_str()))
        .collect();
    let on = |feature: &str| std::env::var_os(format!("CARGO_FEATURE_{feature}")).is_some();
    tencentcloud_codegen::Builder::new()
        .spec_dir("../api-specs")
        .only_services(enabled)
        .feature_gates(true)
        .blocking(on("BLOCKING"))
        .serde(on("SERDE"))
        .build_script();
}
