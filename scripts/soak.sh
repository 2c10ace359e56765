#!/usr/bin/env bash
# The soak (tests/src/soak.rs): the generated clients against the local endpoint with every
# fault it can play mixed in, 200,000 calls 64 at once by default, then the checks (every
# call ends, nothing unsafe sent twice, every success one the endpoint made, memory,
# connections and tasks flat after warm-up). Arguments go to the binary:
#   bash scripts/soak.sh [--calls N] [--concurrency N] [--skew-every N] [--seconds N]
# Local only: it reaches nothing but 127.0.0.1. Figures: docs/benchmarks.md ("The soak").
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked -p tencentcloud-tests --bin soak
exec target/release/soak "$@"
