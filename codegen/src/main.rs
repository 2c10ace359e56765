//! The command line: `generate` writes the client sources, `check` reports files that are
//! out of date with the specs.

use std::path::PathBuf;
use std::process::ExitCode;

use tencentcloud_codegen::model::names::Naming;
use tencentcloud_codegen::package::Settings as PackageSettings;
use tencentcloud_codegen::Builder;

const USAGE: &str = "usage:
  tencentcloud-codegen generate --out DIR [--features] [--serde] [--response-checks] SPEC_OR_DIR...
  tencentcloud-codegen check --out DIR [--features | --packages] SPEC_OR_DIR...
  tencentcloud-codegen package --out DIR [--version VERSION] SPEC_OR_DIR...
  tencentcloud-codegen import [--intl CATALOG_DIR] [--china CATALOG_DIR | --from CATALOG_DIR]
                             [--error-codes-from GO_SDK_DIR...] [--service NAME...] --out SPEC_DIR
  tencentcloud-codegen diff [--json] [--old-naming heck] OLD NEW
  tencentcloud-codegen calls --sdk CRATE_PATH --out FILE SPEC

generate  writes one formatted file per service version, plus the module tree (mod.rs)
check     exits 1 naming every file under DIR that generate would change (with
          --packages, that package would change)
package   writes the SDK as packages crates.io takes: a crate per service
          (DIR/tencentcloud-sdk-<service>), the facade DIR/tencentcloud-sdk with a feature
          per service, and a workspace manifest over them (docs/packaging.md)
import    reads Tencent's catalogs (tccli/services: <service>/<version>/api.json and
          examples.json) into SPEC_DIR/<service>/<version>.json, keeping our extensions:
          --intl (tccli-intl-en) and --china (tccli) merge the two sites' catalogs into
          one spec per service version, marking what one site alone lists and printing
          every type the two disagree on (docs/spec-format.md); --from imports one catalog
          as it is; with --error-codes-from, adds each action's error codes read from an
          official Go SDK checkout (tencentcloud/<service>/<version>/client.go and
          errors.go); without a catalog, updates the specs already in SPEC_DIR in place
diff      what regenerating from NEW instead of OLD (two spec files, or two spec
          directories paired by <service>/<version>.json) changes for users; exits 0
          when nothing breaks, 3 when something may (1: a spec is bad, 2: usage)
calls     writes a module that calls every action of SPEC once through CRATE_PATH
          (tencentcloud_sdk_cvm): the user crate of scripts/build-cost.sh
