"""Build the offline ASEAN base map from Natural Earth country outlines.

    python scripts/build_map.py [--topojson node_modules/world-atlas/countries-50m.json]
                                [--out static/img/asean-map.svg]

Reads the world-atlas TopoJSON (installed by npm), keeps the countries that reach
into the map bounds, projects them with cities.mapping.project, clips them to just
outside the view, drops points closer than MIN_STEP units to the previous one and
writes a standalone SVG. Pure Python, deterministic: an unchanged input gives a
byte-identical file.
"""

import argparse
import json
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from cities.mapping import (  # noqa: E402
    LAT_MAX,
    LAT_MIN,
    LON_MAX,
    LON_MIN,
    VIEW_HEIGHT,
    VIEW_WIDTH,
    project,
)

DEFAULT_TOPOJSON = ROOT / "node_modules" / "world-atlas" / "countries-50m.json"
DEFAULT_OUT = ROOT / "static" / "img" / "asean-map.svg"
MAX_BYTES = 30 * 1024  # the issue 15 budget for the map outline

MIN_STEP = 1.0  # SVG units between kept points
# Ramer-Douglas-Peucker tolerance: a point nearer than this (SVG units) to the line
# between its kept neighbours is dropped. Half a unit is under a pixel at the
# widest the map is drawn, and halves the file against MIN_STEP alone.
TOLERANCE = 0.7
CLIP_MARGIN = 5.0  # clip this far outside the view, so clip edges are not seen
MARGIN_DEGREES = 1.0  # countries reaching this close to the bounds are drawn

# Natural Earth name -> the portal's member-state name (as in the fixtures).
ASEAN_MEMBERS = {
    "Brunei": "Brunei Darussalam",
    "Cambodia": "Cambodia",
    "Indonesia": "Indonesia",
    "Laos": "Lao PDR",
    "Malaysia": "Malaysia",
    "Myanmar": "Myanmar",
    "Philippines": "Philippines",
    "Singapore": "Singapore",
    "Thailand": "Thailand",
    "Vietnam": "Viet Nam",
    "Timor-Leste": "Timor-Leste",
}

STYLE = """
.sea { fill: #dcebf5; }
.country { stroke: #5f6b76; stroke-width: 0.6; stroke-linejoin: round; fill-rule: evenodd; }
.asean { fill: #efe6cf; }
.neighbour { fill: #f7f6f2; stroke: #9aa4ad; }
"""  # noqa: E501


