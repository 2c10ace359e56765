#!/usr/bin/env bash
# What one call costs in binary size: a release program that makes one call of one service
# (credentials from the environment, no local endpoint), stripped, beside the same program
# with the AWS SDK for Rust (aws-config and aws-sdk-iam, `list_users`), in one run: ours with
# the default features, with every transport feature off, and with HTTP/2 and brotli; then
# where our bytes go, by crate, if cargo-bloat is installed (`cargo install cargo-bloat`).
# Our crates come from scripts/package.sh's packages, made again unless those in
# target/packaging are this tree's. Figures: docs/benchmarks.md ("Binary size").
#
#   scripts/binary-size.sh
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/scratch-crate.sh
work=$PWD/target/binary-size
mkdir -p "$work"
packages_of_this_tree
aws_iam=1.133.0
release='
[profile.release]
strip = true'

# build DIR: the release build of DIR's program; prints its size in bytes.
build() {
  (cd "$1" && CARGO_TARGET_DIR=$work/target-$(basename "$1") cargo build --release --quiet 2>>"$work/log")
  stat -c %s "$work/target-$(basename "$1")/release/$(basename "$1")"
}

# ours NAME FEATURES...: the cvm program as a user builds it, with the runtime's transport
# FEATURES only (the defaults of the SDK's crates and the runtime turned off) or, for
# `default`, as the README's dependency lines have it.
ours() {
  local name=$1 sdk runtime
  shift
  if [ "${1:-}" = default ]; then
    sdk='tencentcloud-sdk = { version = "0.1", features = ["cvm"] }'
    runtime='tencentcloud-runtime = "0.1"'
  else
    local list="" feature
    for feature in "$@"; do list+="\"$feature\", "; done
    sdk='tencentcloud-sdk = { version = "0.1", default-features = false, features = ["cvm"] }'
    runtime="tencentcloud-runtime = { version = \"0.1\", default-features = false, features = [${list%, }] }"
  fi
  packaged_crate "$work/$name" "$name" "$sdk
$runtime
tokio = { version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }"
  echo "$release" >> "$work/$name/Cargo.toml"
  cat > "$work/$name/src/main.rs" <<'RS'
//! One cvm call: the instances of the account, counted.
use tencentcloud_sdk::cvm::v20170312::{Client, DescribeInstancesRequest};
#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::new(tencentcloud_runtime::Config::from_env()?);
    let answer = client.describe_instances(DescribeInstancesRequest::new()).await?;
    println!("{} instances", answer.total_count);
    Ok(())
}
RS
}

# The variants, each with its own target directory: what the README's lines give, every
# transport feature turned off, and the features the default left out (HTTP/2, brotli).
ours cvm-call default
ours cvm-call-bare
ours cvm-call-full gzip deflate http2 brotli

scratch_crate "$work/iam-call" iam-call Cargo.lock "aws-config = { version = \"1\", features = [\"behavior-version-latest\"] }
aws-sdk-iam = \"=$aws_iam\"
tokio = { version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }"
echo "$release" >> "$work/iam-call/Cargo.toml"
cat > "$work/iam-call/src/main.rs" <<'RS'
//! One IAM call: the users of the account, counted.
#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let config = aws_config::load_from_env().await;
    let answer = aws_sdk_iam::Client::new(&config).list_users().send().await?;
    println!("{} users", answer.users().len());
    Ok(())
}
RS

default=$(build "$work/cvm-call")
bare=$(build "$work/cvm-call-bare")
full=$(build "$work/cvm-call-full")
aws=$(build "$work/iam-call")
python3 - "$default" "$bare" "$full" "$aws" <<'PY'
import sys
default, bare, full, aws = map(int, sys.argv[1:])
print(f"{'program, release, stripped':<62} {'bytes':>12} {'MB':>7} {'/ AWS':>6}")
for label, size in [
    ("tencentcloud-sdk cvm, describe_instances, default features", default),
    ("  the same, every transport feature off", bare),
    ("  the same, with http2 and brotli too", full),
    ("aws-sdk-iam + aws-config, list_users", aws),
]:
    print(f"{label:<62} {size:>12} {size / 1e6:>7.2f} {size / aws:>6.2f}")
PY
echo "resolved: $(grep -A1 -E 'name = "aws-(config|sdk-iam)"' "$work/iam-call/Cargo.lock" | grep -o '"[^"]*"' | paste -sd' ')"
echo "crates of ours that compile C (those whose build scripts use cc):"
(cd "$work/cvm-call" && cargo tree -q -i cc -e normal,build --prefix none --depth 1 2>/dev/null | tail -n +2 | sort -u | sed 's/^/  /')
if command -v cargo-bloat >/dev/null; then
  echo "where the bytes go (cargo bloat --release --crates, unstripped):"
  (cd "$work/cvm-call" && sed -i 's/^strip = true/strip = false/' Cargo.toml &&
    CARGO_TARGET_DIR=$work/target-cvm-call cargo bloat --release --crates -n 20 2>>"$work/log")
fi