--features  puts each service module behind #[cfg(feature = \"<service>\")]
--serde     also makes received types serde::Serialize and sent ones serde::Deserialize,
            in the wire form (behind the crate's feature \"serde\" with --features)
--response-checks  also writes response_checks.rs, whose run() reads every example answer
          of the specs into its response type (scripts/catalog.sh uses it)
--version   the packages' version (default: the generator's own, which is the runtime's)
--json      diff's report as JSON
--old-naming heck  diff names OLD's methods and fields by the rule of the generator
            before 0.2 (heck's: describe_i_pv6_addresses), so the report lists what the
            new naming rule renames (docs/naming.md)
--error-codes-from  repeatable; for a code's description the first SDK given that has
            one wins: give tencentcloud-sdk-go-intl-en (English) before
            tencentcloud-sdk-go (Chinese)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

fn run(args: &[String]) -> Result<ExitCode, String> {
    let (command, rest) = args.split_first().ok_or_else(|| USAGE.to_owned())?;
    if command == "--help" || command == "-h" {
        println!("{USAGE}");
        return Ok(ExitCode::SUCCESS);
    }
    if command == "import" {
        return import(rest);
    }
    if command == "diff" {
        return diff(rest);
    }
    if command == "calls" {
        return calls(rest);
    }
    let mut out = None;
    let mut builder = Builder::new();
    let mut packages = (command == "package").then(PackageSettings::default);
    let mut inputs = 0;
    let mut iter = rest.iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "--out" => out = Some(iter.next().ok_or("--out needs a directory")?.clone()),
            "--features" => builder = builder.feature_gates(true),
            "--packages" if command == "check" => packages = Some(PackageSettings::default()),
            "--version" if command == "package" => {
                let version = iter.next().ok_or("--version needs a version")?;
                if let Some(settings) = packages.as_mut() {
                    settings.version.clone_from(version);
                    settings.runtime_version.clone_from(version);
                }
            }
            "--response-checks" => builder = builder.response_checks(true),
            "--serde" => builder = builder.serde(true),
            // Undocumented: the straightforward output, for scripts/compile-cost.sh.
            "--baseline" => builder = builder.baseline(true),
            flag if flag.starts_with("--") => {
                return Err(format!("unknown option {flag}\n{USAGE}"))
            }
            input => {
                let path = PathBuf::from(input);
                builder = if path.is_dir() {
                    builder.spec_dir(path)
                } else {
                    builder.spec(path)
                };
                inputs += 1;
            }
        }
    }
    let out = out.ok_or_else(|| format!("--out DIR is required\n{USAGE}"))?;
    if inputs == 0 {
        return Err(format!("no spec files or directories given\n{USAGE}"));
    }
    let mut builder = builder.out_dir(&out);
    let packaging = packages.is_some();
    if let Some(settings) = packages {
        builder = builder.packages(settings);
    }
    match command.as_str() {
        "generate" | "package" => match builder.generate() {
            Ok(files) => {
                println!("wrote {} files to {out}", files.len());
                Ok(ExitCode::SUCCESS)
            }
            Err(e) => {
                eprintln!("error: {e}");
                Ok(ExitCode::from(1))
            }
        },
        "check" => match builder.check() {
            Ok(stale) if stale.is_empty() => {
                println!("{out} is up to date");
                Ok(ExitCode::SUCCESS)
            }
            Ok(stale) => {
                for path in &stale {
                    eprintln!("out of date: {}", path.display());
                }
                eprintln!(
                    "{} file(s) out of date; run `tencentcloud-codegen {}`",
                    stale.len(),
                    if packaging { "package" } else { "generate" }
                );
                Ok(ExitCode::from(1))
            }
            Err(e) => {
                eprintln!("error: {e}");
                Ok(ExitCode::from(1))
            }
        },
        other => Err(format!("unknown command {other}\n{USAGE}")),
    }
}

/// Exit status of `diff` when a change may break users' code.
const BREAKING: u8 = 3;

fn diff(args: &[String]) -> Result<ExitCode, String> {
    let mut json = false;
    let mut old_naming = Naming::Words;
    let mut paths: Vec<&String> = Vec::new();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "--json" => json = true,
            "--old-naming" => match iter.next().map(String::as_str) {
                Some("heck") => old_naming = Naming::Heck,
                Some("words") => old_naming = Naming::Words,
                other => {
                    return Err(format!(
                        "--old-naming takes heck or words, found {}\n{USAGE}",
                        other.map_or("nothing".to_owned(), |o| format!("{o:?}"))
                    ))
                }
            },
            flag if flag.starts_with("--") => {
                return Err(format!("unknown option {flag}\n{USAGE}"))
            }
            _ => paths.push(arg),
        }
    }
    let [old, new] = paths.as_slice() else {
        return Err(format!("diff takes OLD and NEW\n{USAGE}"));
    };
    let diffs = match tencentcloud_codegen::diff::paths_with(old.as_ref(), new.as_ref(), old_naming)
    {
        Ok(diffs) => diffs,
        Err(e) => {
            eprintln!("error: {e}");
            return Ok(ExitCode::from(1));
        }
    };
    let breaking: usize = diffs.iter().map(|d| d.breaking()).sum();
    if json {
        let report = serde_json::json!({ "breaking": breaking, "services": diffs });
        println!("{report:#}");
    } else {
        for d in &diffs {
            if d.changes.is_empty() {
                continue;
            }
            println!(
                "{} {}: {} change(s), {} breaking",
                d.service,
                d.version,
                d.changes.len(),
                d.breaking()
            );
            for change in &d.changes {
                println!("  {change}");
            }
        }
        let total: usize = diffs.iter().map(|d| d.changes.len()).sum();
        println!("{total} change(s), {breaking} breaking");
    }
    Ok(if breaking > 0 {
        ExitCode::from(BREAKING)
    } else {
        ExitCode::SUCCESS
    })
}

