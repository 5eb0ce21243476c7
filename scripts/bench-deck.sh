#!/usr/bin/env bash
# Deck benchmark: the bundled case's deck at 1920×1080 as PowerPoint and as PDF, written by the
# release binary under a virtual display, in interleaved runs (RUNS, default 3), so a busy shared
# machine slows both alike; prints each run's wall time and the medians, and the PPTX's size.
# The PDF deck is the peer: the same slides taken the same way, written another way.
#
# Usage: scripts/bench-deck.sh        (needs xvfb-run and a Mesa driver, as scripts/bench-app.sh)
#        PROFILE=debug scripts/bench-deck.sh   (the test build's binary, when a release build is
#                                               more than the machine can afford)

set -euo pipefail

ROOT=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
TARGET_DIR=$(realpath -m -- "${CARGO_TARGET_DIR:-target}")
RUNS=${RUNS:-3}
command -v xvfb-run >/dev/null || { echo "bench-deck: xvfb-run is not installed (apt-get install xvfb)" >&2; exit 1; }
PROFILE=${PROFILE:-release}
if [ "$PROFILE" = release ]; then
    cargo build --release --bin strikemap --quiet
else
    cargo build --bin strikemap --quiet
fi
BIN="$TARGET_DIR/$PROFILE/strikemap"
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
export XDG_CONFIG_HOME="$OUT/config" XDG_DATA_HOME="$OUT/data"

seconds() {
    local start end
    start=$(date +%s.%N)
    xvfb-run -a "$BIN" --export-deck "$1" --size 1920x1080 --caveat "UNCLASSIFIED // EXERCISE ONLY" >/dev/null 2>&1
    end=$(date +%s.%N)
    echo "$end - $start" | bc
}

median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

pptx_times=()
pdf_times=()
for run in $(seq 1 "$RUNS"); do
    pptx_times+=("$(seconds "$OUT/deck.pptx")")
    pdf_times+=("$(seconds "$OUT/deck.pdf")")
    echo "run $run: pptx ${pptx_times[-1]} s, pdf ${pdf_times[-1]} s"
done
pptx=$(median "${pptx_times[@]}")
pdf=$(median "${pdf_times[@]}")
echo "median: pptx $pptx s, pdf $pdf s, ratio $(echo "scale=2; $pptx / $pdf" | bc)"
echo "pptx: $(stat -c %s "$OUT/deck.pptx") bytes; pdf: $(stat -c %s "$OUT/deck.pdf") bytes"
