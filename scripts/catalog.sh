#!/usr/bin/env bash
# The merged catalog of both sites, from a fresh clone: download Tencent's two catalogs
# (PyPI tccli-intl-en and tccli, pinned below) with pip, unpack them with Python's zipfile,
# import them over a copy of api-specs/ and require that nothing changes (api-specs/ is
# exactly what the import makes of the pinned wheels, with our extensions kept), generate
# every service version, then cargo clippy (-D warnings) and rustdoc (-D warnings) each
# service on its own feature, and read every example response that is JSON into its
# generated response type (the decoding policy: runtime/src/decode/). Prints the figures
# as it goes.
#
#   scripts/catalog.sh            # every service version of api-specs/ (hours on 2 cores)
#   CATALOG_ONLY="cvm vpc" scripts/catalog.sh   # the same checks, these services only
#   scripts/catalog.sh --sample   # the fixed CI sample (see SAMPLE below)
#   scripts/catalog.sh --import   # only download, import and compare into
#                                 # target/catalog/api-specs
#   GO_SDKS="GO_INTL_DIR GO_CN_DIR" scripts/catalog.sh --update
#                                 # download both wheels and import them into api-specs/
#                                 # itself, with each action's error codes from the Go
#                                 # SDK checkouts named (English first), if any
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
. scripts/scratch-crate.sh

# The catalogs api-specs/ is imported from (docs/spec-format.md, "One catalog from two sites").
INTL_PACKAGE=tccli-intl-en
INTL_VERSION=3.1.193.1
CHINA_PACKAGE=tccli
CHINA_VERSION=3.1.189.1
WORK=${CATALOG_WORK:-target/catalog}
# Chosen for size (wedata, vpc are among the largest) and quirks: a keyword service name
# (as), underscored object names (lke), 0/1 flags (databuddy), deep nesting and many
# versions (cvm, tke, cam), a service named like a Rust item (config), the services this
# project uses (organization, sts); and what the China-site catalog brings: services it
# alone lists (tcb, ess, iotexplorer, cii with its file uploads, chdfs with its offline
# actions), and hunyuan, whose chat actions it alone lists. (csip and teo, the largest
# after wedata, left the sample when these came, to keep CI's time: the full run has them.)
SAMPLE=(wedata as lke databuddy cvm cam tke config organization sts region tag ssl sms cls vpc tcb ess iotexplorer hunyuan cii chdfs)

mode=${1:-all}
case "$mode" in
  all | --sample | --import | --update) ;;
  *) echo "usage: scripts/catalog.sh [--sample | --import | --update]" >&2; exit 2 ;;
esac

