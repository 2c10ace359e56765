#!/usr/bin/env bash
# Every benchmark of docs/benchmarks.md, in one run on this machine: the call path
# (signing and its floor, the seed request, answers, loopback round trips beside plain
# reqwest) and generation (organization, and the whole international catalog, imported
# first if target/catalog/api-specs is missing). Criterion's reports land in
# target/criterion/. About 6 minutes on 2 cores, plus the catalog's download the first time.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo bench --locked -p tencentcloud-sdk --bench call
if [ ! -d target/catalog/api-specs ]; then
  bash scripts/catalog.sh --import
fi
CATALOG_SPECS="$PWD/target/catalog/api-specs" cargo bench --locked -p tencentcloud-codegen --bench generate
