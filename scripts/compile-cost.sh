#!/usr/bin/env bash
# Compile cost of the generated code per 100 actions, lean (what the generator emits) against
# the straightforward version (every struct Serialize + Deserialize with a constructor and
# setters, every error enum repeating the 38 common codes). Needs an imported catalog:
# run scripts/catalog.sh --sample (or the full run) first.
#
#   scripts/compile-cost.sh [SERVICE...]     # default: csip cvm tke
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
specs=target/catalog/api-specs
if [ ! -d "$specs" ]; then
  echo "no $specs: run scripts/catalog.sh --sample first" >&2
  exit 2
fi
services=("$@")
[ ${#services[@]} -gt 0 ] || services=(csip cvm tke)

cargo build --quiet --release --locked -p tencentcloud-codegen
codegen=target/release/tencentcloud-codegen
export CARGO_TARGET_DIR="$root/target/compile-cost-target"

printf '%-10s %-9s %8s %9s %10s %12s %14s\n' service style actions source "check s" "peak RSS MB" "s / 100 actions"
for service in "${services[@]}"; do
  actions=$(python3 -c "import json,glob; print(sum(len(json.load(open(f))['actions']) for f in glob.glob('$specs/$service/*.json')))")
  for style in lean straightforward; do
    crate="target/compile-cost/$service-$style"
    rm -rf "$crate"
    mkdir -p "$crate/src"
    flag=()
    [ "$style" = straightforward ] && flag=(--baseline)
    "$codegen" generate "${flag[@]}" --out "$crate/src/generated" "$specs/$service" > /dev/null
    cat > "$crate/Cargo.toml" <<TOML
[package]
name = "cost-$service-$style"
version = "0.0.0"
edition = "2021"
publish = false
[workspace]
[dependencies]
serde = { version = "1", features = ["derive"] }
tencentcloud-runtime = { path = "$root/runtime" }
TOML
    cp Cargo.lock "$crate/"
    printf '#![allow(missing_docs)]\npub mod generated;\n' > "$crate/src/lib.rs"
    (cd "$crate" && cargo check --quiet 2>/dev/null)   # dependencies, once
    touch "$crate/src/lib.rs"
    measured=$( { /usr/bin/time -f '%e %M' sh -c "cd '$crate' && cargo check --quiet" ; } 2>&1 | tail -1)
    secs=${measured% *}
    kb=${measured#* }
    size=$(du -sh "$crate/src/generated" | cut -f1)
    printf '%-10s %-9s %8s %9s %10s %12s %14s\n' "$service" "$style" "$actions" "$size" "$secs" \
      "$((kb / 1024))" "$(python3 -c "print(f'{$secs * 100 / $actions:.2f}')")"
  done
done
