#!/usr/bin/env bash
# Load benchmark: how long `strikemap validate` takes to read 1M-event files, next to GDAL's
# ogr2ogr reading the same files.
#
# Usage: scripts/bench-load.sh [DIR]
#
#   DIR   where the synthetic files are (default target/synth); the 1M files are generated
#         there with strikemap-synth if missing.
#
# Builds strikemap-synth and strikemap in release (in $CARGO_TARGET_DIR, else target), then for
# each of app-1m.geojson, points-1m.geojson and acled-1m.csv runs
#
#   ogr2ogr -f CSV /vsistdout/ FILE > /dev/null      (CSV: with X/Y_POSSIBLE_NAMES, so GDAL
#                                                      builds the point geometries too)
#   strikemap validate FILE > /dev/null
#
# BENCH_RUNS times each (default 3) under GNU time, after one untimed run of each tool (so both
# read the file from the page cache), and prints median wall time and peak RSS.
# `strikemap validate` exits 1 or 2 when it rejects a file or skips rows; its status is
# recorded and shown, and the benchmark carries on.
#
# Needs GDAL's ogr2ogr (apt-get install gdal-bin) and GNU time (apt-get install time).

set -euo pipefail

usage() {
    sed -n '2,/^$/{s/^# \{0,1\}//;p}' "$0"
}

case "${1:-}" in
-h | --help)
    usage
    exit 0
    ;;
esac
if [ $# -gt 1 ]; then
    usage >&2
    exit 2
fi

die() {
    echo "bench-load: error: $*" >&2
    exit 1
}

# Paths given by the caller are relative to the caller's folder; the build runs at the root.
DIR=$(realpath -m -- "${1:-target/synth}")
ROOT=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
TARGET_DIR=$(realpath -m -- "${CARGO_TARGET_DIR:-target}")
RUNS=${BENCH_RUNS:-3}
case "$RUNS" in '' | *[!0-9]* | 0) die "BENCH_RUNS must be a whole number above 0, not '$RUNS'" ;; esac

command -v ogr2ogr >/dev/null 2>&1 ||
    die "ogr2ogr (GDAL) is not installed; install it with: sudo apt-get install gdal-bin"
TIME=/usr/bin/time
if ! [ -x "$TIME" ] || ! "$TIME" -f '%e %M' -o /dev/null true 2>/dev/null; then
    die "GNU time is needed at $TIME (for wall time and peak RSS); install it with: sudo apt-get install time"
fi

echo "== Building strikemap-synth and strikemap (release, target dir $TARGET_DIR)"
cargo build --release -p strikemap_synth -p strikemap
SYNTH=$TARGET_DIR/release/strikemap-synth
APP=$TARGET_DIR/release/strikemap
[ -x "$SYNTH" ] || die "no $SYNTH after the build"
[ -x "$APP" ] || die "no $APP after the build"

FILES=(app-1m.geojson points-1m.geojson acled-1m.csv)
missing=0
for name in "${FILES[@]}"; do
    [ -f "$DIR/$name" ] || missing=1
done
if [ "$missing" = 1 ]; then
    echo "== Generating the synthetic files in $DIR"
    "$SYNTH" --all "$DIR"
fi

LOGS=$(mktemp -d "${TMPDIR:-/tmp}/bench-load.XXXXXX")
trap 'rm -rf -- "$LOGS"' EXIT

echo
echo "== Versions"
ogr2ogr --version
if commit=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null); then
    git -C "$ROOT" diff --quiet HEAD 2>/dev/null || commit="$commit + uncommitted changes"
    echo "strikemap at commit $commit"
fi
echo "host: $(nproc) CPUs, $(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo 2>/dev/null || uname -m), $(awk '/^MemTotal/ {printf "%.1f GB RAM", $2 / 1048576}' /proc/meminfo 2>/dev/null)"
echo
echo "Page cache: each tool reads each file once untimed first, so both time a read from memory,"
echo "not from disk. Times are wall-clock medians of $RUNS runs; RSS is the peak over the runs."

# Runs a command under GNU time with stdout to /dev/null; prints "SECONDS KIB STATUS".
timed() {
    local status=0
    "$TIME" -f '%e %M' -o "$LOGS/time" "$@" >/dev/null 2>>"$LOGS/stderr" || status=$?
    # On a non-zero exit GNU time writes "Command exited with non-zero status N" first.
    echo "$(tail -n 1 "$LOGS/time") $status"
}

