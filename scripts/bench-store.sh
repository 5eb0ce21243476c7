#!/usr/bin/env bash
# The team store's benchmark (crates/store/benches/store.rs) against a throwaway PostgreSQL +
# PostGIS cluster on loopback, started and stopped here.
#   scripts/bench-store.sh [EDITS_PER_CLIENT]     (default 1000)
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$(mktemp -d)
chmod 755 "$dir"
url=$(STRIKEMAP_STORE_FSYNC=on bash scripts/test-store.sh start "$dir/cluster" 54339)
trap 'bash scripts/test-store.sh stop "$dir/cluster"; rm -rf "$dir"' EXIT
STRIKEMAP_BENCH_STORE=$url STRIKEMAP_BENCH_EDITS=${1:-1000} \
  cargo bench -p strikemap_store --bench store
