#!/usr/bin/env bash
# Fuzzes spec -> code (fuzz/fuzz_targets/spec.rs) for SECONDS (default 600), seeded with
# the bad-spec corpus, the obstacle course and the catalog's specs under 64 KB. Needs
# cargo-fuzz (`cargo install cargo-fuzz`); runs on stable without a sanitizer. Findings land
# in fuzz/artifacts/spec/; see docs/robustness.md.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-600}"
corpus=fuzz/corpus/spec
mkdir -p "$corpus"
cp codegen/tests/bad-specs/*.json tests/specs/*/*.json "$corpus"/
find api-specs -name '*.json' -size -64k -exec sh -c 'cp "$1" "'"$corpus"'/$(echo "$1" | tr / _)"' _ {} \;
cd fuzz
exec cargo fuzz run spec -s none -O -- \
    -max_total_time="$seconds" -max_len=65536 -dict=spec.dict -print_final_stats=1
