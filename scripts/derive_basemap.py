#!/usr/bin/env python3
"""Derive assets/basemap/naturalearth.bin, the offline world basemap asset, from the world
Natural Earth GeoJSON layers (public domain; see /work/shared/data/world/README.md).
Python 3.11, stdlib only.

Run from the project root, with the world data directory as the first argument:

    python3 scripts/derive_basemap.py /work/shared/data/world assets/basemap/naturalearth.bin

The output is deterministic (same input, same bytes). The Rust decoder lives in
crates/basemap/src/data/; the binary format (version 2) is documented in its mod.rs.

What goes in
============

Two detail bands, each with the same seven geometry layers:

- band 0, "overview", drawn below zoom DETAIL_FIRST_ZOOM (6; at zoom 5 a pixel is about
  5 km, as coarse as NE 50m, and the 10m band measured 14 ms p95 per tile over Europe
  there): the NE 50m layers (10m playas),
  simplified with Douglas-Peucker to OVERVIEW.tolerance_px pixels at zoom
  OVERVIEW.tolerance_zoom and quantised to 1e-3 degree. No admin-1 lines (they start at
  the detail band).
- band 1, "detail", drawn from zoom DETAIL_FIRST_ZOOM up: the NE 10m layers, simplified to
  DETAIL.tolerance_px at zoom DETAIL.tolerance_zoom (about 30 m at the equator, far below
  NE 10m's own 1-2 km accuracy) and quantised to 1e-4 degree.

Simplification is measured in Web Mercator pixels, so it is uniform on screen. MultiPolygons
are split into one feature per polygon so the renderer can cull each by its box. Borders are
boundaries_* plus disputed_lines_*, typed into four classes (CLASS_BORDER). Places are
places_10m, sorted by scalerank and then population. Country labels: one point per country of
countries_10m, the admin0_label_points_10m point of the lowest scalerank nearest NE's label
anchor (label_x/label_y), with NE's min_label/max_label/labelrank.

Country areas (for Basemap::country_at, never drawn): every polygon of countries_10m,
simplified with Douglas-Peucker to AREAS.tolerance km on the ground (a sinusoidal projection,
so high latitudes get no extra vertices) and quantised to 1e-3 degree, tagged with the index
of its country label, smallest box first. A country whose every polygon vanishes gets its
largest polygon's box (with NE 4.0.0: ATC, GIB, SCR, VAT).
"""
import json
import math
import os
import struct
import sys
from collections import defaultdict

MAGIC = b"SMBM"
VERSION = 2
E5 = 100_000  # coordinates are integers in 1e-5 degree
REGION = (-180.0, -90.0, 180.0, 90.0)  # west, south, east, north
DETAIL_FIRST_ZOOM = 6

TAG_LAYER = 1
TAG_PLACES = 2
TAG_COUNTRY_LABELS = 3
TAG_COUNTRY_AREAS = 4

LAYER_LAND = 1
LAYER_LAKES = 3
LAYER_PLAYAS = 4
LAYER_COASTLINE = 5
LAYER_BORDERS = 6
LAYER_ADMIN1_LINES = 7
LAYER_RIVERS = 8

KIND_POLYGONS = 1
KIND_LINES = 2
NO_MIN_ZOOM = 255


class Band:
    def __init__(self, band_id, suffix, tolerance_px, tolerance_zoom, unit):
        self.band_id = band_id
        self.suffix = suffix
        # Douglas-Peucker tolerance in world units (Web Mercator, 0..1).
        self.tolerance = tolerance_px / (256.0 * 2.0**tolerance_zoom)
        self.unit = unit  # quantisation step in 1e-5 degree

    def project(self, point):
        """Douglas-Peucker measures distances in these coordinates."""
        return world_xy(point)


class AreaSimplification:
    """Country areas for lookups: Douglas-Peucker to tolerance_km on the ground (in a
    sinusoidal projection), quantised to unit (1e-5 degree)."""

    def __init__(self, tolerance_km, unit):
        self.tolerance = tolerance_km
        self.unit = unit

    def project(self, point):
        return km_xy(point)


OVERVIEW = Band(0, "50m", tolerance_px=0.35, tolerance_zoom=6, unit=100)
DETAIL = Band(1, "10m", tolerance_px=0.25, tolerance_zoom=10, unit=10)
# countries_10m for Basemap::country_at: about 2 km, quantised to 1e-3 degree (about 100 m).
AREAS = AreaSimplification(tolerance_km=2.0, unit=100)

