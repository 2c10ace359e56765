//! Generates typed Rust clients for Tencent Cloud API 3.0 from JSON specs.
//!
//! The pipeline, one module a stage: [`spec`] (parse) → [`check`] → [`model`] (names and
//! types resolved) → [`emit`] (tokens) → [`format`](mod@format) (source text) → files, written by
//! [`Builder`]. Use it from `build.rs`:
//!
//! ```no_run
//! // build.rs, in `fn main()`:
//! tencentcloud_codegen::Builder::new().spec_dir("api-specs").build_script();
//! // src/lib.rs: include!(concat!(env!("OUT_DIR"), "/mod.rs"));
//! ```

pub mod calls;
pub mod check;
pub mod diff;
pub mod emit;
pub mod error;
pub mod format;
pub mod import;
pub mod model;
pub mod package;
mod parallel;
pub mod response_checks;
pub mod spec;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use quote::quote;

pub use error::{Error, Problem};

/// One file the generator writes, relative to the output directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Path relative to the output directory, with `/` separators.
    pub path: String,
    /// The formatted source.
    pub contents: String,
}

/// Configures and runs the generator, in the style of prost-build.
#[derive(Debug, Clone, Default)]
pub struct Builder {
    specs: Vec<PathBuf>,
    dirs: Vec<PathBuf>,
    out_dir: Option<PathBuf>,
    feature_gates: bool,
    include_style: bool,
    blocking: bool,
    serde: bool,
    cargo_rerun: bool,
    only: Option<std::collections::BTreeSet<String>>,
    baseline: bool,
    response_checks: bool,
    packages: Option<package::Settings>,
}

impl Builder {
    /// A builder with no specs.
    pub fn new() -> Self {
        Self::default()
    }

    /// Also emits `response_checks`, a module beside the services whose `run()` reads every
    /// example response of the specs into its response type (see [`response_checks`]): a check
    /// of the generated types and the decoding policy against Tencent's examples, for
    /// `scripts/catalog.sh`, not for clients.
    #[must_use]
    pub fn response_checks(mut self, on: bool) -> Self {
        self.response_checks = on;
        self
    }

    /// Lays the output out as the SDK's packages (see [`package`]): a crate per service,
    /// `tencentcloud-sdk-<service>`, with its versions as modules and a `blocking` feature,
    /// the facade `tencentcloud-sdk` with a feature per service, and a workspace manifest
    /// over them. Not with [`Builder::include_style`], [`Builder::feature_gates`],
    /// [`Builder::blocking`] or [`Builder::response_checks`], which are the in-crate layout's.
    #[must_use]
    pub fn packages(mut self, settings: package::Settings) -> Self {
        self.packages = Some(settings);
        self
    }

    /// Adds one spec file.
    #[must_use]
    pub fn spec(mut self, path: impl Into<PathBuf>) -> Self {
        self.specs.push(path.into());
        self
    }

