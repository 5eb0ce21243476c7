#!/usr/bin/env python3
"""Derive assets/basemap/naturalearth.bin, the offline basemap asset, from the shared
Natural Earth GeoJSON layers (see ../shared/data/README.md). Python 3.11, stdlib only.

Run from the project root:

    python3 scripts/derive_basemap.py /work/shared/data assets/basemap/naturalearth.bin

The output is deterministic (same input, same bytes). The Rust decoder lives in
crates/basemap/src/data/ (the format is documented in its mod.rs).

Binary format, version 1
========================

Integers are either fixed-size little-endian or unsigned LEB128 varints ("varint").
Signed values are zigzag-encoded varints ("svarint": 0, -1, 1, -2, ... -> 0, 1, 2, 3, ...).
Coordinates are WGS 84 degrees quantized to 1e-5 degree (integers).

    file      = magic:"SMBM" version:u8=1 body_len:u32le body
    body      = region section_count:varint section*   (body_len bytes, nothing after it)
    region    = west:svarint south:svarint east:svarint north:svarint   (1e-5 degree; the box
                                                        the data was clipped to, sea inside)
    section   = tag:u8 payload_len:varint payload       (tag 1 geometry layer, 2 places,
                                                         3 country labels; unknown tags are
                                                         skipped by the decoder)

    geometry layer payload:
      layer_id:u8        1 land, 2 focus countries (PAK, IRN), 3 lakes, 4 playas,
                         5 coastline, 6 admin-0 borders, 7 admin-1 internal lines, 8 rivers
      geometry_kind:u8   1 polygons (parts are rings; the closing point is omitted,
                         outer rings counter-clockwise, holes clockwise),
                         2 lines (parts are polylines)
      feature_count:varint
      feature*:
        class:u8         meaning per layer, see CLASS_* below
        rank:u8          Natural Earth scalerank (0 when the layer has none)
        min_zoom:u8      Natural Earth min_zoom x 10 (255 = none)
        part_count:varint
        part*:  point_count:varint  (dlon:svarint dlat:svarint) * point_count
                Each point is the delta from the previous point of the same layer;
                the running point starts at (0, 0) at the start of every layer.

    places payload:
      count:varint
      place*: kind:u8 (0 national capital, 1 province capital, 2 populated place)
              scalerank:u8 labelrank:u8 min_zoom:u8 (x10, 255 = none)
              pop_max:varint lon:svarint lat:svarint (absolute, 1e-5 degree)
              adm0_a3:3 bytes ASCII  name_len:varint name:UTF-8

    country labels payload:
      count:varint
      label*: adm0_a3:3 bytes ASCII  label_rank:u8 (0 = largest area inside the region)
              min_zoom:u8 (x10; zoom at which the label fits, see below)
              flags:u8 (bit 0: the country is clipped by the region box)
              lon:svarint lat:svarint (absolute, 1e-5 degree)
              name_len:varint name:UTF-8

Derived data
============

- Land, lakes, playas: one feature per polygon (MultiPolygons are split so that the
  renderer can cull each part by its bounding box).
- Focus countries: the Pakistan and Iran polygons from countries.geojson, for a subtle tint.
- Admin-1 internal lines: edges shared by two provinces of the same country in
  admin1_context.geojson (the provinces share identical, snap-rounded edges), chained into
  polylines, one feature per polyline. Edges on the international border or the coast are left out; those come from
  borders.geojson and coastline.geojson.
- Country label points: a pole of inaccessibility (the point inside the country's largest
  polygon part that is farthest from its outline, found by a quad-tree cell search in a
  locally equidistant plane) for each of the 20 countries. min_zoom is the lowest zoom at
  which that inscribed circle is at least LABEL_RADIUS_PX pixels wide on 256-px tiles.
"""
import heapq
import json
import math
import os
import struct
import sys

MAGIC = b"SMBM"
VERSION = 1
SCALE = 100_000  # 1e-5 degree units
REGION = (44.0, 22.0, 78.0, 40.0)  # west, south, east, north; see shared/data/README.md