fn calls(args: &[String]) -> Result<ExitCode, String> {
    let (mut sdk, mut out, mut spec) = (None, None, None);
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let mut value = || iter.next().cloned().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--sdk" => sdk = Some(value()?),
            "--out" => out = Some(PathBuf::from(value()?)),
            flag if flag.starts_with("--") => {
                return Err(format!("unknown option {flag}\n{USAGE}"))
            }
            path if spec.is_none() => spec = Some(PathBuf::from(path)),
            extra => {
                return Err(format!(
                    "calls takes one SPEC; {extra} is a second\n{USAGE}"
                ))
            }
        }
    }
    let sdk = sdk.ok_or_else(|| format!("--sdk CRATE_PATH is required\n{USAGE}"))?;
    let sdk: syn::Path =
        syn::parse_str(&sdk).map_err(|e| format!("--sdk {sdk:?} is not a Rust path: {e}"))?;
    let out = out.ok_or_else(|| format!("--out FILE is required\n{USAGE}"))?;
    let spec = spec.ok_or_else(|| format!("calls needs a SPEC file\n{USAGE}"))?;
    match tencentcloud_codegen::render_calls(&spec, &sdk) {
        Ok((source, count)) => {
            std::fs::write(&out, source).map_err(|e| format!("{}: {e}", out.display()))?;
            println!("{count}");
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            eprintln!("error: {e}");
            Ok(ExitCode::from(1))
        }
    }
}

fn import(args: &[String]) -> Result<ExitCode, String> {
    use tencentcloud_codegen::import::Catalogs;
    use tencentcloud_codegen::spec::Site;
    let mut options = tencentcloud_codegen::import::Options::default();
    let mut out = None;
    let (mut from, mut intl, mut china) = (None, None, None);
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let mut value = || iter.next().cloned().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--from" => from = Some(PathBuf::from(value()?)),
            "--intl" => intl = Some(PathBuf::from(value()?)),
            "--china" => china = Some(PathBuf::from(value()?)),
            "--out" => out = Some(PathBuf::from(value()?)),
            "--service" => options.services.push(value()?),
            "--error-codes-from" => options.error_codes_from.push(PathBuf::from(value()?)),
            other => return Err(format!("unknown argument {other}\n{USAGE}")),
        }
    }
    options.out = out.ok_or_else(|| format!("--out SPEC_DIR is required\n{USAGE}"))?;
    options.catalogs = match (from, intl, china) {
        (None, None, None) if options.error_codes_from.is_empty() => {
            return Err(format!(
                "import needs catalogs (--intl and --china, or --from), --error-codes-from GO_SDK_DIR, or both\n{USAGE}"
            ))
        }
        (None, None, None) => Catalogs::InPlace,
        (Some(from), None, None) => Catalogs::One(from),
        (None, Some(intl), Some(china)) => Catalogs::Sites { intl, china },
        (None, _, _) => {
            return Err(format!(
                "--intl and --china go together: with one site's catalog alone, the import cannot tell what the other site lists too (to import one catalog as it is, give --from)\n{USAGE}"
            ))
        }
        (Some(_), _, _) => {
            return Err(format!(
                "--from imports one catalog as it is; to merge the two sites' catalogs give --intl and --china instead\n{USAGE}"
            ))
        }
    };
    match tencentcloud_codegen::import::run(&options) {
        Ok(imported) => {
            let changed = imported.iter().filter(|i| i.changed).count();
            for i in &imported {
                for conflict in &i.conflicts {
                    println!("type conflict: {}: {conflict}", i.path.display());
                }
            }
            let verb = if options.catalogs != Catalogs::InPlace {
                "imported into"
            } else {
                "updated in"
            };
            let (verb, place) = verb.split_once(' ').unwrap_or((verb, ""));
            println!(
                "{verb} {} service versions {place} {} ({changed} changed)",
                imported.len(),
                options.out.display()
            );
            if let Catalogs::Sites { .. } = options.catalogs {
                let count = |sites: &[Site]| imported.iter().filter(|i| i.sites == sites).count();
                let conflicts: usize = imported.iter().map(|i| i.conflicts.len()).sum();
                println!(
                    "service versions listed by both catalogs: {}, the international only: {}, the China-site only: {}; {conflicts} type conflict(s)",
                    count(&[Site::China, Site::International]),
                    count(&[Site::International]),
                    count(&[Site::China]),
                );
            }
            if !options.error_codes_from.is_empty() {
                let actions: usize = imported.iter().map(|i| i.actions).sum();
                let with_codes: usize = imported.iter().map(|i| i.actions_with_codes).sum();
                println!("{with_codes} of {actions} actions carry error codes");
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            eprintln!("error: {e}");
            Ok(ExitCode::from(1))
        }
    }
}