CLASS_LAKE = {"Lake": 0, "Reservoir": 1, "Alkaline Lake": 2}
BORDER_INTERNATIONAL, BORDER_LINE_OF_CONTROL, BORDER_DISPUTED, BORDER_INDEFINITE = 0, 1, 2, 3
CLASS_BORDER = {
    "International boundary (verify)": BORDER_INTERNATIONAL,
    "Line of control (please verify)": BORDER_LINE_OF_CONTROL,
    "Disputed (please verify)": BORDER_DISPUTED,
    "Indefinite (please verify)": BORDER_INDEFINITE,
    "Indeterminant frontier": BORDER_INDEFINITE,
    "Lease limit": BORDER_INDEFINITE,
    "Overlay limit": BORDER_INDEFINITE,
    # disputed_lines_*
    "Claim boundary": BORDER_DISPUTED,
    "Claim": BORDER_DISPUTED,
    "Breakaway": BORDER_DISPUTED,
    "Reference line": BORDER_INDEFINITE,
    "Elusive frontier": BORDER_INDEFINITE,
}
CLASS_RIVER = {"River": 0, "Lake Centerline": 1}
KIND_NATIONAL_CAPITAL, KIND_PROVINCE_CAPITAL, KIND_POPULATED_PLACE = 0, 1, 2
# NE 4.0.0 quirk (see the data README): Juba is South Sudan's capital but has adm0cap 0.
NATIONAL_CAPITAL_FIXES = {"Juba"}


# ---------------------------------------------------------------------------------------
# Encoding helpers


def varint(value: int) -> bytes:
    if value < 0:
        raise ValueError(f"varint must be non-negative, got {value}")
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def svarint(value: int) -> bytes:
    return varint((value << 1) if value >= 0 else ((-value << 1) - 1))


def e5(degrees: float) -> int:
    return int(round(degrees * E5))


def zoom_byte(zoom) -> int:
    if zoom is None:
        return NO_MIN_ZOOM
    return max(0, min(250, int(round(float(zoom) * 10))))


def u8(value) -> int:
    value = int(round(float(value))) if value is not None else 0
    return max(0, min(254, value))


def name_bytes(name: str) -> bytes:
    data = name.encode("utf-8")
    return varint(len(data)) + data


def adm0_bytes(code: str) -> bytes:
    data = (code or "???").encode("ascii")
    if len(data) != 3:
        raise ValueError(f"adm0_a3 must be 3 ASCII letters, got {code!r}")
    return data


def section(tag: int, payload: bytes) -> bytes:
    return bytes([tag]) + varint(len(payload)) + payload


# ---------------------------------------------------------------------------------------
# Geometry: quantisation and Douglas-Peucker in Web Mercator


def polygons_of(geometry):
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiPolygon":
        return list(geometry["coordinates"])
    raise ValueError(f"expected a polygon, got {geometry['type']}")


def lines_of(geometry):
    if geometry["type"] == "LineString":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiLineString":
        return list(geometry["coordinates"])
    raise ValueError(f"expected a line, got {geometry['type']}")


MAX_MERCATOR_LAT = 85.0511287798


def world_xy(point):
    lon, lat = point[0] / E5, point[1] / E5
    lat = max(-MAX_MERCATOR_LAT, min(MAX_MERCATOR_LAT, lat))
    y = 0.5 - math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)) / (2 * math.pi)
    return ((lon + 180.0) / 360.0, y)


KM_PER_DEGREE = 111.32


def km_xy(point):
    """Sinusoidal projection in km: distances are about right on the ground."""
    lon, lat = point[0] / E5, point[1] / E5
    return (lon * KM_PER_DEGREE * math.cos(math.radians(lat)), lat * KM_PER_DEGREE)


def quantized(coordinates, unit):
    """Points snapped to the band's grid (in 1e-5 degree), repeats removed."""
    out = []
    for lon, lat in coordinates:
        point = (int(round(lon * E5 / unit)) * unit, int(round(lat * E5 / unit)) * unit)
        if not out or out[-1] != point:
            out.append(point)
    return out


