#!/usr/bin/env bash
# Packages every crate a user adds, as crates.io would get them, and proves them from outside:
#
#   1. tencentcloud-common-codes, tencentcloud-runtime and tencentcloud-codegen with
#      `cargo package`, which builds each from its package alone;
#   2. the SDK: `tencentcloud-codegen package` lays api-specs/ out as one crate per service
#      plus the facade tencentcloud-sdk, and `cargo package --workspace` packages them all;
#   3. every .crate checked against crates.io's limit (10 MiB), then unpacked;
#   4. two user projects (tests/packaging/) built against the unpacked packages, never
#      against paths into this repository, and run against the local endpoint: one adds two
#      services of the SDK (sdk-user), one generates its own client from its own api-specs/
#      in build.rs, as the README says (build-script-user).
#
# Each project resolves the packages through a [patch.crates-io] table that points at the
# unpacked .crate contents (target/packaging/patch.toml): what `cargo add` would fetch from
# crates.io once published.
#
#   scripts/package.sh [--no-users] [SERVICE...]   # default: every service in api-specs/
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
. scripts/scratch-crate.sh
users=1
if [ "${1:-}" = --no-users ]; then users=0; shift; fi
out=$root/target/packaging
rm -rf "$out/sdk" "$out/unpacked" "$out/crates"
mkdir -p "$out/crates" "$out/unpacked"
limit=$((10 * 1024 * 1024))

echo "== the runtime, its common codes and the generator, each built from its package"
# cargo verifies each package against the others through a temporary registry, whose
# packages it unpacks into CARGO_HOME once per name and version and reuses on the next run
# from the same path: with the version unchanged between commits, a later run would verify
# against an earlier commit's sources. Those copies go first.
# So do its builds of them from that registry, which it never rebuilds either (a registry's
# package is taken as never changing): the common codes are the one the others depend on.
rm -rf "${CARGO_HOME:-$HOME/.cargo}"/registry/src/-*/tencentcloud-*
cargo clean --quiet -p tencentcloud-common-codes
cargo package --quiet --allow-dirty --locked \
  -p tencentcloud-common-codes -p tencentcloud-runtime -p tencentcloud-codegen
cp target/package/tencentcloud-common-codes-*.crate target/package/tencentcloud-runtime-*.crate \
  target/package/tencentcloud-codegen-*.crate "$out/crates/"

echo "== the SDK: a crate per service and the facade"
cargo build --quiet --release --locked -p tencentcloud-codegen
codegen=${CARGO_TARGET_DIR:-target}/release/tencentcloud-codegen
case "$codegen" in /*) ;; *) codegen=$root/$codegen ;; esac
specs=(api-specs)
if [ $# -gt 0 ]; then specs=(); for s in "$@"; do specs+=("api-specs/$s"); done; fi
start=$(date +%s)
"$codegen" package --out "$out/sdk" "${specs[@]}"
"$codegen" check --packages --out "$out/sdk" "${specs[@]}" > /dev/null
# The runtime is not on crates.io yet: the SDK's packages find it (and its common codes) in
# this checkout while they are packaged. --no-verify: each package is built from its
# contents below, by the user projects; every service's code is the code that
# scripts/catalog.sh compiles. --exclude-lockfile: they are libraries, whose lock file no
# dependent reads; resolving one per package took 239 s of the 240.
(cd "$out/sdk" && CARGO_TARGET_DIR="$out/sdk/target" cargo package --quiet --workspace --no-verify --exclude-lockfile \
  --config "patch.crates-io.tencentcloud-runtime.path=\"$root/runtime\"" \
  --config "patch.crates-io.tencentcloud-common-codes.path=\"$root/runtime/common-codes\"")
cp "$out"/sdk/target/package/*.crate "$out/crates/"
echo "packaged $(ls "$out"/sdk/target/package/*.crate | wc -l) SDK crates in $(( $(date +%s) - start )) s"
# crates.io takes at most 300 features per crate; the facade has one per service, and
# blocking, sts and default (docs/packaging.md).
features=$(sed -n '/^\[features\]/,/^\[/p' "$out/sdk/tencentcloud-sdk/Cargo.toml" | grep -c '^[a-z0-9_-]* = \[' || true)
echo "the facade has $features features, of crates.io's limit of 300 ($(( 300 - features )) left)"
if [ "$features" -gt 300 ]; then echo "too many features for crates.io: tencentcloud-sdk ($features)"; exit 1; fi
if [ "$features" -gt 290 ]; then echo "warning: fewer than 10 features left in tencentcloud-sdk: ask crates.io to raise its limit (docs/packaging.md)"; fi

echo "== sizes, against crates.io's limit of $limit bytes per package"
too_big=0
largest=
largest_size=0
total=0
for crate in "$out"/crates/*.crate; do
  size=$(stat -c %s "$crate")
  total=$((total + size))
  if [ "$size" -gt "$largest_size" ]; then largest_size=$size; largest=$(basename "$crate"); fi
  if [ "$size" -gt "$limit" ]; then echo "too large for crates.io: $(basename "$crate") ($size bytes)"; too_big=1; fi
  # -m: the files dated now, not as packed (cargo packs one fixed date), so that cargo sees
  # a package made again as changed and does not reuse a build of the last one.
  tar -xzmf "$crate" -C "$out/unpacked"
done
echo "$(ls "$out"/crates/*.crate | wc -l) packages, $total bytes compressed in all; the largest: $largest ($largest_size bytes)"
[ "$too_big" = 0 ] || exit 1

# Every unpacked package, by name, for the user projects.
{
  echo "# Generated by scripts/package.sh: the packages, unpacked, in place of crates.io's."
  echo "[patch.crates-io]"
  for dir in "$out"/unpacked/*/; do
    dir=${dir%/}
    name=$(sed -n 's/^name = "\(.*\)"$/\1/p' "$dir/Cargo.toml" | head -1)
    echo "$name = { path = \"$dir\" }"
  done
} > "$out/patch.toml"
# What they were made from (scripts/binary-size.sh and build-cost.sh make them again for
# another tree).
source_state > "$out/made-from"

