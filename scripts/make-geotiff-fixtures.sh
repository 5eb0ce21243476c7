#!/usr/bin/env bash
# Writes the GeoTIFF fixtures of crates/core/tests/geotiff.rs with GDAL's own tools
# (gdal-bin: gdal_translate, gdalwarp, gdaladdo), from patterns drawn as ASCII grids by awk.
# Run from the repository root; the outputs are committed (a few KB each), so the tests need
# no GDAL. After running it, compare `gdalinfo -json FILE | jq .wgs84Extent` with the corners
# recorded in the test.
set -euo pipefail
out=crates/core/tests/fixtures/geotiff
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out"
export GDAL_PAM_ENABLED=NO   # no .aux.xml beside the outputs

# grid NAME WIDTH HEIGHT BAND: a pattern for one band (r, g, b: 8-bit; gray: 16-bit), its
# top-left pixel distinct from its neighbours so a misplaced corner shows.
grid() {
    awk -v w="$2" -v h="$3" -v band="$4" 'BEGIN {
        printf "ncols %d\nnrows %d\nxllcorner 0\nyllcorner 0\ncellsize 1\n", w, h
        for (r = 0; r < h; r++) {
            line = ""
            for (c = 0; c < w; c++) {
                check = (int(c / 8) + int(r / 8)) % 2
                if (band == "r") v = int(c * 255 / (w - 1))
                else if (band == "g") v = int(r * 255 / (h - 1))
                else if (band == "b") v = check * 200 + 20
                else v = 1000 + c * 40 + r * 20 + check * 700
                line = line v " "
            }
            print line
        }
    }' > "$tmp/$1.asc"
}

grid r 64 48 r
grid g 64 48 g
grid b 64 48 b
grid gray 80 60 gray
gdalbuildvrt -q -separate "$tmp/rgb.vrt" "$tmp/r.asc" "$tmp/g.asc" "$tmp/b.asc"

# 8-bit RGB in WGS 84, tiled 32 × 32 (the width and height are not multiples: edge tiles are
# padded), with two internal overviews.
gdal_translate -q -ot Byte -a_srs EPSG:4326 -a_ullr 60.5 29.5 61.14 29.02 \
    -co TILED=YES -co BLOCKXSIZE=32 -co BLOCKYSIZE=32 -co COMPRESS=DEFLATE -co PHOTOMETRIC=RGB \
    "$tmp/rgb.vrt" "$out/rgb8-4326-tiled.tif"
gdaladdo -q -r average "$out/rgb8-4326-tiled.tif" 2 4

# 16-bit grey in Web Mercator, in strips of 8 rows, with two internal overviews.
gdal_translate -q -ot UInt16 -a_srs EPSG:3857 -a_ullr 6901800 3253000 6909800 3247000 \
    -co BLOCKYSIZE=8 -co COMPRESS=DEFLATE "$tmp/gray.asc" "$out/gray16-3857-striped.tif"
gdaladdo -q -r average "$out/gray16-3857-striped.tif" 2 4

# 16-bit grey in WGS 84, warped by GDAL to UTM zone 42 N (EPSG:32642), tiled, with nodata
# outside the warped footprint and two internal overviews.
gdal_translate -q -ot UInt16 -a_srs EPSG:4326 -a_ullr 68.5 30.5 68.58 30.44 \
    "$tmp/gray.asc" "$tmp/gray-4326.tif"
gdalwarp -q -t_srs EPSG:32642 -tr 100 100 -dstnodata 0 -r near \
    -co TILED=YES -co BLOCKXSIZE=32 -co BLOCKYSIZE=32 -co COMPRESS=DEFLATE \
    "$tmp/gray-4326.tif" "$out/gray16-utm42n-tiled.tif"
gdaladdo -q -r nearest "$out/gray16-utm42n-tiled.tif" 2 4

# A Cloud-Optimised GeoTIFF: 8-bit RGB warped to Web Mercator, 32 × 32 tiles, overviews made
# by the COG driver.
gdal_translate -q -ot Byte -a_srs EPSG:4326 -a_ullr 60.5 29.5 61.14 29.02 \
    "$tmp/rgb.vrt" "$tmp/rgb-4326.tif"
gdalwarp -q -t_srs EPSG:3857 -r bilinear -of COG -co BLOCKSIZE=32 -co COMPRESS=DEFLATE \
    -co OVERVIEW_RESAMPLING=AVERAGE "$tmp/rgb-4326.tif" "$out/rgb8-3857-cog.tif"

# Refused: a TIFF with no georeferencing, and one in a system with no EPSG code.
gdal_translate -q -ot Byte -co PROFILE=BASELINE "$tmp/r.asc" "$out/not-georeferenced.tif"
gdal_translate -q -ot Byte -a_ullr 500000 3300000 500640 3299520 \
    -a_srs '+proj=tmerc +lat_0=0 +lon_0=63.3 +k=0.9996 +x_0=500000 +y_0=0 +ellps=WGS84 +units=m +no_defs' \
    "$tmp/r.asc" "$out/user-defined-crs.tif"

ls -l "$out"
