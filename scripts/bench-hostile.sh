#!/usr/bin/env bash
# Hostile files: how long `strikemap validate` takes to refuse each file of a corpus made here,
# and its peak memory, next to GDAL's ogrinfo on the same data files; and the same for the
# basemap files through the tilefile_info example (open, then read tile 0/0/0).
#
# Usage: scripts/bench-hostile.sh [STRIKEMAP [TILEFILE_INFO]]
#
#   STRIKEMAP       the binary to measure (default: $CARGO_TARGET_DIR/debug/strikemap, else
#                   target/debug/strikemap). Pass main's binary for the "before" column.
#   TILEFILE_INFO   the tilefile_info example binary (default: beside STRIKEMAP, in examples/).
#
# Every run is capped (timeout 20 s, and 4 GiB of address space through ulimit -v), so a
# binary that reads without end is stopped, not the machine: "timeout" or "killed" is then
# printed with the peak reached. Prints one line per file: seconds, peak RSS in MiB, exit
# status and the first line of output. Needs GNU time (apt-get install time), python3 and
# mkfifo; GDAL's ogrinfo (apt-get install gdal-bin) for the peer column, when present.
#
# With WINDOW=1, each data file is also opened in the app's window (STRIKEMAP FILE under Xvfb,
# apt-get install xvfb), and its peak memory (VmHWM) read after 1 s and after 5 s, next to the
# app started with no file (the baseline).

set -uo pipefail

case "${1:-}" in
-h | --help)
    sed -n '2,/^$/{s/^# \{0,1\}//;p}' "$0"
    exit 0
    ;;
esac

target=${CARGO_TARGET_DIR:-target}
strikemap=${1:-$target/debug/strikemap}
tilefile_info=${2:-$(dirname "$strikemap")/examples/tilefile_info}
corpus=$(mktemp -d /tmp/strikemap-hostile-XXXXXX)
trap 'rm -rf "$corpus"' EXIT

python3 - "$corpus" <<'PY'
import os, sys, zipfile, zlib, sqlite3, gzip, struct
corpus = sys.argv[1]
# A KMZ bomb as in issue 25: a KML of 1 GiB of spaces, deflated to about 1 MiB.
with zipfile.ZipFile(os.path.join(corpus, "bomb.kmz"), "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
    with z.open("doc.kml", "w", force_zip64=True) as entry:
        entry.write(b"<kml><Document>")
        piece = b" " * (1 << 20)
        for _ in range(1024):
            entry.write(piece)
        entry.write(b"</Document></kml>")
# The same bomb in a zip.
with zipfile.ZipFile(os.path.join(corpus, "nested.zip"), "w", zipfile.ZIP_STORED) as z:
    z.write(os.path.join(corpus, "bomb.kmz"), "inner.kmz")
# JSON nested 200,000 deep, and XML entity expansion.
with open(os.path.join(corpus, "deep.geojson"), "w") as f:
    f.write('{"type":"FeatureCollection","features":' + "[" * 200000 + "]" * 200000 + "}")
with open(os.path.join(corpus, "laughs.kml"), "w") as f:
    entities = '<!ENTITY l0 "lol">' + "".join(
        f'<!ENTITY l{i} "{("&l%d;" % (i - 1)) * 10}">' for i in range(1, 10))
    f.write(f'<?xml version="1.0"?><!DOCTYPE kml [{entities}]><kml><Document><name>&l9;</name></Document></kml>')
# A case whose one layer is /dev/zero.
case = {"type": "FeatureCollection", "schema": "strikemap-events/1", "title": "Hostile",
        "as_of": "2026-11-30",
        "strikemap_case": {"version": 1,
                           "layers": [{"path": "/dev/zero", "name": "Zero", "visible": True,
                                       "colour": "#000000", "opacity": 1.0}]},
        "features": []}
import json
with open(os.path.join(corpus, "case-dev-zero.geojson"), "w") as f:
    json.dump(case, f)
# An MBTiles whose one tile is 1 GiB of zeros gzipped (about 1 MiB), and one whose row is
# 900 MB (zeroblob: SQLite's cap on a value is 1 GB).
db = sqlite3.connect(os.path.join(corpus, "gzip-bomb.mbtiles"))
db.executescript("CREATE TABLE metadata (name TEXT, value TEXT);"
                 "CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB);"
                 "INSERT INTO metadata VALUES ('format', 'pbf'), ('name', 'bomb');")
packer = zlib.compressobj(9, zlib.DEFLATED, 31)
piece = b"\0" * (1 << 20)
blob = b"".join(packer.compress(piece) for _ in range(1024)) + packer.flush()
db.execute("INSERT INTO tiles VALUES (0, 0, 0, ?)", (blob,))
db.commit()
db = sqlite3.connect(os.path.join(corpus, "huge-row.mbtiles"))
db.executescript("CREATE TABLE metadata (name TEXT, value TEXT);"
                 "CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB);"
                 "INSERT INTO metadata VALUES ('format', 'png'), ('name', 'huge');"
                 "INSERT INTO tiles VALUES (0, 0, 0, zeroblob(900000000));")
db.commit()
PY
mkfifo "$corpus/pipe.geojson"
mkdir "$corpus/folder.geojson"
ln -s "$corpus/loop-b.geojson" "$corpus/loop-a.geojson"
ln -s "$corpus/loop-a.geojson" "$corpus/loop-b.geojson"

# One capped run: seconds, peak MiB, status, first output line.
measure() {
    local label=$1
    shift
    local log="$corpus/time.log"
    local out
    out=$( (ulimit -v $((4 << 20)); /usr/bin/time -f '%e %M' -o "$log" timeout 20 "$@" 2>&1) | head -c 400)
    local status=$?
    local seconds peak
    read -r seconds peak < <(tail -n 1 "$log")
    local first=${out%%$'\n'*}
    case $(head -n 1 "$log") in
    *"status 124"*) first="timeout (20 s): $first" ;;
    *"signal"*) first="killed: $first" ;;
    esac
    printf '%-28s %6ss %7s MiB  %s\n' "$label" "$seconds" "$((peak / 1024))" "${first:0:150}"
}