def douglas_peucker(points, tolerance, project=world_xy):
    """Indices kept by Douglas-Peucker (both ends always kept), in projected coordinates."""
    count = len(points)
    if count < 3:
        return points
    xy = [project(p) for p in points]
    keep = [False] * count
    keep[0] = keep[-1] = True
    tolerance_sq = tolerance * tolerance
    stack = [(0, count - 1)]
    while stack:
        first, last = stack.pop()
        ax, ay = xy[first]
        bx, by = xy[last]
        dx, dy = bx - ax, by - ay
        length_sq = dx * dx + dy * dy
        best, best_index = -1.0, -1
        for index in range(first + 1, last):
            px, py = xy[index]
            if length_sq == 0.0:
                distance_sq = (px - ax) ** 2 + (py - ay) ** 2
            else:
                t = ((px - ax) * dx + (py - ay) * dy) / length_sq
                t = 0.0 if t < 0.0 else (1.0 if t > 1.0 else t)
                distance_sq = (px - ax - t * dx) ** 2 + (py - ay - t * dy) ** 2
            if distance_sq > best:
                best, best_index = distance_sq, index
        if best > tolerance_sq:
            keep[best_index] = True
            stack.append((first, best_index))
            stack.append((best_index, last))
    return [p for p, kept in zip(points, keep) if kept]


def simplified_line(coordinates, band):
    return douglas_peucker(quantized(coordinates, band.unit), band.tolerance)


def simplified_ring(coordinates, band):
    """A ring without its closing point: split at the vertex farthest from the first one so
    that Douglas-Peucker keeps at least three corners."""
    points = quantized(coordinates, band.unit)
    if len(points) > 1 and points[0] == points[-1]:
        points.pop()
    if len(points) <= 3:
        return points
    project = band.project
    x0, y0 = project(points[0])
    far = max(range(len(points)), key=lambda i: sum((a - b) ** 2 for a, b in zip(project(points[i]), (x0, y0))))
    closed = points + [points[0]]
    first = douglas_peucker(closed[: far + 1], band.tolerance, project)
    second = douglas_peucker(closed[far:], band.tolerance, project)
    return first[:-1] + second[:-1]


class Feature:
    def __init__(self, cls, rank, min_zoom, parts):
        self.cls = cls
        self.rank = rank
        self.min_zoom = zoom_byte(min_zoom)
        self.parts = parts  # lists of (lon_e5, lat_e5), multiples of the band unit


def polygon_features(collection, band, classify):
    features = []
    for feature in collection["features"]:
        cls, rank, min_zoom = classify(feature["properties"])
        for polygon in polygons_of(feature["geometry"]):
            rings = [simplified_ring(ring, band) for ring in polygon]
            # A polygon whose outer ring vanished is gone, holes and all.
            if rings and len(rings[0]) >= 3:
                features.append(Feature(cls, rank, min_zoom, rings))
    return features


def line_features(collection, band, classify):
    features = []
    for feature in collection["features"]:
        cls, rank, min_zoom = classify(feature["properties"])
        parts = [simplified_line(line, band) for line in lines_of(feature["geometry"])]
        features.append(Feature(cls, rank, min_zoom, parts))
    return features