    /// Adds every `*.json` file under `dir` (laid out as `<service>/<version>.json`).
    #[must_use]
    pub fn spec_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.dirs.push(dir.into());
        self
    }

    /// Where [`Builder::generate`] writes.
    #[must_use]
    pub fn out_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.out_dir = Some(dir.into());
        self
    }

    /// Puts each service module behind `#[cfg(feature = "<service>")]`.
    #[must_use]
    pub fn feature_gates(mut self, on: bool) -> Self {
        self.feature_gates = on;
        self
    }

    /// Also emits, in each service module, a `blocking` module whose `Client` has the same
    /// methods without `async`, over the same code (needs the runtime's `blocking` feature).
    #[must_use]
    pub fn blocking(mut self, on: bool) -> Self {
        self.blocking = on;
        self
    }

    /// Also implements, in the wire form (Tencent's field names, an absent `Option` left
    /// out), `serde::Serialize` on every type a response is read into or a request is built
    /// from, and `serde::Deserialize` on every type a request is built from (without it, a
    /// request is written by its `WriteJson` alone, unless the service uploads files,
    /// whose requests are `Serialize` always); reading a request is
    /// strict (an unknown field or a missing required one is an error naming it). The crate
    /// needs `serde` with `derive`. With [`Builder::feature_gates`], it is behind the
    /// crate's own `serde` feature too; packages have it as their `serde` feature.
    #[must_use]
    pub fn serde(mut self, on: bool) -> Self {
        self.serde = on;
        self
    }

    /// Writes a `mod.rs` meant for `include!` (modules found by absolute `#[path]`), as a
    /// build script needs; otherwise a plain module tree to vendor into `src/`.
    #[must_use]
    pub fn include_style(mut self, on: bool) -> Self {
        self.include_style = on;
        self
    }

    /// Generates only these services (by `serviceShortName`); a build script passes the
    /// enabled cargo features, so a disabled service costs nothing past parsing.
    #[must_use]
    pub fn only_services<S: Into<String>>(mut self, names: impl IntoIterator<Item = S>) -> Self {
        self.only = Some(names.into_iter().map(Into::into).collect());
        self
    }

    /// Emits the straightforward version instead (see `model::baseline`), only to measure
    /// what the lean output saves in compile time.
    #[doc(hidden)]
    #[must_use]
    pub fn baseline(mut self, on: bool) -> Self {
        self.baseline = on;
        self
    }

    /// Prints `cargo:rerun-if-changed` for every spec and spec directory.
    #[must_use]
    pub fn cargo_rerun(mut self, on: bool) -> Self {
        self.cargo_rerun = on;
        self
    }

    /// Every spec file, sorted, so input order never changes the output. Files found in
    /// spec directories are skipped when [`Builder::only_services`] excludes their
    /// directory, without being read.
    pub fn spec_files(&self) -> Result<Vec<PathBuf>, Error> {
        Ok(self.inputs()?.into_iter().map(|(path, _)| path).collect())
    }

    /// The spec files, each with whether it came from a spec directory (and so must sit at
    /// `<service>/<version>.json`).
    fn inputs(&self) -> Result<Vec<(PathBuf, bool)>, Error> {
        let mut files: Vec<(PathBuf, bool)> =
            self.specs.iter().map(|p| (p.clone(), false)).collect();
        for dir in &self.dirs {
            let mut found = Vec::new();
            collect_ext(dir, "json", &mut found)?;
            files.extend(
                found
                    .into_iter()
                    .filter(|path| match &self.only {
                        Some(only) => only.contains(&parent_name(path)),
                        None => true,
                    })
                    .map(|path| (path, true)),
            );
        }
        files.sort();
        files.dedup_by(|a, b| a.0 == b.0);
        Ok(files)
    }

    /// Parses, checks, models, emits and formats every spec; writes nothing.
    pub fn render(&self) -> Result<Vec<OutputFile>, Error> {
        if self.packages.is_some() {
            let in_crate = [
                (self.include_style, "include_style"),
                (self.feature_gates, "feature_gates"),
                (self.blocking, "blocking"),
                (self.serde, "serde"),
                (self.response_checks, "response_checks"),
            ];
            if let Some((_, setting)) = in_crate.iter().find(|(on, _)| *on) {
                return Err(Error::Incompatible("packages", setting));
            }
        }
        let inputs = self.inputs()?;
        // Parse, check and model every file on every core; report all problems together.
        let loaded = parallel::map(&inputs, |(path, in_layout)| load(path, *in_layout));
        let mut problems = Vec::new();
        let mut services: BTreeMap<(String, String), (PathBuf, model::Service)> = BTreeMap::new();
        for ((path, _), result) in inputs.iter().zip(loaded) {
            let service = match result {
                Ok(service) => service,
                Err(Error::Spec(found)) => {
                    problems.extend(found);
                    continue;
                }
                Err(other) => return Err(other),
            };
            if self
                .only
                .as_ref()
                .is_some_and(|only| !only.contains(&service.name))
            {
                continue;
            }
            let key = (service.name.clone(), service.module.clone());
            if let Some((first, _)) = services.get(&key) {
                return Err(Error::Duplicate {
                    module: format!("{}::{}", key.0, key.1),
                    first: first.clone(),
                    second: path.clone(),
                });
            }
            let service = if self.baseline {
                model::baseline::straightforward(service)
            } else {
                service
            };
            services.insert(key, (path.clone(), service));
        }
        if !problems.is_empty() {
            return Err(Error::Spec(problems));
        }
        let services: Vec<_> = services.into_values().collect();
        let switch = |on: bool| match (&self.packages, on) {
            (Some(_), _) => emit::Switch::Feature,
            (None, true) => emit::Switch::On,
            (None, false) => emit::Switch::Off,
        };
        let options = emit::Options {
            blocking: switch(self.blocking),
            // Behind the crate's own `serde` feature wherever services are behind theirs.
            serde: match switch(self.serde) {
                emit::Switch::On if self.feature_gates => emit::Switch::Feature,
                other => other,
            },
        };
        let mut out = parallel::map_largest_first(
            &services,
            |(_, service)| service.size(),
            |(path, service)| emit_file(path, service, options),
        )
        .into_iter()
        .collect::<Result<Vec<_>, Error>>()?;
        if let Some(settings) = &self.packages {
            let services: Vec<_> = services.iter().map(|(_, s)| s).collect();
            return package::files(&services, out, settings);
        }
        out.extend(self.tree(services.iter().map(|(_, s)| s))?);
        if self.response_checks {
            let services: Vec<_> = services.iter().map(|(_, s)| s).collect();
            out.push(OutputFile {
                path: format!("{RESPONSE_CHECKS}.rs"),
                contents: format::file(
                    response_checks::module(&services, self.feature_gates),
                    "response checks",
                    "api-specs",
                )?,
            });
        }
        Ok(out)
    }

    /// Runs as a build script: writes into `OUT_DIR` a `mod.rs` for
    /// `include!(concat!(env!("OUT_DIR"), "/mod.rs"))`, prints `cargo:rerun-if-changed` for
    /// the specs, and on any error prints every problem and exits with status 1, so Cargo
    /// shows a build error rather than a panic backtrace.
    pub fn build_script(self) {
        let Some(out_dir) = std::env::var_os("OUT_DIR") else {
            eprintln!("tencentcloud-codegen: OUT_DIR is not set; run this from a build script");
            std::process::exit(1);
        };
        let result = self
            .out_dir(out_dir)
            .include_style(true)
            .cargo_rerun(true)
            .generate();
        if let Err(error) = result {
            eprintln!("tencentcloud-codegen: {error}");
            std::process::exit(1);
        }
    }

    /// Renders and writes the files to the output directory, leaving files whose contents
    /// did not change untouched (so Cargo does not rebuild for nothing).
    pub fn generate(&self) -> Result<Vec<OutputFile>, Error> {
        if self.cargo_rerun {
            for dir in &self.dirs {
                println!("cargo:rerun-if-changed={}", dir.display());
            }
            for file in self.spec_files()? {
                println!("cargo:rerun-if-changed={}", file.display());
            }
        }
        let out_dir = self.target_dir()?;
        let files = self.render()?;
        for file in &files {
            let path = out_dir.join(&file.path);
            if std::fs::read_to_string(&path).ok().as_deref() == Some(file.contents.as_str()) {
                continue;
            }
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(|source| Error::Io {
                    path: parent.to_owned(),
                    source,
                })?;
            }
            std::fs::write(&path, &file.contents).map_err(|source| Error::Io { path, source })?;
        }
        Ok(files)
    }

    /// The files under the output directory that differ from what [`Builder::render`]
    /// produces: missing, changed, or generated `.rs` files no spec produces any more.
    pub fn check(&self) -> Result<Vec<PathBuf>, Error> {
        let out_dir = self.target_dir()?;
        let files = self.render()?;
        let mut stale = Vec::new();
        for file in &files {
            let path = out_dir.join(&file.path);
            if std::fs::read_to_string(&path).ok().as_deref() != Some(file.contents.as_str()) {
                stale.push(path);
            }
        }
        let expected: std::collections::BTreeSet<PathBuf> =
            files.iter().map(|f| out_dir.join(&f.path)).collect();
        let mut present = Vec::new();
        if out_dir.is_dir() {
            if self.packages.is_some() {
                // A package's manifest and README are generated too; its build output is
                // not, and is not walked.
                collect_files(&out_dir, &["rs", "toml", "md"], &["target"], &mut present)?;
            } else {
                collect_ext(&out_dir, "rs", &mut present)?;
            }
        }
        stale.extend(present.into_iter().filter(|p| !expected.contains(p)));
        stale.sort();
        Ok(stale)
    }

    fn target_dir(&self) -> Result<PathBuf, Error> {
        self.out_dir.clone().ok_or(Error::NoOutputDir)
    }

    /// The module tree over the services.
    fn tree<'a>(
        &self,
        services: impl Iterator<Item = &'a model::Service>,
    ) -> Result<Vec<OutputFile>, Error> {
        let mut by_name: BTreeMap<&str, Vec<&model::Service>> = BTreeMap::new();
        for s in services {
            by_name.entry(&s.name).or_default().push(s);
        }
        let out_dir = self.out_dir.clone().unwrap_or_default();
        let mut files = Vec::new();
        let mut root = Vec::new();
        for (name, versions) in &by_name {
            let ident = emit_ident(name);
            let gate = self.feature_gates.then(|| quote!(#[cfg(feature = #name)]));
            let title = versions[0]
                .title
                .as_deref()
                .map(|t| format!(" ({t})"))
                .unwrap_or_default();
            let doc = format!(" Tencent Cloud `{name}`{title}.");
            let version_mods: Vec<_> = versions
                .iter()
                .map(|v| {
                    let m = emit_ident(&v.module);
                    let vdoc = emit::docs::version_doc(v);
                    if self.include_style {
                        let path = out_dir.join(name).join(format!("{}.rs", v.module));
                        let path = path.to_string_lossy().into_owned();
                        quote!(#[doc = #vdoc] #[path = #path] pub mod #m;)
                    } else {
                        quote!(#[doc = #vdoc] pub mod #m;)
                    }
                })
                .collect();
            if self.include_style {
                root.push(quote!(#[doc = #doc] #gate pub mod #ident { #(#version_mods)* }));
            } else {
                root.push(quote!(#[doc = #doc] #gate pub mod #ident;));
                files.push(OutputFile {
                    path: format!("{name}/mod.rs"),
                    contents: format::file(quote!(#(#version_mods)*), name, "api-specs")?,
                });
            }
        }
        if self.response_checks {
            let module = emit::ident(RESPONSE_CHECKS);
            let path = if self.include_style {
                let path = out_dir.join(format!("{RESPONSE_CHECKS}.rs"));
                let path = path.to_string_lossy().into_owned();
                quote!(#[path = #path])
            } else {
                quote!()
            };
            root.push(quote!(#[doc(hidden)] #path pub mod #module;));
        }
        files.push(OutputFile {
            path: "mod.rs".to_owned(),
            contents: format::file(quote!(#(#root)*), "module tree", "api-specs")?,
        });
        Ok(files)
    }
}

/// The module of [`Builder::response_checks`].
const RESPONSE_CHECKS: &str = "response_checks";

/// A module identifier for a service name, raw where it is a keyword (`as` → `r#as`).
fn emit_ident(name: &str) -> proc_macro2::Ident {
    emit::ident(&model::names::snake(name))
}

/// Parses, checks and models one spec file; one from a spec directory must sit at
/// `<service>/<version>.json`, which lets a build script skip disabled services unread.
/// Generates one service version from a spec held in memory (`name` stands for its file in
/// messages), blocking client and serde included: the whole pipeline without the file system, for
/// fuzzing. Every `Ok` is code that syn parsed.
pub fn render_spec(name: &Path, bytes: &[u8]) -> Result<OutputFile, Error> {
    let service = model_of(
        name,
        spec::parse(name, bytes)?,
        false,
        model::names::Naming::Words,
    )?;
    let options = emit::Options {
        blocking: emit::Switch::On,
        serde: emit::Switch::On,
    };
    emit_file(name, &service, options)
}

/// A module for a user's crate that calls every action of the service version in `spec`
/// once, through the crate path `sdk` (see [`calls`]), and how many actions it calls.
pub fn render_calls(spec: &Path, sdk: &syn::Path) -> Result<(String, usize), Error> {
    let service = load(spec, false)?;
    let (tokens, count) = calls::module(&service, sdk);
    let label = format!("calls of {} {}", service.name, service.module);
    Ok((format::file(tokens, &label, &display_source(spec))?, count))
}

/// Emits and formats one service version's file.
fn emit_file(
    path: &Path,
    service: &model::Service,
    options: emit::Options,
) -> Result<OutputFile, Error> {
    let docs = emit::Docs::default();
    let tokens = emit::service(service, options, &docs);
    let label = format!("{} {}", service.name, service.module);
    let formatted = format::file(tokens, &label, &display_source(path))?;
    Ok(OutputFile {
        path: format!("{}/{}.rs", service.name, service.module),
        contents: docs.attach(&formatted),
    })
}

/// Parses, checks and models one spec; `in_layout` also checks that it sits at
/// `<service>/<version>.json`.
pub(crate) fn load(path: &Path, in_layout: bool) -> Result<model::Service, Error> {
    load_with(path, in_layout, model::names::Naming::Words)
}

/// [`load`], with snake and shouty names by the rule `naming`.
pub(crate) fn load_with(
    path: &Path,
    in_layout: bool,
    naming: model::names::Naming,
) -> Result<model::Service, Error> {
    model_of(path, spec::read(path)?, in_layout, naming)
}

/// Checks and models a parsed spec.
fn model_of(
    path: &Path,
    spec: spec::Spec,
    in_layout: bool,
    naming: model::names::Naming,
) -> Result<model::Service, Error> {
    let mut problems = check::check(&spec);
    if in_layout && problems.is_empty() {
        let service = &spec.metadata.service_short_name;
        let version = format!("v{}", spec.metadata.api_version.replace('-', ""));
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        if parent_name(path) != *service || stem != version {
            problems.push(Problem {
                file: path.to_owned(),
                line: None,
                column: None,
                json_path: "metadata".to_owned(),
                message: format!(
                    "this spec of {service} {} belongs at {service}/{version}.json in its spec directory",
                    spec.metadata.api_version
                ),
            });
        }
    }
    if problems.is_empty() {
        Ok(model::build_with(&spec, naming))
    } else {
        Err(Error::Spec(problems))
    }
}

/// The last component of `path`, as text.
pub(crate) fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The name of the directory holding `path`.
fn parent_name(path: &Path) -> String {
    path.parent().map(file_name).unwrap_or_default()
}

/// `organization/v20210331.json`: the part of a spec path that is the same on every machine.
fn display_source(path: &Path) -> String {
    let parts: Vec<_> = path.iter().rev().take(2).collect();
    parts
        .iter()
        .rev()
        .map(|p| p.to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

pub(crate) fn collect_ext(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) -> Result<(), Error> {
    collect_files(dir, &[ext], &[], out)
}

/// Every file under `dir` whose extension is one of `exts`, not descending into directories
/// named in `skip`.
fn collect_files(
    dir: &Path,
    exts: &[&str],
    skip: &[&str],
    out: &mut Vec<PathBuf>,
) -> Result<(), Error> {
    let entries = std::fs::read_dir(dir).map_err(|source| Error::Io {
        path: dir.to_owned(),
        source,
    })?;
    for entry in entries {
        let path = entry
            .map_err(|source| Error::Io {
                path: dir.to_owned(),
                source,
            })?
            .path();
        if path.is_dir() {
            if !path
                .file_name()
                .is_some_and(|n| skip.iter().any(|s| n == *s))
            {
                collect_files(&path, exts, skip, out)?;
            }
        } else if path
            .extension()
            .is_some_and(|e| exts.iter().any(|x| e == *x))
        {
            out.push(path);
        }
    }
    Ok(())
}
