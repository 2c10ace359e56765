#!/usr/bin/env bash
# A user's rebuild before and after a change, in one run (figures: docs/benchmarks.md):
# the crate that `tencentcloud-codegen calls` writes for SERVICE (every action called once)
# in two projects, one built against the runtime and SERVICE's package of REV, the other
# against this tree's. Each is rebuilt ROUNDS times after an edit, the two taking turns, so
# that the machine's load falls on both alike. Prints each side's wall times, sorted.
#
#   scripts/rebuild-turns.sh REV [SERVICE] [ROUNDS]     # default: cvm, 6
#
# REV must have `tencentcloud-codegen package` (the packaged SDK). Its tree is a worktree in
# target/rebuild-turns/, so neither side shares a build with the other.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
. scripts/scratch-crate.sh
rev=${1:?usage: scripts/rebuild-turns.sh REV [SERVICE] [ROUNDS]}
service=${2:-cvm}
rounds=${3:-6}
# Each tree and each project builds in its own target directory.
unset CARGO_TARGET_DIR
work=$root/target/rebuild-turns
mkdir -p "$work"
: > "$work/log"

before=$work/tree
if [ -d "$before" ]; then git worktree remove --force "$before"; fi
git worktree add --detach --quiet "$before" "$rev"

# side NAME TREE: SERVICE packaged by TREE's generator, and a project against it and TREE's
# runtime, built once.
side() {
  local name=$1 tree=$2
  (cd "$tree" && cargo build --quiet --release --locked -p tencentcloud-codegen 2>>"$work/log")
  local codegen=$tree/target/release/tencentcloud-codegen
  scratch_crate "$work/$name" "user-$service" "$tree/Cargo.lock" "tencentcloud-sdk-$service = \"0.1\"
tencentcloud-runtime = \"0.1\""
  mkdir -p "$work/$name/.cargo"
  cat > "$work/$name/.cargo/config.toml" <<TOML
[patch.crates-io]
tencentcloud-runtime = { path = "$tree/runtime" }
tencentcloud-common-codes = { path = "$tree/runtime/common-codes" }
tencentcloud-sdk-$service = { path = "$work/$name/sdk/tencentcloud-sdk-$service" }
TOML
  "$codegen" package --out "$work/$name/sdk" "$tree/api-specs/$service" >>"$work/log"
  spec=$(ls "$root"/api-specs/"$service"/*.json | tail -1)
  "$root/target/release/tencentcloud-codegen" calls --sdk "tencentcloud_sdk_$service" \
    --out "$work/$name/src/lib.rs" "$spec" >/dev/null
  (cd "$work/$name" && cargo build --quiet --release 2>>"$work/log")
}

cargo build --quiet --release --locked -p tencentcloud-codegen
side before "$before"
side after "$root"

declare -A times
for round in $(seq "$rounds"); do
  for name in before after; do
    echo "// edit $round" >> "$work/$name/src/lib.rs"
    (cd "$work/$name" && /usr/bin/time -f '%e' -o "$work/time" cargo build --quiet --release 2>>"$work/log")
    times[$name]="${times[$name]:-} $(cat "$work/time")"
  done
done
for name in before after; do
  echo "$name ($([ "$name" = before ] && echo "$rev" || echo "this tree")): $(echo ${times[$name]} | tr ' ' '\n' | sort -n | tr '\n' ' ')"
done
git worktree remove --force "$before"
