#!/usr/bin/env python3
"""Derive assets/border_iran_pakistan.geojson: the Iran-Pakistan international boundary line
from the shared Natural Earth borders layer (public domain), used for border distances.

    python3 scripts/derive_border.py ../shared/data/borders.geojson > assets/border_iran_pakistan.geojson
"""
import json
import sys


def main(path: str) -> None:
    with open(path, encoding="utf-8") as f:
        src = json.load(f)
    lines = [
        feature
        for feature in src["features"]
        if {feature["properties"]["adm0_a3_l"], feature["properties"]["adm0_a3_r"]} == {"IRN", "PAK"}
    ]
    if len(lines) != 1:
        raise SystemExit(f"expected one IRN-PAK boundary, found {len(lines)}")
    line = lines[0]
    out = {
        "type": "FeatureCollection",
        "attribution": "Made with Natural Earth. Free vector and raster map data @ naturalearthdata.com.",
        "source": "Natural Earth 10m admin-0 boundary lines (public domain), via shared/data/borders.geojson",
        "features": [
            {
                "type": "Feature",
                "properties": {
                    "name": "Iran-Pakistan international boundary",
                    "featurecla": line["properties"]["featurecla"],
                    "left": line["properties"]["adm0_left"],
                    "right": line["properties"]["adm0_right"],
                },
                "geometry": line["geometry"],
            }
        ],
    }
    json.dump(out, sys.stdout, ensure_ascii=False, separators=(",", ":"))
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
