#!/usr/bin/env bash
# Layer-format load benchmark: how long the core's validate example takes to read a 1M-point
# Shapefile, GeoPackage and FlatGeobuf (a table of points), next to GDAL's ogr2ogr converting the same file to
# GeoJSON.
#
# Usage: scripts/bench-layers.sh [DIR]
#
#   DIR   where the files are made (default target/synth-layers): a 1M-row CSV of points with
#         three attributes, turned into points-1m.shp, .gpkg and .fgb by ogr2ogr (not timed).
#
# Builds the `validate` example of strikemap_core in release (the app's `strikemap validate`
# without the GUI), then, after one untimed run of each (so both read from the page cache),
# times once each under GNU time:
#
#   ogr2ogr -f GeoJSON /vsistdout/ FILE > /dev/null
#   validate FILE > /dev/null
#
# and prints wall time, peak RSS and the ratio. Needs ogr2ogr (apt-get install gdal-bin) and GNU
# time (apt-get install time).

set -euo pipefail

case "${1:-}" in
-h | --help)
    sed -n '2,/^$/{s/^# \{0,1\}//;p}' "$0"
    exit 0
    ;;
esac

die() {
    echo "bench-layers: error: $*" >&2
    exit 1
}

DIR=$(realpath -m -- "${1:-target/synth-layers}")
ROOT=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
TARGET_DIR=$(realpath -m -- "${CARGO_TARGET_DIR:-target}")
command -v ogr2ogr >/dev/null 2>&1 || die "ogr2ogr (GDAL) is not installed: apt-get install gdal-bin"
TIME=/usr/bin/time
[ -x "$TIME" ] || die "GNU time is needed at $TIME: apt-get install time"

echo "== Building the validate example (release, target dir $TARGET_DIR)"
cargo build --release -p strikemap_core --example validate
APP=$TARGET_DIR/release/examples/validate
[ -x "$APP" ] || die "no $APP after the build"

mkdir -p "$DIR"
if ! [ -f "$DIR/points-1m.shp" ] || ! [ -f "$DIR/points-1m.gpkg" ] || ! [ -f "$DIR/points-1m.fgb" ]; then
    echo "== Making the 1M-point files in $DIR"
    awk 'BEGIN {
        print "lon,lat,name,count,share";
        seed = 42;
        for (i = 0; i < 1000000; i++) {
            seed = (seed * 1103515245 + 12345) % 2147483648; lon = 60 + (seed / 2147483648) * 15;
            seed = (seed * 1103515245 + 12345) % 2147483648; lat = 24 + (seed / 2147483648) * 13;
            printf "%.6f,%.6f,site %d,%d,%.3f\n", lon, lat, i, i % 1000, (i % 97) / 97;
        }
    }' >"$DIR/points-1m.csv"
    for target in shp gpkg fgb; do
        case $target in shp) driver="ESRI Shapefile" ;; gpkg) driver=GPKG ;; *) driver=FlatGeobuf ;; esac
        rm -f "$DIR/points-1m.$target"
        ogr2ogr -f "$driver" "$DIR/points-1m.$target" "$DIR/points-1m.csv" -nln points-1m \
            -oo X_POSSIBLE_NAMES=lon -oo Y_POSSIBLE_NAMES=lat -oo AUTODETECT_TYPE=YES -a_srs EPSG:4326
    done
fi

printf '%-18s %10s %10s %8s %14s %14s\n' file GDAL strikemap ratio "strikemap RSS" "GDAL RSS"
for name in points-1m.shp points-1m.gpkg points-1m.fgb; do
    file=$DIR/$name
    ogr2ogr -f GeoJSON /vsistdout/ "$file" >/dev/null
    "$APP" "$file" >/dev/null || true
    gdal=$("$TIME" -f '%e %M' bash -c 'ogr2ogr -f GeoJSON /vsistdout/ "$1" >/dev/null' _ "$file" 2>&1 | tail -1)
    ours=$("$TIME" -f '%e %M' bash -c '"$1" "$2" >/dev/null || true' _ "$APP" "$file" 2>&1 | tail -1)
    read -r gdal_s gdal_kb <<<"$gdal"
    read -r ours_s ours_kb <<<"$ours"
    ratio=$(awk -v a="$ours_s" -v b="$gdal_s" 'BEGIN { printf "%.2f", a / b }')
    printf '%-18s %9ss %9ss %8s %11s MiB %11s MiB\n' "$name" "$gdal_s" "$ours_s" "$ratio" \
        "$((ours_kb / 1024))" "$((gdal_kb / 1024))"
done
