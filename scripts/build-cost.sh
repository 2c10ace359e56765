#!/usr/bin/env bash
# What the SDK costs its users to compile, release profile, against the AWS SDK for Rust
# (aws-sdk-iam, 180 operations) doing the same, in one run (figures: docs/benchmarks.md):
#
#   sdk      the SDK's package of one service built on its own (its dependencies built
#            before), per 100 actions, BUILDS times (default 1; aws-sdk-iam's the same);
#            with DEV=1 its debug build and its `cargo check` too, the same way; then
#            again with its `serde` feature (JSON in and out);
#   user     a user's crate that calls every action of that service once (written by
#            `tencentcloud-codegen calls`; for IAM, every operation's `.send()`), rebuilt
#            after an edit to it, EDITS times (default 3), per 100 actions called;
#   ten      a clean build of a user project with ten common services through the facade
#            (cvm vpc cbs clb cam cdb tke monitor cls ssl), dependencies and all, beside a
#            clean build of a project with aws-sdk-iam.
#
# Each line: wall seconds, CPU seconds (user + system), peak memory of the largest process
# (a rustc), and seconds per 100 actions. Our crates come from scripts/package.sh's packages
# (run first, or let this script run it), never from paths into this repository.
#
#   [REPEAT=N] [BUILDS=N] [DEV=1] [EDITS=N] [TEN=0] scripts/build-cost.sh [--no-aws] [SERVICE...]
#                                                                      # default: cvm vpc
#
# TEN=0 leaves out the ten-service project.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
. scripts/scratch-crate.sh
aws=1
if [ "${1:-}" = --no-aws ]; then aws=0; shift; fi
services=("$@")
[ ${#services[@]} -gt 0 ] || services=(cvm vpc)
ten=(cvm vpc cbs clb cam cdb tke monitor cls ssl)
work=$root/target/build-cost
mkdir -p "$work"
: > "$work/log"
packages_of_this_tree
codegen=${CARGO_TARGET_DIR:-target}/release/tencentcloud-codegen
case "$codegen" in /*) ;; *) codegen=$root/$codegen ;; esac
aws_iam=1.133.0

# time_build DIR LABEL ACTIONS CARGO-ARGS...: one build, its line printed and kept.
time_build() {
  local dir=$1 label=$2 actions=$3
  shift 3
  local run
  run=$( { /usr/bin/time -f '%e %U %S %M' sh -c "cd '$dir' && cargo $* --quiet 2>>'$work/log'" ; } 2>&1)
  if [ "$(echo "$run" | wc -l)" -gt 1 ]; then
    echo "$label: the build failed ($run); see $work/log" >&2
    exit 1
  fi
  read -r wall user sys kb <<< "$run"
  python3 - "$label" "$actions" "$wall" "$user" "$sys" "$kb" <<'PY'
import sys
label, actions, wall, user, sys_, kb = sys.argv[1:]
cpu = float(user) + float(sys_)
per = f"{float(wall) * 100 / int(actions):8.2f}" if int(actions) else "       -"
print(f"{label:<52} {int(actions):>7} {float(wall):>8.1f} {cpu:>8.1f} {int(kb) // 1024:>8} {per}")
PY
}

# time_package DIR LABEL ACTIONS PACKAGE CARGO-ARGS...: PACKAGE's own build, BUILDS times
# (default 1), each after `cargo clean -p PACKAGE` (of the release profile's output when
# CARGO-ARGS has --release), a line each ("LABEL (build N)" when more than once).
time_package() {
  local dir=$1 label=$2 actions=$3 package=$4 build profile=() suffix=""
  shift 4
  case " $* " in *" --release "*) profile=(--release) ;; esac
  for build in $(seq "${BUILDS:-1}"); do
    [ "${BUILDS:-1}" = 1 ] || suffix=" (build $build)"
    (cd "$dir" && cargo clean --quiet "${profile[@]}" -p "$package" 2>>"$work/log")
    time_build "$dir" "$label$suffix" "$actions" "$@"
  done
}

# time_dev DIR LABEL ACTIONS PACKAGE [CARGO-ARGS...]: PACKAGE's own debug build and its own
# `cargo check`, as time_package times its release build, each after the same build of
# everything else in DIR.
time_dev() {
  local dir=$1 label=$2 actions=$3 package=$4
  shift 4
  (cd "$dir" && cargo build --quiet "$@" 2>>"$work/log")
  time_package "$dir" "$label, debug" "$actions" "$package" build "$@"
  (cd "$dir" && cargo check --quiet "$@" 2>>"$work/log")
  time_package "$dir" "$label, cargo check" "$actions" "$package" check "$@"
}

# time_rebuilds DIR LABEL ACTIONS: EDITS rebuilds (default 3) of DIR's release build, each
# after an edit to its src/lib.rs, a line each.
time_rebuilds() {
  local edit
  for edit in $(seq "${EDITS:-3}"); do
    echo "// edit $edit" >> "$1/src/lib.rs"
    time_build "$1" "$2 ($edit)" "$3" build --release
  done
}

printf '%-52s %7s %8s %8s %8s %8s\n' what actions "wall s" "CPU s" "peak MB" "wall s/100"
for _ in $(seq "${REPEAT:-1}"); do
  for service in "${services[@]}"; do
    spec=$(ls api-specs/"$service"/*.json | tail -1)
    dir=$work/user-$service
    packaged_crate "$dir" "user-$service" "tencentcloud-sdk-$service = \"0.1\"
tencentcloud-runtime = \"0.1\""
    actions=$(python3 -c "import json; print(len(json.load(open('$spec'))['actions']))")
    # One target directory for these projects: the third-party crates build once.
    export CARGO_TARGET_DIR=$work/target
    echo "pub use tencentcloud_sdk_$service as sdk;" > "$dir/src/lib.rs"
    (cd "$dir" && cargo build --quiet --release 2>>"$work/log")
    time_package "$dir" "sdk: tencentcloud-sdk-$service" "$actions" "tencentcloud-sdk-$service" \
      build --release
    if [ "${DEV:-0}" = 1 ]; then
      time_dev "$dir" "sdk: tencentcloud-sdk-$service" "$actions" "tencentcloud-sdk-$service"
    fi
    BUILDS=1 time_package "$dir" "sdk: tencentcloud-sdk-$service, feature serde" "$actions" \
      "tencentcloud-sdk-$service" build --release --features "tencentcloud-sdk-$service/serde"
    count=$("$codegen" calls --sdk "tencentcloud_sdk_$service" --out "$dir/src/lib.rs" "$spec")
    (cd "$dir" && cargo build --quiet --release 2>>"$work/log")
    time_rebuilds "$dir" "user: calls every $service action, rebuilt" "$count"
    unset CARGO_TARGET_DIR
  done

  if [ "${TEN:-1}" = 1 ]; then
    dir=$work/ten
    features=$(printf '"%s", ' "${ten[@]}")
    packaged_crate "$dir" ten-services "tencentcloud-sdk = { version = \"0.1\", features = [${features%, }] }
tencentcloud-runtime = \"0.1\"
tokio = { version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }"
    cat > "$dir/src/main.rs" <<'RS'
//! One call to each of ten services, from one program.
use tencentcloud_sdk as sdk;
#[tokio::main]
async fn main() {
    let config = tencentcloud_runtime::Config::from_env().expect("config");
    let _ = sdk::cvm::v20170312::Client::new(config.clone()).describe_zones(sdk::cvm::v20170312::DescribeZonesRequest::new()).await;
    let _ = sdk::vpc::v20170312::Client::new(config.clone()).describe_vpcs(sdk::vpc::v20170312::DescribeVpcsRequest::new()).await;
    let _ = sdk::cbs::v20170312::Client::new(config.clone()).describe_disks(sdk::cbs::v20170312::DescribeDisksRequest::new()).await;
    let _ = sdk::clb::v20180317::Client::new(config.clone()).describe_load_balancers(sdk::clb::v20180317::DescribeLoadBalancersRequest::new()).await;
    let _ = sdk::cam::v20190116::Client::new(config.clone()).list_groups(sdk::cam::v20190116::ListGroupsRequest::new()).await;
    let _ = sdk::cdb::v20170320::Client::new(config.clone()).describe_db_instances(sdk::cdb::v20170320::DescribeDBInstancesRequest::new()).await;
    let _ = sdk::tke::v20180525::Client::new(config.clone()).describe_clusters(sdk::tke::v20180525::DescribeClustersRequest::new()).await;
    let _ = sdk::monitor::v20180724::Client::new(config.clone()).describe_alarm_policies(sdk::monitor::v20180724::DescribeAlarmPoliciesRequest::new("monitor")).await;
    let _ = sdk::cls::v20201016::Client::new(config.clone()).describe_topics(sdk::cls::v20201016::DescribeTopicsRequest::new()).await;
    let _ = sdk::ssl::v20191205::Client::new(config).describe_certificates(sdk::ssl::v20191205::DescribeCertificatesRequest::new()).await;
}
RS
    actions=0
    for s in "${ten[@]}"; do
      actions=$((actions + $(python3 -c "import json,glob; print(sum(len(json.load(open(f))['actions']) for f in glob.glob('api-specs/$s/*.json')))")))
    done
    export CARGO_TARGET_DIR=$dir/target
    time_build "$dir" "ten: clean build, ten services" "$actions" build --release
    unset CARGO_TARGET_DIR
  fi

  [ "$aws" = 1 ] || continue
  dir=$work/aws-iam
  packaged_crate "$dir" user-aws-iam "aws-sdk-iam = \"=$aws_iam\"
tokio = { version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }"
  # Its own resolution: the repository's lock knows nothing of the AWS SDK.
  rm -f "$dir/Cargo.lock" "$dir/.cargo/config.toml"
  cat > "$dir/src/main.rs" <<'RS'
//! One IAM call, from one program: the AWS side of the ten-service project.
#[tokio::main]
async fn main() {
    let config = aws_sdk_iam::Config::builder().behavior_version_latest().build();
    let _ = aws_sdk_iam::Client::from_conf(config).list_users().send().await;
}
RS
  export CARGO_TARGET_DIR=$dir/target
  time_build "$dir" "ten (aws): clean build, aws-sdk-iam" 0 build --release
  rm "$dir/src/main.rs"
  source_dir=$(ls -d "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/aws-sdk-iam-$aws_iam | head -1)
  ops=$(ls "$source_dir/src/operation/" | sed -n 's/\.rs$//p' | sort)
  count=$(echo "$ops" | wc -w)
  {
    echo "//! Calls every aws-sdk-iam operation once: the AWS side of scripts/build-cost.sh."
    for op in $ops; do
      echo "async fn call_$op(client: &aws_sdk_iam::Client) -> bool { client.$op().send().await.is_ok() }"
    done
    echo "/// Calls each operation once; how many succeeded."
    echo "pub async fn call_every_action(client: &aws_sdk_iam::Client) -> usize {"
    echo "    let mut ok = 0usize;"
    for op in $ops; do echo "    ok += usize::from(call_$op(client).await);"; done
    echo "    ok"
    echo "}"
    echo "/// As a future to spawn."
    echo "pub fn spawnable(client: aws_sdk_iam::Client) -> std::pin::Pin<Box<dyn std::future::Future<Output = usize> + Send>> {"
    echo "    Box::pin(async move { call_every_action(&client).await })"
    echo "}"
  } > "$dir/src/lib.rs"
  time_package "$dir" "sdk (aws): aws-sdk-iam $aws_iam" "$count" aws-sdk-iam \
    build --release -p aws-sdk-iam
  if [ "${DEV:-0}" = 1 ]; then
    time_dev "$dir" "sdk (aws): aws-sdk-iam $aws_iam" "$count" aws-sdk-iam -p aws-sdk-iam
  fi
  (cd "$dir" && cargo build --quiet --release 2>/dev/null)
  time_rebuilds "$dir" "user (aws): calls every IAM operation, rebuilt" "$count"
  unset CARGO_TARGET_DIR
done
