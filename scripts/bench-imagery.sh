#!/usr/bin/env bash
# GeoTIFF imagery at Sentinel-2's size: makes two 10,980 × 10,980 single-band 16-bit tiled
# Cloud-Optimised GeoTIFFs in UTM 41 N ("before" and "after": noise over fields, as a 10 m
# band looks) with GDAL in /tmp, runs crates/core/benches/geotiff.rs on them (open, pan
# frames, swipe frames), and times GDAL on the same work in the same run: gdalinfo (open),
# and gdal_translate of the pan's full-resolution window to an in-memory copy; then the UI
# thread's part of a pan and a swipe frame (benches/imagery_frame.rs).
#
# Usage: scripts/bench-imagery.sh   (STRIKEMAP_IMAGERY_DIR=DIR keeps the files there for another run)
# Needs gdal-bin and python3 with numpy (the source pixels; PYTHON names another python);
# about 1 GB of /tmp.

set -euo pipefail
dir=${STRIKEMAP_IMAGERY_DIR:-}
if [[ -z $dir ]]; then
    dir=$(mktemp -d /tmp/strikemap-imagery-XXXXXX)
    trap 'rm -rf "$dir"' EXIT
fi
size=10980

for name in before after; do
    [[ -s $dir/$name.tif ]] && continue
    "${PYTHON:-python3}" - "$dir/$name.bil" "$size" "$name" <<'PY'
import sys
import numpy as np
path, size, name = sys.argv[1], int(sys.argv[2]), sys.argv[3]
rng = np.random.default_rng(7 if name == "before" else 8)
rows = np.arange(size)[:, None]
cols = np.arange(size)[None, :]
fields = ((cols // 180 + rows // 140) % 5) * 600 + 800
image = (fields + rng.integers(0, 400, (size, size))).astype("<u2")
if name == "after":
    crater = (cols - size // 2) ** 2 + (rows - size // 2) ** 2 < 300 ** 2
    image[crater] = 300
image.tofile(path)
PY
    cat > "$dir/$name.hdr" <<HDR
NROWS $size
NCOLS $size
NBANDS 1
NBITS 16
PIXELTYPE UNSIGNEDINT
BYTEORDER I
LAYOUT BIL
ULXMAP 600005
ULYMAP 3099995
XDIM 10
YDIM 10
HDR
    gdal_translate -q -a_srs EPSG:32641 -of COG -co BLOCKSIZE=512 -co COMPRESS=DEFLATE \
        "$dir/$name.bil" "$dir/$name.tif"
    rm "$dir/$name.bil"
done
ls -l "$dir"/*.tif

target=${CARGO_TARGET_DIR:-target}
STRIKEMAP_GEOTIFF="$dir/before.tif" STRIKEMAP_GEOTIFF_AFTER="$dir/after.tif" \
    cargo bench -q -p strikemap_core --bench geotiff
STRIKEMAP_GEOTIFF="$dir/before.tif" STRIKEMAP_GEOTIFF_AFTER="$dir/after.tif" \
    cargo bench -q -p strikemap --bench imagery_frame

echo "GDAL $(gdalinfo --version | cut -d, -f1 | cut -d' ' -f2), same machine, same run:"
seconds() { local start end; start=$(date +%s.%N); "$@" >/dev/null; end=$(date +%s.%N); echo "$end - $start" | bc; }
for run in 1 2 3; do
    echo "gdalinfo (open): $(seconds gdalinfo "$dir/before.tif") s"
done
# The pan's first full-resolution window (bench: view_window at level 0, offset 0).
for run in 1 2 3; do
    echo "gdal_translate of a 2048 × 1536 full-resolution window to MEM: $(seconds gdal_translate -q -srcwin 1024 4608 2048 1536 -of MEM "$dir/before.tif" /vsimem/x) s"
done