median() {
    sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

maximum() {
    sort -g | tail -n 1
}

gdal_cmd() {
    local file=$1
    case "$file" in
    *.csv) echo ogr2ogr -f CSV /vsistdout/ "$file" -oo X_POSSIBLE_NAMES=longitude -oo Y_POSSIBLE_NAMES=latitude ;;
    *) echo ogr2ogr -f CSV /vsistdout/ "$file" ;;
    esac
}

ROWS=()
for name in "${FILES[@]}"; do
    file=$DIR/$name
    [ -f "$file" ] || die "$file is missing"
    bytes=$(stat -c %s "$file")
    lines=$(wc -l <"$file")
    case "$name" in
    *.csv) events=$((lines - 1)) ;;   # header, then one row per line
    *) events=$((lines - 2)) ;;       # opening line, one feature per line, closing line
    esac
    read -r -a gdal <<<"$(gdal_cmd "$file")"

    echo
    echo "== $name ($((bytes / 1000000)) MB, $events events)"
    : >"$LOGS/stderr"
    gdal_status=0
    "${gdal[@]}" >/dev/null 2>"$LOGS/gdal-warm" || gdal_status=$?
    [ "$gdal_status" = 0 ] || {
        sed -n '1,5p' "$LOGS/gdal-warm" >&2
        die "ogr2ogr failed on $file (exit $gdal_status)"
    }
    if [ -s "$LOGS/gdal-warm" ]; then
        echo "   ogr2ogr said: $(head -n 2 "$LOGS/gdal-warm" | tr '\n' ' ')"
    fi
    validate_status=0
    "$APP" validate "$file" >"$LOGS/validate-warm" 2>&1 || validate_status=$?
    echo "   strikemap validate (exit $validate_status): $(grep -v '^  skipped' "$LOGS/validate-warm" | head -n 2 | tr '\n' ' ')"

    : >"$LOGS/gdal-times"
    : >"$LOGS/app-times"
    : >"$LOGS/gdal-rss"
    : >"$LOGS/app-rss"
    statuses=""
    for run in $(seq "$RUNS"); do
        read -r seconds kib status <<<"$(timed "${gdal[@]}")"
        [ "$status" = 0 ] || die "ogr2ogr failed on $file in run $run (exit $status)"
        echo "$seconds" >>"$LOGS/gdal-times"
        echo "$kib" >>"$LOGS/gdal-rss"
        echo "   run $run: ogr2ogr ${seconds} s, ${kib} KiB"
        read -r seconds kib status <<<"$(timed "$APP" validate "$file")"
        echo "$seconds" >>"$LOGS/app-times"
        echo "$kib" >>"$LOGS/app-rss"
        statuses="$statuses${statuses:+/}$status"
        echo "   run $run: strikemap validate ${seconds} s, ${kib} KiB, exit $status"
    done
    gdal_s=$(median <"$LOGS/gdal-times")
    app_s=$(median <"$LOGS/app-times")
    gdal_kib=$(maximum <"$LOGS/gdal-rss")
    app_kib=$(maximum <"$LOGS/app-rss")
    ROWS+=("$(awk -v name="$name" -v bytes="$bytes" -v events="$events" -v g="$gdal_s" \
        -v a="$app_s" -v ak="$app_kib" -v gk="$gdal_kib" -v st="$statuses" 'BEGIN {
            ratio = (g > 0) ? sprintf("%.2f", a / g) : "n/a";
            per = (events > 0) ? sprintf("%.0f", ak * 1024 / events) : "n/a";
            printf "%-18s %8.0f %9.2f %9.2f %7s %10.0f %9s %9.0f  %s\n",
                name, bytes / 1e6, g, a, ratio, ak * 1024 / 1e6, per, gk * 1024 / 1e6, st
        }')")
done

echo
echo "== Results (MB = 10^6 bytes; times are medians of $RUNS runs; RSS is the peak)"
printf "%-18s %8s %9s %9s %7s %10s %9s %9s  %s\n" \
    file "size MB" "GDAL s" "strikemap s" ratio "sm RSS MB" "RSS B/ev" "GDAL RSS" "validate exit"
for row in "${ROWS[@]}"; do
    printf "%s\n" "$row"
done
echo
echo "ratio = strikemap / GDAL wall time; RSS B/ev = strikemap peak RSS bytes per event."
