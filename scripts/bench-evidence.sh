#!/usr/bin/env bash
# Evidence hashing and case bundles on a large file (docs/performance.md, issue 23):
# Strikemap's SHA-256 of a file (64 KiB pieces) against GNU sha256sum on the same file, in
# interleaved pairs; then exporting a bundle holding it and opening that bundle, against
# `zip -0` and `unzip` of the same file (with sha256sum after the unzip, as the open checks).
#
#   scripts/bench-evidence.sh [SIZE_MB]   (default 1024; needs sha256sum, zip, unzip)
#   PROFILE=dev scripts/bench-evidence.sh  (the dev build: dependencies, sha2 and zip among
#   them, at opt-level 2; Strikemap's own crates unoptimised)
set -euo pipefail
size_mb=${1:-1024}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
head -c "$((size_mb * 1024 * 1024))" /dev/urandom >"$work/video.bin"
profile=${PROFILE:-release}
cargo build --profile "$profile" -q -p strikemap_core --example evidence_bundle --manifest-path "$root/Cargo.toml"
dir=$profile; [[ $profile == dev ]] && dir=debug
example="${CARGO_TARGET_DIR:-$root/target}/$dir/examples/evidence_bundle"
seconds() { local start end; start=$(date +%s.%N); "$@" >/dev/null; end=$(date +%s.%N); echo "$end - $start" | bc; }
for round in 1 2 3; do
  rm -rf "$work/out" && mkdir "$work/out"
  echo "round $round"
  "$example" "$work/video.bin" "$work/out" | sed 's/^/  strikemap /'
  echo "  sha256sum $(seconds sha256sum "$work/video.bin")"
  rm -f "$work/peer.zip"
  echo "  zip-0 $(seconds zip -0 -q -j "$work/peer.zip" "$work/video.bin")"
  rm -rf "$work/peer" && mkdir "$work/peer"
  echo "  unzip+sha256sum $(seconds bash -c "unzip -q '$work/peer.zip' -d '$work/peer' && sha256sum '$work/peer/video.bin'")"
done
