#!/usr/bin/env bash
# App benchmark under a virtual display: start-up to first frame, frames painted while idle,
# and memory with a million events loaded.
#
# Usage: scripts/bench-app.sh [FILE...]
#
#   FILE  large event files to load, one run each (default: target/synth/points-1m.geojson
#         and target/synth/app-1m.geojson; make them with `strikemap-synth --all target/synth`).
#
# For each run the release app starts under Xvfb with a throw-away settings folder and logs at
# trace level. The log says when the first frame reached the screen (measured from the start of
# main), when each file finished loading, and every frame built; frames built during IDLE_SECS
# (default 10) with no input are the idle frame rate. Peak and current RSS come from
# /proc/PID/status (VmHWM, VmRSS); bytes per event are the peak RSS above that of the run with
# no file, divided by the events loaded.
#
# Needs Xvfb (apt-get install xvfb) and a Mesa driver (libgl1-mesa-dri mesa-vulkan-drivers).

set -euo pipefail

ROOT=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
TARGET_DIR=$(realpath -m -- "${CARGO_TARGET_DIR:-target}")
IDLE_SECS=${IDLE_SECS:-10}
FILES=("$@")
if [ ${#FILES[@]} -eq 0 ]; then
    FILES=(target/synth/points-1m.geojson target/synth/app-1m.geojson)
fi
command -v Xvfb >/dev/null || { echo "bench-app: Xvfb is not installed (apt-get install xvfb)" >&2; exit 1; }

cargo build --release -p strikemap
APP=$TARGET_DIR/release/strikemap
WORK=$(mktemp -d "${TMPDIR:-/tmp}/bench-app.XXXXXX")
DISPLAY_NUMBER=:$((90 + RANDOM % 9))
Xvfb "$DISPLAY_NUMBER" -screen 0 1600x900x24 >/dev/null 2>&1 &
XVFB=$!
cleanup() {
    kill "$XVFB" 2>/dev/null || true
    rm -rf -- "$WORK"
}
trap cleanup EXIT
sleep 1

# Waits until the log has a line matching $2 (at most $3 seconds); prints it.
wait_for() {
    local log=$1 pattern=$2 limit=$3 waited=0
    until grep -q -- "$pattern" "$log"; do
        sleep 0.1
        waited=$((waited + 1))
        if [ "$waited" -ge $((limit * 10)) ]; then
            echo "bench-app: timed out waiting for '$pattern'" >&2
            return 1
        fi
    done
    grep -m 1 -- "$pattern" "$log"
}

# Prints the number captured by the extended regex $1 (its group \1) in the first line of stdin that
# matches it, without thousands separators: the app writes counts as "1,000,000" (text::thousands).
# Fails, naming the pattern, when no line has such a number.
number_from() {
    local pattern=$1 found
    found=$(sed -nE "s/$pattern/\1/p")
    found=${found%%$'\n'*}
    found=${found//,/}
    if ! [[ $found =~ ^[0-9]+$ ]]; then
        echo "bench-app: no number matching '$pattern'" >&2
        return 1
    fi
    echo "$found"
}

frames_built() {
    grep -c "building a frame" "$1" || true
}

kib() {
    awk -v key="$2:" '$1 == key { print $2 }' "/proc/$1/status"
}

# run NAME [FILE]: prints "name first_frame_ms idle_fps peak_kib current_kib"
run() {
    local name=$1 file=${2:-}
    local log=$WORK/$name.log home=$WORK/home-$name
    mkdir -p "$home"
    env DISPLAY="$DISPLAY_NUMBER" HOME="$home" XDG_CONFIG_HOME="$home/config" \
        XDG_DATA_HOME="$home/data" XDG_CACHE_HOME="$home/cache" \
        RUST_LOG="warn,strikemap::app=trace,strikemap::loading=info" \
        "$APP" ${file:+"$file"} 2>"$log" &
    local pid=$!
    local first
    first=$(wait_for "$log" "first frame on screen" 60 | number_from '.*screen ([0-9][0-9,]*) ms.*')
    if [ -n "$file" ]; then
        local loaded
        loaded=$(wait_for "$log" "loaded .* in " 300 | number_from '.* in ([0-9][0-9,]*) ms.*')
        echo "   $name: loaded in $loaded ms (file read, checked, indexed; the window kept drawing)" >&2
    fi
    # Let the last frames settle (progress bar gone, tiles drawn), then watch an idle window.
    sleep 3
    local before after
    before=$(frames_built "$log")
    sleep "$IDLE_SECS"
    after=$(frames_built "$log")
    local peak current
    peak=$(kib "$pid" VmHWM)
    current=$(kib "$pid" VmRSS)
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    echo "$name $first $(awk -v a="$after" -v b="$before" -v s="$IDLE_SECS" 'BEGIN { printf "%.2f", (a - b) / s }') $peak $current"
}

echo "== start-up and idle with the bundled data only"
read -r _ first fps base_peak base_rss < <(run bundled)
echo "   first frame on screen after $first ms; idle: $fps frames/s; RSS $((base_rss / 1024)) MB (peak $((base_peak / 1024)) MB)"
# Start-up again a few times: it varies by tens of milliseconds from run to run.
starts=("$first")
for _ in $(seq 2 "${STARTUP_RUNS:-7}"); do
    log=$WORK/start.log
    env DISPLAY="$DISPLAY_NUMBER" HOME="$WORK/home-start" XDG_CONFIG_HOME="$WORK/home-start/config" \
        XDG_DATA_HOME="$WORK/home-start/data" XDG_CACHE_HOME="$WORK/home-start/cache" \
        RUST_LOG="warn,strikemap::app=info" "$APP" 2>"$log" &
    pid=$!
    starts+=("$(wait_for "$log" "first frame on screen" 60 | number_from '.*screen ([0-9][0-9,]*) ms.*')")
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
done
sorted=$(printf '%s\n' "${starts[@]}" | sort -n | tr '\n' ' ')
echo "   first frame over ${#starts[@]} starts (ms, sorted): $sorted"

for file in "${FILES[@]}"; do
    [ -f "$file" ] || { echo "bench-app: $file is missing" >&2; exit 1; }
    events=$("$APP" validate "$file" | number_from '.*: ([0-9][0-9,]*) (events?|points?|features?) loaded.*')
    name=$(basename "$file")
    echo "== $name ($events events)"
    read -r _ first fps peak rss < <(run "$name" "$file")
    echo "   idle after loading: $fps frames/s"
    echo "   RSS peak $((peak / 1024)) MB, now $((rss / 1024)) MB; above the bundled-only run: peak $(((peak - base_rss) * 1024 / events)) bytes/event, now $(((rss - base_rss) * 1024 / events)) bytes/event"
done
