#!/usr/bin/env bash
# Compile cost of the generated code per 100 actions, lean (what the generator emits) against
# the straightforward version (every struct Serialize + Deserialize with a constructor and
# setters, every error enum repeating the 38 common codes). Needs an imported catalog:
# run scripts/catalog.sh --sample (or the full run) first, or name a spec directory.
# With --against, the second style is the same lean output from another spec directory
# (such as the specs of an earlier commit), so two versions of the specs are compared in
# one run.
#
#   [REPEAT=N] scripts/compile-cost.sh [--specs DIR] [--against OLD_DIR] [SERVICE...]
#                                              # default: target/catalog/api-specs; csip cvm tke
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
specs=target/catalog/api-specs
against=
while [ $# -gt 0 ]; do
  case "$1" in
    --specs) specs=$2; shift 2 ;;
    --against) against=$2; shift 2 ;;
    *) break ;;
  esac
done
if [ ! -d "$specs" ]; then
  echo "no $specs: run scripts/catalog.sh --sample first" >&2
  exit 2
fi
services=("$@")
[ ${#services[@]} -gt 0 ] || services=(csip cvm tke)
styles=(lean straightforward)
[ -n "$against" ] && styles=(lean against)

cargo build --quiet --release --locked -p tencentcloud-codegen
codegen=${CARGO_TARGET_DIR:-target}/release/tencentcloud-codegen
# Its own target directory: the throwaway crates are not workspace members.
export CARGO_TARGET_DIR="${COMPILE_COST_TARGET:-$root/target/compile-cost-target}"

# CPU seconds (user + system) are the figure compared: on a loaded machine wall time
# moves by a third between runs, CPU time by a few percent.
printf '%-10s %-9s %8s %9s %8s %8s %12s %18s\n' service style actions source "wall s" "CPU s" "peak RSS MB" "CPU s / 100 actions"
for service in "${services[@]}"; do
  declare -A best=() count=()
  for style in "${styles[@]}"; do
    from=$specs
    [ "$style" = against ] && from=$against
    count[$style]=$(python3 -c "import json,glob; print(sum(len(json.load(open(f))['actions']) for f in glob.glob('$from/$service/*.json')))")
    crate="target/compile-cost/$service-$style"
    rm -rf "$crate"
    mkdir -p "$crate/src"
    flag=()
    if [ "$style" = straightforward ]; then flag=(--baseline); fi
    "$codegen" generate "${flag[@]}" --out "$crate/src/generated" "$from/$service" > /dev/null
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
  done
  # The fastest of REPEAT checks of each style (default 1), the styles taking turns so
  # that load from elsewhere on a shared machine falls on both alike.
  for _ in $(seq "${REPEAT:-1}"); do
    for style in "${styles[@]}"; do
      crate="target/compile-cost/$service-$style"
      touch "$crate/src/lib.rs"
      run=$( { /usr/bin/time -f '%U %S %e %M' sh -c "cd '$crate' && cargo check --quiet" ; } 2>&1 | tail -1)
      run=$(echo "$run" | awk '{printf "%.2f %s %s", $1 + $2, $3, $4}')
      if [ -z "${best[$style]:-}" ] || python3 -c "import sys; sys.exit(0 if ${run%% *} < ${best[$style]%% *} else 1)"; then
        best[$style]=$run
      fi
    done
  done
  for style in "${styles[@]}"; do
    read -r secs wall kb <<< "${best[$style]}"
    actions=${count[$style]}
    size=$(du -sh "target/compile-cost/$service-$style/src/generated" | cut -f1)
    printf '%-10s %-9s %8s %9s %8s %8s %12s %18s\n' "$service" "$style" "$actions" "$size" "$wall" "$secs" \
      "$((kb / 1024))" "$(python3 -c "print(f'{$secs * 100 / $actions:.2f}')")"
  done
  unset best count
done
