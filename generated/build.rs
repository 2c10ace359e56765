//! Generates the clients from ../api-specs into OUT_DIR. A bad spec fails the build with
//! every problem listed (file, line, JSON path), not with a panic.

fn main() {
    let out_dir = match std::env::var("OUT_DIR") {
        Ok(dir) => dir,
        Err(_) => {
            eprintln!("OUT_DIR is not set: run this through cargo");
            std::process::exit(1);
        }
    };
    let result = tencentcloud_codegen::Builder::new()
        .spec_dir("../api-specs")
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