def decode_arcs(topology):
    """Absolute (longitude, latitude) points of every arc."""
    transform = topology["transform"]
    (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring_points(ring, arcs):
    """Join a ring's arcs; a negative index ~i means arc i reversed."""
    points = []
    for index in ring:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def polygons_of(geometry):
    if geometry["type"] == "Polygon":
        return [geometry["arcs"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["arcs"]
    return []


def reaches_bounds(rings):
    lons = [lon for ring in rings for lon, _ in ring]
    lats = [lat for ring in rings for _, lat in ring]
    return (
        min(lons) <= LON_MAX + MARGIN_DEGREES
        and max(lons) >= LON_MIN - MARGIN_DEGREES
        and min(lats) <= LAT_MAX + MARGIN_DEGREES
        and max(lats) >= LAT_MIN - MARGIN_DEGREES
    )


def clip(points, low_x, low_y, high_x, high_y):
    """Clip a closed ring to a rectangle (Sutherland-Hodgman)."""
    edges = (
        (lambda p: p[0] >= low_x, 0, low_x),
        (lambda p: p[0] <= high_x, 0, high_x),
        (lambda p: p[1] >= low_y, 1, low_y),
        (lambda p: p[1] <= high_y, 1, high_y),
    )
    for inside, axis, value in edges:
        if not points:
            break
        result = []
        previous = points[-1]
        for current in points:
            if inside(current):
                if not inside(previous):
                    result.append(_crossing(previous, current, axis, value))
                result.append(current)
            elif inside(previous):
                result.append(_crossing(previous, current, axis, value))
            previous = current
        points = result
    return points


def _crossing(a, b, axis, value):
    t = (value - a[axis]) / (b[axis] - a[axis])
    other = 1 - axis
    crossing = [0.0, 0.0]
    crossing[axis] = value
    crossing[other] = round(a[other] + t * (b[other] - a[other]), 1)
    return tuple(crossing)


def simplify(points):
    """Drop points closer than MIN_STEP to the previous kept point."""
    kept = []
    for x, y in points:
        if kept and math.hypot(x - kept[-1][0], y - kept[-1][1]) < MIN_STEP:
            continue
        kept.append((x, y))
    if len(kept) > 1 and kept[-1] == kept[0]:
        kept.pop()
    return douglas_peucker(kept)


def _distance_to_segment(point, start, end):
    (px, py), (ax, ay), (bx, by) = point, start, end
    dx, dy = bx - ax, by - ay
    if dx == dy == 0:
        return math.hypot(px - ax, py - ay)
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


def douglas_peucker(points):
    """Keep the points that matter to the shape (iterative, no recursion limit)."""
    if len(points) < 4:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        worst, index = 0.0, None
        for i in range(first + 1, last):
            d = _distance_to_segment(points[i], points[first], points[last])
            if d > worst:
                worst, index = d, i
        if index is not None and worst > TOLERANCE:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def number(value):
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def short(value):
    """A number as SVG path data allows it: 0.5 as .5, -0.5 as -.5."""
    text = number(value)
    if text.startswith("0."):
        return text[1:]
    if text.startswith("-0."):
        return "-" + text[2:]
    return "0" if text == "-0" else text


def path_data(rings):
    parts = []
    for ring in rings:
        x0, y0 = ring[0]
        # Whole units: one unit is about a pixel at the widest the map is drawn.
        moves = [f"M{round(x0)} {round(y0)}l"]
        # Relative steps from the rounded position, so rounding never drifts; a
        # repeated "l" is implied, and a minus sign or a second decimal point
        # starts a new number by itself.
        at = (round(x0), round(y0))
        steps = []
        for point in ring[1:]:
            target = (round(point[0]), round(point[1]))
            dx, dy = target[0] - at[0], target[1] - at[1]
            if dx == dy == 0:
                continue
            steps.append(f"{dx} {dy}")
            at = target
        text = " ".join(steps).replace(" -", "-").replace(" .", ".")
        parts.append(moves[0] + text + "z")
    return "".join(parts)


def country_shapes(topology):
    arcs = decode_arcs(topology)
    shapes = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        name = geometry.get("properties", {}).get("name")
        polygons = polygons_of(geometry)
        if not name or not polygons:
            continue
        lonlat_rings = [ring_points(ring, arcs) for poly in polygons for ring in poly]
        if not reaches_bounds(lonlat_rings):
            continue
        rings = []
        for ring in lonlat_rings:
            projected = [project(lat, lon) for lon, lat in ring]
            clipped = clip(
                projected,
                -CLIP_MARGIN,
                -CLIP_MARGIN,
                VIEW_WIDTH + CLIP_MARGIN,
                VIEW_HEIGHT + CLIP_MARGIN,
            )
            simplified = simplify(clipped)
            if len(simplified) >= 3:
                rings.append(simplified)
        if not rings:
            continue
        member = ASEAN_MEMBERS.get(name)
        shapes.append(
            {
                "title": member or name,
                "class": "asean" if member else "neighbour",
                "rings": rings,
            }
        )
    # Neighbours first, so member outlines are drawn on top; then by name.
    shapes.sort(key=lambda shape: (shape["class"] == "asean", shape["title"]))
    return shapes


def escape(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def build_svg(topology, version):
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f"<!-- Country outlines: Natural Earth (public domain) via world-atlas "
        f"{version}; built by scripts/build_map.py -->",
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {VIEW_WIDTH} '
        f'{VIEW_HEIGHT}" width="{VIEW_WIDTH}" height="{VIEW_HEIGHT}">',
        "<title>ASEAN member states and neighbouring countries</title>",
        f"<style>{STYLE}</style>",
        f'<rect class="sea" width="{VIEW_WIDTH}" height="{VIEW_HEIGHT}"/>',
    ]
    for shape in country_shapes(topology):
        lines.append(
            f'<path class="country {shape["class"]}" d="{path_data(shape["rings"])}">'
            f"<title>{escape(shape['title'])}</title></path>"
        )
    lines.append("</svg>")
    return "\n".join(lines) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--topojson", type=Path, default=DEFAULT_TOPOJSON)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)

    topology = json.loads(args.topojson.read_text(encoding="utf-8"))
    package = args.topojson.parent / "package.json"
    version = json.loads(package.read_text(encoding="utf-8"))["version"]
    svg = build_svg(topology, version)
    size = len(svg.encode("utf-8"))
    if size > MAX_BYTES:
        raise SystemExit(f"{args.out}: {size} bytes is over the {MAX_BYTES} limit")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(svg, encoding="utf-8")
    print(f"Wrote {args.out} ({size / 1024:.1f} KB)")


if __name__ == "__main__":
    main()