mkdir -p "$WORK"
rm -rf "$WORK/unpacked" "$WORK/api-specs" "$WORK/crate"
for catalog in "$INTL_PACKAGE==$INTL_VERSION" "$CHINA_PACKAGE==$CHINA_VERSION"; do
  package=${catalog%%==*}
  version=${catalog##*==}
  wheel="$WORK/${package//-/_}-$version-py2.py3-none-any.whl"
  if [ ! -f "$wheel" ]; then
    python3 -m pip download --quiet --no-deps --dest "$WORK" "$catalog"
  fi
  python3 - "$wheel" "$WORK/unpacked/$package" <<'PY'
import sys, zipfile
wheel, dest = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(wheel) as z:
    z.extractall(dest, [n for n in z.namelist() if n.startswith("tccli/services/") and n.endswith(".json")])
PY
done

cargo build --quiet --release --locked -p tencentcloud-codegen
codegen=$(pwd)/${CARGO_TARGET_DIR:-target}/release/tencentcloud-codegen
case "${CARGO_TARGET_DIR:-}" in /*) codegen=$CARGO_TARGET_DIR/release/tencentcloud-codegen ;; esac

if [ "$mode" = --update ]; then
  codes=()
  for sdk in ${GO_SDKS:-}; do codes+=(--error-codes-from "$sdk"); done
  exec "$codegen" import --intl "$WORK/unpacked/$INTL_PACKAGE/tccli/services" \
    --china "$WORK/unpacked/$CHINA_PACKAGE/tccli/services" "${codes[@]}" --out api-specs
fi

services=()
mkdir -p "$WORK/api-specs"
if [ "$mode" = --sample ] || [ -n "${CATALOG_ONLY:-}" ]; then
  chosen=("${SAMPLE[@]}")
  if [ "$mode" != --sample ]; then read -r -a chosen <<< "$CATALOG_ONLY"; fi
  for s in "${chosen[@]}"; do
    services+=(--service "$s")
    cp -r "api-specs/$s" "$WORK/api-specs/"
  done
else
  cp -r api-specs/* "$WORK/api-specs/"
fi
# The import over our copy must change nothing: the specs are the pinned catalogs merged,
# with the extensions of api-specs/ kept (error codes, examples, streams, ...).
imported=$("$codegen" import --intl "$WORK/unpacked/$INTL_PACKAGE/tccli/services" \
  --china "$WORK/unpacked/$CHINA_PACKAGE/tccli/services" "${services[@]}" --out "$WORK/api-specs")
echo "$imported" | grep -v '^type conflict: '
echo "$(echo "$imported" | grep -c '^type conflict: ') type conflict(s) listed (docs/spec-format.md)"
if ! echo "$imported" | grep -q '^imported [0-9]* service versions into .* (0 changed)$'; then
  echo "FAILED: importing the pinned catalogs changes api-specs/; run: tencentcloud-codegen import --intl ... --china ... --out api-specs" >&2
  exit 1
fi

python3 - "$WORK/api-specs" <<'PY'
import json, pathlib, sys
specs = sorted(pathlib.Path(sys.argv[1]).glob("*/*.json"))
actions = objects = fields = 0
for p in specs:
    s = json.loads(p.read_text())
    actions += len(s["actions"]); objects += len(s["objects"])
    fields += sum(len(o.get("members", [])) for o in s["objects"].values())
print(f"catalog: {len(specs)} service versions, {actions} actions, {objects} objects, {fields} fields")
PY
if [ "$mode" = --import ]; then
  exit 0
fi

scratch_crate "$WORK/crate" catalog-check Cargo.lock \
  "serde = { version = \"1\", features = [\"derive\"] }
serde_json = \"1\"
tencentcloud-runtime = { path = \"$root/runtime\" }"
start=$(date +%s.%N)
"$codegen" generate --features --serde --response-checks --out "$WORK/crate/src/generated" "$WORK/api-specs"
end=$(date +%s.%N)
echo "generate: $(python3 -c "print(f'{$end - $start:.2f}')") s, $(du -sb "$WORK/crate/src/generated" | cut -f1) bytes of source"

# No accidental doctests: every code block the generator opens is a `text` block.
if grep -rn '^ *///  *```' "$WORK/crate/src/generated" | grep -v '```text$' | grep -v '///  *```$' | head -5 | grep .; then
  echo "FAILED: code blocks that rustdoc would run as doctests" >&2
  exit 1
fi
echo "doctests: none (every code block is a text block)"

# The check crate's lints, and one feature per service.
{
  echo '[lints.rust]'
  echo 'missing_docs = "warn"'
  echo '[features]'
  echo 'serde = []'
  for dir in "$WORK"/api-specs/*/; do echo "\"$(basename "$dir")\" = []"; done
} >> "$WORK/crate/Cargo.toml"
printf '//! Every generated service, each behind its feature.\n\n/// The generated tree.\npub mod generated;\n' > "$WORK/crate/src/lib.rs"
# Reads the enabled services' example responses; prints each failure and a summary line.
mkdir -p "$WORK/crate/src/bin"
cat > "$WORK/crate/src/bin/responses.rs" <<'RS'
//! Reads every example response of the enabled services into its response type, writes
//! each back and reads it again, and reads and writes back every JSON example request.

fn main() {
    let report = catalog_check::generated::response_checks::run();
    for failure in &report.failures {
        println!("response failed: {failure}");
    }
    for failure in &report.round_trip_failures {
        println!("round trip failed: {failure}");
    }
    for failure in &report.request_failures {
        println!("request refused: {failure}");
    }
    println!(
        "responses: {} read, {} failed, {} not JSON, {} fields filled; {} round trips, {} failed; {} requests, {} refused",
        report.examples,
        report.failures.len(),
        report.not_json,
        report.corrections,
        report.round_trips,
        report.round_trip_failures.len(),
        report.requests,
        report.request_failures.len()
    );
}
RS

cd "$WORK/crate"
total_start=$(date +%s)
# Example responses: each failure, and each service's summary line (read, failed, not JSON,
# fields filled).
responses_log="$root/$WORK/responses.txt"
requests_log="$root/$WORK/requests.txt"
: > "$responses_log"
: > "$requests_log"
: > "$responses_log.summary"

# One service's checks on its own feature: clippy, rustdoc, then its example responses read.
# Prints one line of figures, or the errors and a FAILED line.
check_service() {
  local service=$1 dir="$root/$WORK/api-specs/$1/" out summary t0 t1 t2 t3
  t0=$(date +%s.%N)
  if ! out=$(cargo clippy --quiet --no-default-features --features "$service" -- -D warnings 2>&1); then
    echo "$out" | head -40
    echo "FAILED clippy: $service"; return
  fi
  t1=$(date +%s.%N)
  if ! out=$(RUSTDOCFLAGS="-D warnings" cargo doc --quiet --no-deps --no-default-features --features "$service" 2>&1); then
    echo "$out" | head -40
    echo "FAILED rustdoc: $service"; return
  fi
  t2=$(date +%s.%N)
  # Without debug info: only the responses are wanted, and it builds and links faster. With
  # `serde`: clippy and rustdoc above saw the code without it, this run sees it with it.
  if ! out=$(CARGO_PROFILE_DEV_DEBUG=0 cargo run --quiet --no-default-features --features "$service serde" --bin responses 2>&1); then
    echo "$out" | head -40
    echo "FAILED responses: $service"; return
  fi
  echo "$out" | grep '^response failed: ' >> "$responses_log" || true
  echo "$out" | grep '^request refused: ' >> "$requests_log" || true
  if echo "$out" | grep '^round trip failed: '; then
    echo "FAILED round trips: $service"
  fi
  summary=$(echo "$out" | tail -1)
  t3=$(date +%s.%N)
  printf '%-16s %8s  clippy %6.1f s  rustdoc %6.1f s  %s (%.1f s)\n' "$service" \
    "$(du -ch "$dir"../../crate/src/generated/"$service"/*.rs 2>/dev/null | tail -1 | cut -f1)" \
    "$(python3 -c "print($t1 - $t0)")" "$(python3 -c "print($t2 - $t1)")" "$summary" \
    "$(python3 -c "print($t3 - $t2)")"
  echo "$summary" >> "$responses_log.summary"
  forget_service
}

# What one service's checks leave in the worker's target directory (the check crate built
# with that feature: its rmeta, its docs, the responses binary) is of no use to the next
# service, and a whole run would keep 275 of each (over 50 GB): only the dependencies stay.
forget_service() {
  local t="$CARGO_TARGET_DIR/debug"
  rm -rf "$t"/deps/*catalog_check* "$t"/deps/responses-* "$t"/responses "$t"/responses.d \
    "$t"/.fingerprint/catalog-check-* "$t"/incremental/catalog_check-* \
    "$t"/incremental/responses-* "$CARGO_TARGET_DIR"/doc/catalog_check
}

# The checks of one service mostly keep one core busy, so CATALOG_JOBS workers (default:
# the machine's cores) take the services in turns, largest first, each with a target
# directory of its own (the dependencies built once per worker).
jobs=${CATALOG_JOBS:-$(nproc)}
mapfile -t by_size < <(for dir in "$root/$WORK"/api-specs/*/; do
  echo "$(du -sb "$dir" | cut -f1) $(basename "$dir")"; done | sort -rn | cut -d' ' -f2)
workers=()
for ((w = 0; w < jobs; w++)); do
  (
    export CARGO_TARGET_DIR="$root/target/catalog-target-$w"
    cargo build --quiet --offline --no-default-features 2>/dev/null || cargo build --quiet --no-default-features
    for ((i = w; i < ${#by_size[@]}; i += jobs)); do check_service "${by_size[$i]}"; done
  ) > "$root/$WORK/worker-$w.log" 2>&1 &
  workers+=($!)
done
# A worker that stops early (a failed build, a full disk) leaves services unchecked: that is
# a failure of this run, never a pass with fewer services.
stopped=0
for pid in "${workers[@]}"; do wait "$pid" || stopped=$((stopped + 1)); done
cat "$root/$WORK"/worker-*.log
failed=$(cat "$root/$WORK"/worker-*.log | grep -c '^FAILED' || true)
finished=$(( $(wc -l < "$responses_log.summary") + $(cat "$root/$WORK"/worker-*.log | grep -c '^FAILED \(clippy\|rustdoc\|responses\):' || true) ))
echo "checked $finished of ${#by_size[@]} services in $(( $(date +%s) - total_start )) s with $jobs workers; $failed failed"
if [ "$stopped" -gt 0 ] || [ "$finished" -ne "${#by_size[@]}" ]; then
  echo "FAILED: $stopped of $jobs workers stopped early and $(( ${#by_size[@]} - finished )) of ${#by_size[@]} services were not checked (free disk: $(df -h . | awk 'NR == 2 { print $4 }'); the workers' logs are above)" >&2
  failed=$((failed + 1))
fi

# Example responses over all the services checked: every failure is listed with its action
# and field. The sample's failures must be exactly those the policy refuses by design,
# listed in scripts/responses-refused.txt; any other is a failure of this run.
python3 - "$responses_log" <<'PY'
import re, sys
totals = [0] * 8
for line in open(sys.argv[1] + ".summary"):
    m = re.match(r"responses: (\d+) read, (\d+) failed, (\d+) not JSON, (\d+) fields filled; (\d+) round trips, (\d+) failed; (\d+) requests, (\d+) refused", line)
    if m:
        totals = [a + int(b) for a, b in zip(totals, m.groups())]
print(f"example responses: {totals[0]} read, {totals[1]} failed, {totals[2]} not JSON (skipped), {totals[3]} fields filled")
print(f"serde round trips: {totals[4]} responses written and read back, {totals[5]} failed; {totals[6]} JSON example requests read and written back, {totals[7]} refused")
PY
rm -f "$responses_log.summary"
if [ "$mode" = --sample ]; then
  if ! diff <(sort "$root/scripts/responses-refused.txt") <(sort "$responses_log"); then
    echo "FAILED: the sample's example responses failed otherwise than scripts/responses-refused.txt lists (< expected, > found)" >&2
    failed=$((failed + 1))
  fi
  if ! diff <(sort "$root/scripts/requests-refused.txt") <(sort "$requests_log"); then
    echo "FAILED: the sample's example requests were refused otherwise than scripts/requests-refused.txt lists (< expected, > found)" >&2
    failed=$((failed + 1))
  fi
fi
sed 's/^request refused: /  /' "$requests_log"
sed 's/^response failed: /  /' "$responses_log"
[ "$failed" -eq 0 ]
