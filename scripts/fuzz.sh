#!/usr/bin/env bash
# Fuzzes each named target (default: all of them) for SECONDS (default 600), one after the
# other:
#
#   bash scripts/fuzz.sh [SECONDS] [TARGET...]
#
# spec         spec -> code (fuzz/fuzz_targets/spec.rs), seeded with the bad-spec corpus, the
#              obstacle course and the catalog's specs under 64 KB;
# response     a response read as cvm's DescribeInstancesResponse through read_response;
# json         the runtime's JSON reader, held to serde_json;
# envelope     the envelope's classification;
# event_stream the event-stream parser, in any chunking;
# multipart    the multipart parser of the local endpoint, and the encoder's round trip;
# profile      the profile (credentials INI) file reader;
# endpoint     endpoint templates and plain endpoints.
#
# The runtime targets are seeded with fuzz/seeds/TARGET/ and fuzz/regressions/TARGET/; their
# checks are in runtime/src/fuzzing.rs, which the seed test (runtime/tests/fuzz_seeds.rs,
# tests/tests/fuzz_seeds.rs) runs in `cargo test` too. Needs cargo-fuzz (`cargo install
# cargo-fuzz`); runs on stable without a sanitizer. Findings land in fuzz/artifacts/TARGET/;
# see docs/robustness.md.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-600}"
shift || true
all=(spec response json envelope event_stream multipart profile endpoint)
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=("${all[@]}")
fi
for target in "${targets[@]}"; do
    if [ ! -f "fuzz/fuzz_targets/$target.rs" ]; then
        echo "unknown target $target (one of: ${all[*]})" >&2
        exit 2
    fi
done
for target in "${targets[@]}"; do
    corpus=fuzz/corpus/$target
    mkdir -p "$corpus"
    options=(-max_total_time="$seconds" -max_len=65536 -print_final_stats=1)
    if [ "$target" = spec ]; then
        cp codegen/tests/bad-specs/*.json tests/specs/*/*.json "$corpus"/
        find api-specs -name '*.json' -size -64k -exec sh -c 'cp "$1" "'"$corpus"'/$(echo "$1" | tr / _)"' _ {} \;
        options+=(-dict=spec.dict)
    else
        for kept in "fuzz/seeds/$target" "fuzz/regressions/$target"; do
            if [ -d "$kept" ]; then
                cp "$kept"/* "$corpus"/
            fi
        done
    fi
    echo "== $target: $seconds s"
    (cd fuzz && cargo fuzz run "$target" -s none -O -- "${options[@]}")
done