TAG_LAYER = 1
TAG_PLACES = 2
TAG_COUNTRY_LABELS = 3

LAYER_LAND = 1
LAYER_FOCUS_COUNTRIES = 2
LAYER_LAKES = 3
LAYER_PLAYAS = 4
LAYER_COASTLINE = 5
LAYER_BORDERS = 6
LAYER_ADMIN1_LINES = 7
LAYER_RIVERS = 8

KIND_POLYGONS = 1
KIND_LINES = 2

NO_MIN_ZOOM = 255

# Class bytes per layer.
CLASS_FOCUS = {"PAK": 0, "IRN": 1}
CLASS_LAKE = {"Lake": 0, "Reservoir": 1, "Alkaline Lake": 2}
CLASS_BORDER = {
    "International boundary (verify)": 0,
    "Line of control (please verify)": 1,
    "Disputed (please verify)": 2,
    "Indefinite (please verify)": 3,
    "Indeterminant frontier": 3,
}
CLASS_ADMIN1 = {"PAK": 0, "IRN": 1}
CLASS_RIVER = {"River": 0, "Lake Centerline": 1}
PLACE_KIND = {"Admin-0 capital": 0, "Admin-1 capital": 1, "Populated place": 2}

LABEL_RADIUS_PX = 24.0  # inscribed-circle radius a country label needs, in 256-px tile pixels


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


def quantize(degrees: float) -> int:
    return int(round(degrees * SCALE))


def min_zoom_byte(min_zoom) -> int:
    if min_zoom is None:
        return NO_MIN_ZOOM
    tenths = int(round(float(min_zoom) * 10))
    return max(0, min(250, tenths))


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


# ---------------------------------------------------------------------------------------
# Geometry helpers


def polygons_of(geometry):
    """List of polygons (each a list of rings of [lon, lat]) of a (Multi)Polygon."""
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


def quantized_ring(ring):
    points = [(quantize(lon), quantize(lat)) for lon, lat in ring]
    if len(points) > 1 and points[0] == points[-1]:
        points.pop()
    deduped = []
    for point in points:
        if not deduped or deduped[-1] != point:
            deduped.append(point)
    return deduped


def quantized_line(line):
    deduped = []
    for lon, lat in line:
        point = (quantize(lon), quantize(lat))
        if not deduped or deduped[-1] != point:
            deduped.append(point)
    return deduped


class Feature:
    def __init__(self, cls: int, rank: int, min_zoom, parts):
        self.cls = cls
        self.rank = rank
        self.min_zoom = min_zoom_byte(min_zoom)
        self.parts = parts  # list of lists of (lon_e5, lat_e5)


def encode_layer(layer_id: int, kind: int, features) -> bytes:
    out = bytearray([layer_id, kind])
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
        out += varint(len(parts))
        for part in parts:
            out += varint(len(part))
            for point in part:
                out += svarint(point[0] - previous[0])
                out += svarint(point[1] - previous[1])
                previous = point
    return bytes(out)


def section(tag: int, payload: bytes) -> bytes:
    return bytes([tag]) + varint(len(payload)) + payload


# ---------------------------------------------------------------------------------------
# Admin-1 internal lines


def admin1_internal_lines(admin1):
    """Polylines along edges shared by two provinces of the same country, per country."""
    owners = {}  # undirected edge -> list of (country, province index)
    for index, feature in enumerate(admin1["features"]):
        country = feature["properties"]["adm0_a3"]
        for polygon in polygons_of(feature["geometry"]):
            for ring in polygon:
                points = quantized_ring(ring)
                for i, start in enumerate(points):
                    end = points[(i + 1) % len(points)]
                    key = (start, end) if start < end else (end, start)
                    owners.setdefault(key, []).append((country, index))
    internal = {}  # country -> set of edges
    for edge, edge_owners in owners.items():
        if len(edge_owners) == 2:
            (country_a, index_a), (country_b, index_b) = edge_owners
            if country_a == country_b and index_a != index_b:
                internal.setdefault(country_a, set()).add(edge)
    result = {}
    for country, edges in sorted(internal.items()):
        result[country] = chain_edges(edges)
    return result


