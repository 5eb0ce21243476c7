#!/usr/bin/env python3
"""Derive assets/provinces.geojson from the shared Natural Earth layer.

Keeps the two target provinces with the properties the app shows (name, country, ISO 3166-2
code, area) and the geometry unchanged (NE 10m, 5 decimals). Run from the project root:

    python3 scripts/derive_provinces.py ../shared/data/provinces.geojson > assets/provinces.geojson
"""
import json
import sys

KEEP = ("name", "country", "adm0_a3", "iso_3166_2", "type", "area_km2")


def main(path: str) -> None:
    with open(path, encoding="utf-8") as f:
        src = json.load(f)
    features = []
    for feature in src["features"]:
        props = feature["properties"]
        features.append(
            {
                "type": "Feature",
                "properties": {k: props[k] for k in KEEP},
                "geometry": feature["geometry"],
            }
        )
    features.sort(key=lambda f: f["properties"]["name"])
    out = {
        "type": "FeatureCollection",
        "attribution": src.get("attribution"),
        "source": "Natural Earth 10m admin-1 (public domain), via shared/data/provinces.geojson",
        "features": features,
    }
    json.dump(out, sys.stdout, ensure_ascii=False, separators=(",", ":"))
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
