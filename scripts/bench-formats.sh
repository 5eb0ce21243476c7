#!/usr/bin/env bash
# Peak memory per byte of input, for each format, on a large ordinary file made here:
# `strikemap validate` on each, under GNU time, next to GDAL's `ogrinfo -so` where GDAL reads it.
#
# Usage: scripts/bench-formats.sh [STRIKEMAP [POINTS]]
#
#   STRIKEMAP   the binary to measure (default: $CARGO_TARGET_DIR/debug/strikemap, else
#               target/debug/strikemap)
#   POINTS      how many points or rows each file holds (default 200000)
#
# A GeoJSON overlay of points is written with python3, and converted by ogr2ogr (gdal-bin) to
# KML, GPX, Shapefile, GeoPackage and FlatGeobuf; the KML is zipped to a KMZ. ACLED and UCDP CSV
# exports and an events GeoJSON (the bundled case's events repeated, a twentieth as many: each
# is long) are written directly.
# Prints per file: its size, seconds, peak RSS in MiB and bytes of peak per byte of file.

set -euo pipefail

case "${1:-}" in
-h | --help)
    sed -n '2,/^$/{s/^# \{0,1\}//;p}' "$0"
    exit 0
    ;;
esac

target=${CARGO_TARGET_DIR:-target}
strikemap=${1:-$target/debug/strikemap}
points=${2:-200000}
here=$(cd "$(dirname "$0")/.." && pwd)
dir=$(mktemp -d /tmp/strikemap-formats-XXXXXX)
trap 'rm -rf "$dir"' EXIT

python3 - "$dir" "$points" "$here/assets/cases/iran-pakistan-2024.geojson" <<'PY'
import json, os, sys, zipfile
out, count, bundled = sys.argv[1], int(sys.argv[2]), sys.argv[3]
def lon(i): return 60.0 + (i % 500) / 100.0
def lat(i): return 25.0 + (i // 500 % 500) / 100.0
with open(os.path.join(out, "overlay.geojson"), "w") as f:
    f.write('{"type":"FeatureCollection","name":"Points","features":[\n')
    for i in range(count):
        f.write(('' if i == 0 else ',\n') + json.dumps({"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon(i), lat(i)]}, "properties": {"name": f"site {i}", "kind": ["depot", "camp", "road"][i % 3], "note": "an ordinary note of some length"}}))
    f.write('\n]}\n')
with open(os.path.join(out, "acled.csv"), "w") as f:
    f.write("event_id_cnty,event_date,event_type,sub_event_type,actor1,country,admin1,location,latitude,longitude,geo_precision,fatalities,notes\n")
    for i in range(count):
        f.write(f'PAK{i},2024-02-{i % 28 + 1:02},Battles,Armed clash,Military Forces,Pakistan,Balochistan,Panjgur,{lat(i)},{lon(i)},2,{i % 3},"an ordinary note, of some length"\n')
with open(os.path.join(out, "ucdp.csv"), "w") as f:
    f.write("id,date_start,date_end,latitude,longitude,where_prec,best,low,high,side_a,side_b,country\n")
    for i in range(count):
        f.write(f'{i},2024-01-{i % 28 + 1:02} 00:00:00.000,2024-01-{i % 28 + 1:02} 00:00:00.000,{lat(i)},{lon(i)},2,{i % 4},{i % 3},{i % 5},Government of Pakistan,Baloch insurgents,Pakistan\n')
case = json.load(open(bundled))
templates = case["features"]
with open(os.path.join(out, "events.geojson"), "w") as f:
    f.write('{"type":"FeatureCollection","schema":"strikemap-events/1","title":"Many","features":[\n')
    # The bundled events are long (sources, claims, notes): a twentieth as many.
    for i in range(max(count // 20, 1)):
        feature = templates[i % len(templates)]
        feature["properties"]["id"] = f"E{i}"
        f.write(('' if i == 0 else ',\n') + json.dumps(feature))
    f.write('\n]}\n')
PY

source_file=$dir/overlay.geojson
ogr2ogr -f KML "$dir/points.kml" "$source_file"
ogr2ogr -f GPX "$dir/points.gpx" "$source_file" -dsco GPX_USE_EXTENSIONS=YES -nlt POINT
ogr2ogr -f "ESRI Shapefile" "$dir/points.shp" "$source_file"
ogr2ogr -f GPKG "$dir/points.gpkg" "$source_file"
ogr2ogr -f FlatGeobuf "$dir/points.fgb" "$source_file"
(cd "$dir" && cp points.kml doc.kml && python3 -c "
import zipfile
with zipfile.ZipFile('points.kmz', 'w', zipfile.ZIP_DEFLATED) as z: z.write('doc.kml')
" && rm doc.kml)

measure() {
    local label=$1 file=$2
    shift 2
    local bytes report seconds peak
    bytes=$(stat -c %s "$file")
    [ "${file##*.}" = shp ] && bytes=$(cat "${file%.shp}".{shp,shx,dbf} | wc -c)
    /usr/bin/time -o "$dir/time" -f '%e %M' "$@" > /dev/null 2>&1 || true
    read -r seconds peak < <(tail -n 1 "$dir/time")
    printf '%-26s %10s bytes %7ss %6s MiB  %5s bytes of peak per byte\n' "$label" "$bytes" \
        "$seconds" "$((peak / 1024))" "$(python3 -c "print(round($peak * 1024 / $bytes, 1))")"
}

echo "strikemap: $strikemap; $points points or rows per file"
for file in overlay.geojson events.geojson acled.csv ucdp.csv points.kml points.kmz points.gpx \
    points.shp points.gpkg points.fgb; do
    measure "validate $file" "$dir/$file" "$strikemap" validate "$dir/$file"
done
if command -v ogrinfo > /dev/null; then
    echo "GDAL: $(ogrinfo --version)"
    for file in overlay.geojson points.kml points.kmz points.gpx points.shp points.gpkg points.fgb; do
        measure "ogrinfo $file" "$dir/$file" ogrinfo -ro -al -so "$dir/$file"
    done
fi