def chain_edges(edges):
    """Chain undirected edges into maximal polylines (deterministic order)."""
    neighbours = {}
    for a, b in edges:
        neighbours.setdefault(a, []).append(b)
        neighbours.setdefault(b, []).append(a)
    for node in neighbours:
        neighbours[node].sort()
    used = set()
    lines = []

    def walk(start, first):
        line = [start, first]
        used.add((start, first) if start < first else (first, start))
        previous, current = start, first
        while len(neighbours[current]) == 2:
            following = [n for n in neighbours[current] if n != previous]
            if not following:
                break
            nxt = following[0]
            key = (current, nxt) if current < nxt else (nxt, current)
            if key in used:
                break
            used.add(key)
            line.append(nxt)
            previous, current = current, nxt
        return line

    # Start at junctions and ends first, then pick up closed loops.
    for node in sorted(neighbours):
        if len(neighbours[node]) != 2:
            for other in neighbours[node]:
                key = (node, other) if node < other else (other, node)
                if key not in used:
                    lines.append(walk(node, other))
    for node in sorted(neighbours):
        for other in neighbours[node]:
            key = (node, other) if node < other else (other, node)
            if key not in used:
                lines.append(walk(node, other))
    return lines


# ---------------------------------------------------------------------------------------
# Country label points (pole of inaccessibility)


def ring_area(ring):
    total = 0.0
    for i in range(len(ring)):
        x0, y0 = ring[i]
        x1, y1 = ring[(i + 1) % len(ring)]
        total += x0 * y1 - x1 * y0
    return total / 2.0


def point_segment_distance_sq(px, py, ax, ay, bx, by):
    dx, dy = bx - ax, by - ay
    length_sq = dx * dx + dy * dy
    t = 0.0 if length_sq == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length_sq))
    cx, cy = ax + t * dx, ay + t * dy
    return (px - cx) ** 2 + (py - cy) ** 2


def signed_distance(px, py, rings):
    """Distance from (px, py) to the polygon outline; positive inside, negative outside."""
    inside = False
    best = math.inf
    for ring in rings:
        count = len(ring)
        for i in range(count):
            ax, ay = ring[i]
            bx, by = ring[(i + 1) % count]
            if (ay > py) != (by > py) and px < (bx - ax) * (py - ay) / (by - ay) + ax:
                inside = not inside
            best = min(best, point_segment_distance_sq(px, py, ax, ay, bx, by))
    distance = math.sqrt(best)
    return distance if inside else -distance


def pole_of_inaccessibility(rings, precision):
    """Cell search for the interior point farthest from the outline (planar coordinates)."""
    xs = [x for x, _ in rings[0]]
    ys = [y for _, y in rings[0]]
    min_x, max_x, min_y, max_y = min(xs), max(xs), min(ys), max(ys)
    cell_size = min(max_x - min_x, max_y - min_y)
    if cell_size <= 0:
        return (min_x, min_y), 0.0
    half = cell_size / 2.0
    queue = []
    counter = 0

    def push(cx, cy, h):
        nonlocal counter
        d = signed_distance(cx, cy, rings)
        potential = d + h * math.sqrt(2.0)
        heapq.heappush(queue, (-potential, counter, cx, cy, h, d))
        counter += 1

    x = min_x
    while x < max_x:
        y = min_y
        while y < max_y:
            push(x + half, y + half, half)
            y += cell_size
        x += cell_size

    # Start from the area centroid of the outer ring when it is inside.
    area = ring_area(rings[0])
    best_x, best_y = (min_x + max_x) / 2.0, (min_y + max_y) / 2.0
    if area != 0:
        cx = cy = 0.0
        ring = rings[0]
        for i in range(len(ring)):
            x0, y0 = ring[i]
            x1, y1 = ring[(i + 1) % len(ring)]
            cross = x0 * y1 - x1 * y0
            cx += (x0 + x1) * cross
            cy += (y0 + y1) * cross
        best_x, best_y = cx / (6.0 * area), cy / (6.0 * area)
    best_d = signed_distance(best_x, best_y, rings)

    while queue:
        negative_potential, _, cx, cy, h, d = heapq.heappop(queue)
        if d > best_d:
            best_x, best_y, best_d = cx, cy, d
        if -negative_potential - best_d <= precision:
            continue
        h2 = h / 2.0
        for dx in (-h2, h2):
            for dy in (-h2, h2):
                push(cx + dx, cy + dy, h2)
    return (best_x, best_y), best_d


