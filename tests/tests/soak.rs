//! The soak, short: 4,000 calls, 64 at once, the endpoint's clock moved four times, every
//! fault mixed in, and every check of a long run (`scripts/soak.sh` runs 200,000).

use tencentcloud_tests::soak::{self, Settings};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn thousands_of_calls_through_every_fault_lose_nothing() {
    let settings = Settings {
        calls: 4_000,
        concurrency: 64,
        skew_every: 1_000,
        ..Settings::default()
    };
    let report = soak::run(&settings).await;
    assert_eq!(report.clock_moves, 4, "{report:#?}");
    assert!(report.credentials_fetched >= 1, "{report:#?}");
    // Every fault was met: the endpoint's log shows each kind of answer.
    for outcome in [
        "answered",
        "dropped",
        "droppedunread",
        "rejected:AuthFailure.SignatureExpire",
    ] {
        assert!(
            report.requests.contains_key(outcome),
            "no {outcome}: {report:#?}"
        );
    }
    for failure in [
        "timeout",
        "transport",
        "invalid_answer",
        "service:AuthFailure.SignatureFailure",
    ] {
        assert!(
            report.failed.contains_key(failure),
            "no {failure}: {report:#?}"
        );
    }
    if let Err(problems) = report.check() {
        panic!("{problems:#?}\n{report:#?}");
    }
}