def encode_parts(out, parts, unit, previous):
    """Appends a part count and the parts (each a point count and point deltas from the
    running point `previous`, in `unit` steps) to `out`; returns the new running point."""
    out += varint(len(parts))
    for part in parts:
        out += varint(len(part))
        for point in part:
            out += svarint((point[0] - previous[0]) // unit)
            out += svarint((point[1] - previous[1]) // unit)
            previous = point
    return previous


def encode_layer(layer_id, band, kind, features):
    out = bytearray([layer_id, band.band_id, kind])
    out += varint(band.unit)
    minimum_points = 3 if kind == KIND_POLYGONS else 2
    kept = []
    for feature in features:
        parts = [part for part in feature.parts if len(part) >= minimum_points]
        if parts:
            kept.append((feature, parts))
    out += varint(len(kept))
    previous = (0, 0)
    for feature, parts in kept:
        out += bytes([feature.cls, feature.rank, feature.min_zoom])
        previous = encode_parts(out, parts, band.unit, previous)
    return bytes(out), sum(len(p) for _, parts in kept for p in parts)


# ---------------------------------------------------------------------------------------
# Layers


def load(directory, name):
    with open(os.path.join(directory, name + ".geojson"), encoding="utf-8") as f:
        return json.load(f)


def band_layers(directory, band):
    """(layer id, kind, features, label) of one band."""
    s = band.suffix
    land = polygon_features(load(directory, f"land_{s}"), band, lambda p: (0, 0, None))
    lakes = polygon_features(
        load(directory, f"lakes_{s}"),
        band,
        lambda p: (CLASS_LAKE.get(p["featurecla"], 0), u8(p["scalerank"]), p["min_zoom"]),
    )
    # NE has playas at 10m only; the overview simplifies them harder.
    playas = polygon_features(
        load(directory, "playas_10m"), band, lambda p: (0, u8(p["scalerank"]), p["min_zoom"])
    )
    coastline = line_features(load(directory, f"coastline_{s}"), band, lambda p: (0, 0, None))

    def border_class(p):
        return (CLASS_BORDER[p["featurecla"]], u8(p["scalerank"]), p["min_zoom"])

    borders = line_features(load(directory, f"boundaries_{s}"), band, border_class)
    borders += line_features(load(directory, f"disputed_lines_{s}"), band, border_class)
    admin1 = []
    if band is DETAIL:
        admin1 = line_features(load(directory, "admin1_lines_10m"), band, lambda p: (0, 0, None))
    rivers = line_features(
        load(directory, f"rivers_{s}"),
        band,
        lambda p: (CLASS_RIVER.get(p["featurecla"], 0), u8(p["scalerank"]), p["min_zoom"]),
    )
    return [
        (LAYER_LAND, KIND_POLYGONS, land, "land"),
        (LAYER_LAKES, KIND_POLYGONS, lakes, "lakes"),
        (LAYER_PLAYAS, KIND_POLYGONS, playas, "playas"),
        (LAYER_COASTLINE, KIND_LINES, coastline, "coastline"),
        (LAYER_BORDERS, KIND_LINES, borders, "borders"),
        (LAYER_ADMIN1_LINES, KIND_LINES, admin1, "admin-1 lines"),
        (LAYER_RIVERS, KIND_LINES, rivers, "rivers"),
    ]


def place_kind(props):
    if props["adm0cap"] == 1 or props["name"] in NATIONAL_CAPITAL_FIXES:
        return KIND_NATIONAL_CAPITAL
    if props["featurecla"] in ("Admin-1 capital", "Admin-1 region capital"):
        return KIND_PROVINCE_CAPITAL
    return KIND_POPULATED_PLACE


def places_payload(directory):
    features = load(directory, "places_10m")["features"]
    # Stable sort: NE's file order already is scalerank, then population; make it explicit.
    features = sorted(
        features,
        key=lambda f: (u8(f["properties"]["scalerank"]), -int(f["properties"]["pop_max"] or 0)),
    )
    payload = bytearray(varint(len(features)))
    for feature in features:
        props = feature["properties"]
        lon, lat = feature["geometry"]["coordinates"]
        payload += bytes([
            place_kind(props),
            u8(props["scalerank"]),
            u8(props["labelrank"]),
            zoom_byte(props["min_zoom"]),
        ])
        payload += varint(int(props["pop_max"] or 0))
        payload += svarint(e5(lon)) + svarint(e5(lat))
        payload += adm0_bytes(props["adm0_a3"])
        payload += name_bytes(props["name"])
    return bytes(payload), len(features)


def ring_area(ring):
    total = 0.0
    for i in range(len(ring)):
        x0, y0 = ring[i]
        x1, y1 = ring[(i + 1) % len(ring)]
        total += x0 * y1 - x1 * y0
    return total / 2.0


def country_area(geometry):
    """Area in square degrees scaled by cos(latitude) (good enough to rank countries)."""
    total = 0.0
    for polygon in polygons_of(geometry):
        for index, ring in enumerate(polygon):
            cos_lat = math.cos(math.radians(sum(lat for _, lat in ring) / len(ring)))
            area = abs(ring_area(ring)) * cos_lat
            total += area if index == 0 else -area
    return total


def country_labels_payload(directory):
    points = defaultdict(list)
    for feature in load(directory, "admin0_label_points_10m")["features"]:
        points[feature["properties"]["adm0_a3"]].append(feature)
    labels = []
    for feature in load(directory, "countries_10m")["features"]:
        props = feature["properties"]
        code = props["adm0_a3"]
        candidates = points.get(code)
        if not candidates:
            raise ValueError(f"no label point for {code}")
        lowest = min(c["properties"]["scalerank"] for c in candidates)
        anchor = (props["label_x"], props["label_y"])

        def distance(candidate):
            lon, lat = candidate["geometry"]["coordinates"]
            return ((lon - anchor[0]) * math.cos(math.radians(lat))) ** 2 + (lat - anchor[1]) ** 2

        best = min((c for c in candidates if c["properties"]["scalerank"] == lowest), key=distance)
        lon, lat = best["geometry"]["coordinates"]
        labels.append({
            "code": code,
            "name": props["name"],
            "lon": lon,
            "lat": lat,
            "labelrank": u8(props["labelrank"]),
            "min_zoom": props["min_label"] if props["min_label"] is not None else 0.0,
            "max_zoom": props["max_label"],
            "area": country_area(feature["geometry"]),
        })
    labels.sort(key=lambda label: (label["labelrank"], -label["area"], label["code"]))
    payload = bytearray(varint(len(labels)))
    for order, label in enumerate(labels):
        payload += adm0_bytes(label["code"])
        payload += bytes([
            min(order, 254),
            zoom_byte(label["min_zoom"]),
            zoom_byte(label["max_zoom"]),
            label["labelrank"],
            0,
        ])
        payload += svarint(e5(label["lon"])) + svarint(e5(label["lat"]))
        payload += name_bytes(label["name"])
    order = {label["code"]: index for index, label in enumerate(labels)}
    return bytes(payload), order


def box_area(rings):
    outer = rings[0]
    lons = [lon for lon, _ in outer]
    lats = [lat for _, lat in outer]
    return (max(lons) - min(lons)) * (max(lats) - min(lats))


def fallback_box(polygon, unit):
    """The outer ring's box, rounded outwards to the unit grid: for units whose every polygon
    is too small to survive simplification."""
    lons = [e5(lon) for lon, _ in polygon[0]]
    lats = [e5(lat) for _, lat in polygon[0]]
    west, east = math.floor(min(lons) / unit) * unit, math.ceil(max(lons) / unit) * unit
    south, north = math.floor(min(lats) / unit) * unit, math.ceil(max(lats) / unit) * unit
    east = max(east, west + unit)
    north = max(north, south + unit)
    return [[(west, south), (east, south), (east, north), (west, north)]]


def country_areas_payload(directory, order):
    """Simplified countries_10m polygons tagged with their country label's index, smallest
    box first (so an enclave wins over its surroundings if simplification lost the hole)."""
    polygons = []
    boxed = []
    for feature in load(directory, "countries_10m")["features"]:
        code = feature["properties"]["adm0_a3"]
        index = order[code]
        kept = []
        for polygon in polygons_of(feature["geometry"]):
            outer, *holes = [simplified_ring(ring, AREAS) for ring in polygon]
            # A polygon whose outer ring vanished is gone, holes and all.
            if len(outer) >= 3 and ring_area(outer) != 0:
                kept.append([outer] + [hole for hole in holes if len(hole) >= 3])
        if not kept:
            largest = max(polygons_of(feature["geometry"]), key=lambda p: abs(ring_area(p[0])))
            kept = [fallback_box(largest, AREAS.unit)]
            boxed.append(code)
        polygons += [(box_area(rings), index, rings) for rings in kept]
    polygons.sort(key=lambda item: (item[0], item[1]))
    payload = bytearray(varint(AREAS.unit) + varint(len(polygons)))
    previous = (0, 0)
    points = 0
    for _, index, rings in polygons:
        payload += varint(index)
        previous = encode_parts(payload, rings, AREAS.unit, previous)
        points += sum(len(ring) for ring in rings)
    return bytes(payload), len(polygons), points, boxed


def build(directory):
    sections = []
    report = []
    for band in (OVERVIEW, DETAIL):
        for layer_id, kind, features, label in band_layers(directory, band):
            payload, points = encode_layer(layer_id, band, kind, features)
            sections.append(section(TAG_LAYER, payload))
            report.append(
                f"{band.suffix} {label:<14} {len(features):>6} features {points:>8} points"
                f" {len(payload):>9} bytes"
            )
    payload, count = places_payload(directory)
    sections.append(section(TAG_PLACES, payload))
    report.append(f"places             {count:>6} points {len(payload):>25} bytes")
    payload, order = country_labels_payload(directory)
    sections.append(section(TAG_COUNTRY_LABELS, payload))
    report.append(f"country labels     {len(order):>6} points {len(payload):>25} bytes")
    payload, count, points, boxed = country_areas_payload(directory, order)
    sections.append(section(TAG_COUNTRY_AREAS, payload))
    report.append(
        f"country areas      {count:>6} polygons {points:>8} points {len(payload):>9} bytes"
        f" (boxes for {', '.join(boxed) or 'none'})"
    )

    region = b"".join(svarint(e5(v)) for v in REGION)
    body = region + bytes([DETAIL_FIRST_ZOOM]) + varint(len(sections)) + b"".join(sections)
    data = MAGIC + bytes([VERSION]) + struct.pack("<I", len(body)) + body
    return data, report


def main(argv):
    if len(argv) != 3:
        sys.stderr.write("usage: derive_basemap.py WORLD_DATA_DIR OUTPUT.bin\n")
        return 2
    data, report = build(argv[1])
    os.makedirs(os.path.dirname(os.path.abspath(argv[2])), exist_ok=True)
    with open(argv[2], "wb") as f:
        f.write(data)
    for line in report:
        sys.stderr.write(line + "\n")
    sys.stderr.write(f"wrote {argv[2]}: {len(data)} bytes\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