def country_label(feature):
    props = feature["properties"]
    best = None
    for polygon in polygons_of(feature["geometry"]):
        mean_lat = sum(lat for _, lat in polygon[0]) / len(polygon[0])
        cos_lat = math.cos(math.radians(mean_lat))
        # Local equidistant plane: x scaled by cos(latitude), units of degrees of latitude.
        planar = [[(lon * cos_lat, lat) for lon, lat in ring] for ring in polygon]
        area = abs(ring_area(planar[0])) - sum(abs(ring_area(r)) for r in planar[1:])
        if best is None or area > best[0]:
            best = (area, planar, cos_lat)
    area, planar, cos_lat = best
    (x, y), radius = pole_of_inaccessibility(planar, precision=0.01)
    lon, lat = x / cos_lat, y
    # radius is in degrees of latitude; Web Mercator stretches by 1/cos(lat).
    world_px_at_zoom0 = 256.0 / 360.0 / math.cos(math.radians(lat))
    radius_px_z0 = max(radius, 1e-6) * world_px_at_zoom0
    min_zoom = max(0.0, math.log2(LABEL_RADIUS_PX / radius_px_z0))
    return {
        "adm0_a3": props["adm0_a3"],
        "name": props["name"],
        "lon": lon,
        "lat": lat,
        "area": area,
        "min_zoom": min_zoom,
        "clipped": bool(props.get("clipped_to_bbox")),
    }


# ---------------------------------------------------------------------------------------
# Layers


def load(directory, name):
    with open(os.path.join(directory, name + ".geojson"), encoding="utf-8") as f:
        return json.load(f)


def polygon_features(collection, classify):
    features = []
    for feature in collection["features"]:
        props = feature["properties"]
        cls, rank, min_zoom = classify(props)
        for polygon in polygons_of(feature["geometry"]):
            features.append(Feature(cls, rank, min_zoom, [quantized_ring(r) for r in polygon]))
    return features


def line_features(collection, classify):
    features = []
    for feature in collection["features"]:
        cls, rank, min_zoom = classify(feature["properties"])
        parts = [quantized_line(line) for line in lines_of(feature["geometry"])]
        features.append(Feature(cls, rank, min_zoom, parts))
    return features