echo "strikemap: $strikemap"
for file in /dev/zero /dev/urandom "$corpus/pipe.geojson" "$corpus/folder.geojson" \
    "$corpus/loop-a.geojson" "$corpus/bomb.kmz" "$corpus/nested.zip" "$corpus/deep.geojson" \
    "$corpus/laughs.kml" "$corpus/case-dev-zero.geojson"; do
    measure "validate $(basename "$file")" "$strikemap" validate "$file"
done
measure "validate case --trust-layers" "$strikemap" validate --trust-layers "$corpus/case-dev-zero.geojson"
if [ -x "$tilefile_info" ]; then
    for file in /dev/zero "$corpus/gzip-bomb.mbtiles" "$corpus/huge-row.mbtiles"; do
        measure "basemap $(basename "$file")" "$tilefile_info" --read-tile "$file"
    done
fi
if command -v ogrinfo > /dev/null; then
    echo "GDAL: $(ogrinfo --version)"
    for file in /dev/zero "$corpus/bomb.kmz" "$corpus/deep.geojson" "$corpus/laughs.kml"; do
        measure "ogrinfo $(basename "$file")" ogrinfo -ro -al -so "$file"
    done
fi

if [ "${WINDOW:-0}" = 1 ]; then
    display=""
    for n in $(seq 140 180); do
        [ -e "/tmp/.X$n-lock" ] || {
            display=:$n
            break
        }
    done
    Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp > /dev/null 2>&1 &
    xvfb_pid=$!
    sleep 1
    window() {
        local label=$1 app_pid early late
        shift
        DISPLAY=$display "$strikemap" "$@" > /dev/null 2>&1 &
        app_pid=$!
        sleep 1
        early=$(awk '/VmHWM/ {print $2}' "/proc/$app_pid/status" 2> /dev/null || echo 0)
        sleep 4
        late=$(awk '/VmHWM/ {print $2}' "/proc/$app_pid/status" 2> /dev/null || echo 0)
        kill "$app_pid" 2> /dev/null
        wait "$app_pid" 2> /dev/null
        printf '%-28s peak at 1 s %5s MiB, at 5 s %5s MiB\n' "$label" "$((${early:-0} / 1024))" \
            "$((${late:-0} / 1024))"
    }
    echo "window (Xvfb $display):"
    window "no file (baseline)"
    for file in /dev/zero /dev/urandom "$corpus/pipe.geojson" "$corpus/folder.geojson" \
        "$corpus/loop-a.geojson" "$corpus/bomb.kmz" "$corpus/nested.zip" "$corpus/deep.geojson" \
        "$corpus/laughs.kml" "$corpus/case-dev-zero.geojson"; do
        window "window $(basename "$file")" "$file"
    done
    kill "$xvfb_pid"
fi
