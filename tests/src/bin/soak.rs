//! `soak [--calls N] [--concurrency N] [--skew-every N] [--seconds N]`: the soak of
//! `tencentcloud_tests::soak` (defaults: 200,000 calls, 64 at once, the endpoint's clock
//! moved every 25,000 calls, at most an hour); prints what it saw and exits 1 if a check
//! failed, 2 for bad arguments. `scripts/soak.sh` builds it in release and runs it.

use std::process::ExitCode;
use std::time::Duration;

use tencentcloud_tests::soak::{self, Settings};

fn settings(args: &[String]) -> Result<Settings, String> {
    let mut settings = Settings::default();
    let mut args = args.iter();
    while let Some(flag) = args.next() {
        let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let number: u64 = value
            .parse()
            .map_err(|_| format!("{flag}: `{value}` is not a whole number"))?;
        let count =
            usize::try_from(number).map_err(|_| format!("{flag}: {number} is too large"))?;
        match flag.as_str() {
            "--calls" => settings.calls = count,
            "--concurrency" => settings.concurrency = count.max(1),
            "--skew-every" => settings.skew_every = count.max(1),
            "--seconds" => settings.time_limit = Duration::from_secs(number),
            other => return Err(format!("unknown option {other}")),
        }
    }
    Ok(settings)
}

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let settings = match settings(&args) {
        Ok(settings) => settings,
        Err(problem) => {
            eprintln!("soak: {problem}\nusage: soak [--calls N] [--concurrency N] [--skew-every N] [--seconds N]");
            return ExitCode::from(2);
        }
    };
    let report = soak::run(&settings).await;
    println!("{report:#?}");
    let per_second = report.ended as f64 / report.elapsed.as_secs_f64().max(0.001);
    println!(
        "{} calls in {:.1} s ({per_second:.0} a second)",
        report.ended,
        report.elapsed.as_secs_f64()
    );
    match report.check() {
        Ok(()) => {
            println!("every check passed");
            ExitCode::SUCCESS
        }
        Err(problems) => {
            for problem in problems {
                eprintln!("soak: {problem}");
            }
            ExitCode::FAILURE
        }
    }
}