def build(directory):
    sections = []
    report = []

    def add_layer(layer_id, kind, features, label):
        payload = encode_layer(layer_id, kind, features)
        sections.append(section(TAG_LAYER, payload))
        points = sum(len(p) for f in features for p in f.parts)
        report.append(f"{label:<16} {len(features):>5} features {points:>7} points {len(payload):>8} bytes")

    land = load(directory, "land")
    if tuple(land["bbox"]) != REGION:
        raise ValueError(f"unexpected region {land['bbox']}, expected {REGION}")
    add_layer(LAYER_LAND, KIND_POLYGONS, polygon_features(land, lambda p: (0, 0, None)), "land")

    countries = load(directory, "countries")
    focus = {"type": "FeatureCollection", "features": [
        f for f in countries["features"] if f["properties"]["adm0_a3"] in CLASS_FOCUS
    ]}
    add_layer(
        LAYER_FOCUS_COUNTRIES,
        KIND_POLYGONS,
        polygon_features(focus, lambda p: (CLASS_FOCUS[p["adm0_a3"]], 0, None)),
        "focus countries",
    )

    lakes = load(directory, "lakes")
    add_layer(
        LAYER_LAKES,
        KIND_POLYGONS,
        polygon_features(
            lakes, lambda p: (CLASS_LAKE.get(p["featurecla"], 0), u8(p["scalerank"]), p["min_zoom"])
        ),
        "lakes",
    )

    playas = load(directory, "playas")
    add_layer(
        LAYER_PLAYAS,
        KIND_POLYGONS,
        polygon_features(playas, lambda p: (0, u8(p["scalerank"]), p["min_zoom"])),
        "playas",
    )

    coastline = load(directory, "coastline")
    add_layer(LAYER_COASTLINE, KIND_LINES, line_features(coastline, lambda p: (0, 0, None)), "coastline")

    borders = load(directory, "borders")
    add_layer(
        LAYER_BORDERS,
        KIND_LINES,
        line_features(
            borders,
            lambda p: (CLASS_BORDER[p["featurecla"]], u8(p["scalerank"]), p["min_zoom"]),
        ),
        "borders",
    )

    admin1 = load(directory, "admin1_context")
    admin1_features = [
        Feature(CLASS_ADMIN1[country], 0, None, [line])
        for country, lines in admin1_internal_lines(admin1).items()
        for line in lines
    ]
    add_layer(LAYER_ADMIN1_LINES, KIND_LINES, admin1_features, "admin-1 lines")

    rivers = load(directory, "rivers")
    add_layer(
        LAYER_RIVERS,
        KIND_LINES,
        line_features(
            rivers,
            lambda p: (CLASS_RIVER.get(p["featurecla"], 0), u8(p["scalerank"]), p["min_zoom"]),
        ),
        "rivers",
    )

    places = load(directory, "places")
    payload = bytearray(varint(len(places["features"])))
    for feature in places["features"]:
        props = feature["properties"]
        lon, lat = feature["geometry"]["coordinates"]
        payload += bytes([
            PLACE_KIND[props["featurecla"]],
            u8(props["scalerank"]),
            u8(props["labelrank"]),
            min_zoom_byte(props["min_zoom"]),
        ])
        payload += varint(int(props["pop_max"] or 0))
        payload += svarint(quantize(lon)) + svarint(quantize(lat))
        payload += adm0_bytes(props["adm0_a3"])
        payload += name_bytes(props["name"])
    sections.append(section(TAG_PLACES, bytes(payload)))
    report.append(f"{'places':<16} {len(places['features']):>5} points {'':>14} {len(payload):>8} bytes")

    labels = [country_label(f) for f in countries["features"]]
    by_area = sorted(labels, key=lambda label: (-label["area"], label["adm0_a3"]))
    payload = bytearray(varint(len(labels)))
    for rank, label in enumerate(by_area):
        payload += adm0_bytes(label["adm0_a3"])
        payload += bytes([min(rank, 254), min_zoom_byte(label["min_zoom"]), 1 if label["clipped"] else 0])
        payload += svarint(quantize(label["lon"])) + svarint(quantize(label["lat"]))
        payload += name_bytes(label["name"])
    sections.append(section(TAG_COUNTRY_LABELS, bytes(payload)))
    report.append(f"{'country labels':<16} {len(labels):>5} points {'':>14} {len(payload):>8} bytes")
    for label in by_area:
        report.append(
            f"  {label['adm0_a3']} {label['name']:<22} {label['lat']:8.4f} N {label['lon']:8.4f} E"
            f"  min_zoom {label['min_zoom']:.1f}"
        )

    region = b"".join(svarint(quantize(v)) for v in REGION)
    body = region + varint(len(sections)) + b"".join(sections)
    data = MAGIC + bytes([VERSION]) + struct.pack("<I", len(body)) + body
    return data, report


def main(argv):
    if len(argv) != 3:
        sys.stderr.write("usage: derive_basemap.py SHARED_DATA_DIR OUTPUT.bin\n")
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