[ "$users" = 1 ] || exit 0
echo "== user projects, built from the packages"
export CARGO_TARGET_DIR=$out/users-target
for project in sdk-user build-script-user; do
  dir=$out/users/$project
  rm -rf "$dir"
  mkdir -p "$(dirname "$dir")"
  cp -r "tests/packaging/$project" "$dir"
  # The same versions of third-party crates as the repository's lock, so a new release on
  # crates.io cannot break this check; cargo adds the packages' own entries.
  cp Cargo.lock "$dir/"
  if [ "$project" = build-script-user ]; then
    mkdir -p "$dir/api-specs/organization"
    cp api-specs/organization/v20210331.json "$dir/api-specs/organization/"
  fi
  # Resolve once with every package patched in, then keep only the patches the project
  # uses, so cargo does not warn of the hundred-odd services it does not.
  (cd "$dir" && cargo metadata --quiet --format-version 1 --config "$out/patch.toml" > /dev/null 2>&1)
  python3 - "$dir/Cargo.lock" "$out/patch.toml" "$dir/patch.toml" <<'PY'
import re, sys
lock, full, mine = sys.argv[1:]
used = set(re.findall(r'\[\[package\]\]\nname = "(tencentcloud[^"]*)"\nversion = "[^"]*"\n(?!source)', open(lock).read()))
lines = [l for l in open(full) if not l.startswith("tencentcloud") or l.split(" = ")[0] in used]
open(mine, "w").writelines(lines)
PY
  (cd "$dir" && cargo run --quiet --config patch.toml)
  # Nothing of it may come from this checkout's crates: every tencentcloud crate it built
  # is one of the unpacked packages.
  if (cd "$dir" && cargo metadata --format-version 1 --config patch.toml) \
      | python3 -c "
import json, sys
meta = json.load(sys.stdin)
bad = [p['manifest_path'] for p in meta['packages']
       if p['name'].startswith('tencentcloud') and not p['manifest_path'].startswith('$out/unpacked/')]
if bad:
    print('\n'.join(bad))
sys.exit(1 if bad else 0)"; then
    echo "$project: every tencentcloud crate came from its package"
  else
    echo "$project: built from outside the packages (above)" >&2
    exit 1
  fi
done

echo "== the transport's features as the user sets them"
# reqwest's codec and protocol features in sdk-user, as written and with every default
# turned off: the packages must pass the user's choice through (README, "Transport").
dir=$out/users/sdk-user
transport_features() {
  (cd "$dir" && cargo tree --quiet --config patch.toml -e features -i reqwest --prefix none) |
    sed -n 's/^reqwest feature "\(gzip\|deflate\|brotli\|zstd\|http2\)".*/\1/p' | sort -u | paste -sd' '
}
as_written=$(transport_features)
sed -i -e 's/^tencentcloud-sdk = { version = "0.1", /&default-features = false, /' \
  -e 's/^tencentcloud-runtime = { version = "0.1", /&default-features = false, /' "$dir/Cargo.toml"
turned_off=$(transport_features)
echo "defaults: [$as_written]; every default off: [$turned_off]"
if [ "$as_written" != "deflate gzip" ] || [ -n "$turned_off" ]; then
  echo "the transport's features do not follow the user's choice (expected [deflate gzip], then [])" >&2
  exit 1
fi
