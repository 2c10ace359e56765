//! Generates the obstacle-course spec into OUT_DIR, so that it is compiled (and linted) as
//! part of this crate.

fn main() {
    let Ok(out_dir) = std::env::var("OUT_DIR") else {
        eprintln!("OUT_DIR is not set: run this through cargo");
        std::process::exit(1);
    };
    let result = tencentcloud_codegen::Builder::new()
        .spec_dir("specs")
        .out_dir(out_dir)
        .include_style(true)
        .cargo_rerun(true)
        .generate();
    if let Err(error) = result {
        eprintln!("tencentcloud-codegen: {error}");
        std::process::exit(1);
    }
}
