"""The map projection: the one definition, used by the pages and scripts/build_map.py.

Equirectangular (plate carrée) with the longitude scale corrected by
cos(centre latitude), so shapes near the middle of ASEAN are not stretched.
North is up; SVG y grows downwards.
"""

import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

# Bounds of the map, in degrees. Cover Myanmar in the west, Timor-Leste and
# eastern Indonesia in the south and east, and northern Myanmar/Viet Nam.
LON_MIN, LON_MAX = 91.5, 141.5
LAT_MIN, LAT_MAX = -11.5, 29.5
CENTRE_LATITUDE = (LAT_MIN + LAT_MAX) / 2

VIEW_WIDTH = 1000
_X_SCALE = math.cos(math.radians(CENTRE_LATITUDE))
# SVG units per degree of latitude; a degree of longitude is _X_SCALE of this.
_UNITS_PER_DEGREE = VIEW_WIDTH / ((LON_MAX - LON_MIN) * _X_SCALE)
VIEW_HEIGHT = math.ceil((LAT_MAX - LAT_MIN) * _UNITS_PER_DEGREE)


def project(latitude: float, longitude: float) -> tuple[float, float]:
    """Return the SVG (x, y) of a point, rounded to 0.1 unit.

    Points outside the bounds fall outside 0..VIEW_WIDTH / 0..VIEW_HEIGHT.
    """
    x = (longitude - LON_MIN) * _X_SCALE * _UNITS_PER_DEGREE
    y = (LAT_MAX - latitude) * _UNITS_PER_DEGREE
    return round(x, 1), round(y, 1)


@dataclass(frozen=True)
class Label:
    """Where a marker's name is drawn: text-anchor and offsets in em, so that the
    placement holds at every font size the stylesheet picks."""

    anchor: str
    dx: float
    dy: float


@dataclass(frozen=True)
class MapPoint:
    city: Any
    x: float
    y: float
    label: Label | None = None


@dataclass(frozen=True)
class MapPoints:
    """What templates/includes/map.html needs: the view size and the markers.

    Iterating over it gives the points, so it can stand in for a list.
    """

    points: tuple[MapPoint, ...]
    width: int = VIEW_WIDTH
    height: int = VIEW_HEIGHT

    def __iter__(self) -> Iterator[MapPoint]:
        return iter(self.points)

    def __len__(self) -> int:
        return len(self.points)

    @property
    def labelled(self) -> tuple[MapPoint, ...]:
        return tuple(point for point in self.points if point.label)


# Labels are placed for the largest font the stylesheet uses (static/css/map.css,
# phones: 37 units, about 12 px on a 360 px screen), so they do not overlap at
# any smaller size. A bold name with its halo is at most about 0.8 em wide per
# character (DejaVu Sans Bold).
LABEL_FONT = 37
CHAR_WIDTH = 0.8
# Candidate places, best first: right, left, above, below the marker.
LABEL_PLACES = (
    Label("start", 0.55, 0.35),
    Label("end", -0.55, 0.35),
    Label("middle", 0, -0.6),
    Label("middle", 0, 1.25),
)


def _label_box(x, y, name, place):
    """(left, top, right, bottom) of a label, in SVG units."""
    width = len(name) * CHAR_WIDTH * LABEL_FONT
    baseline = y + place.dy * LABEL_FONT
    start = x + place.dx * LABEL_FONT
    left = {"start": start, "end": start - width, "middle": start - width / 2}
    left = left[place.anchor]
    return (
        left,
        baseline - 0.75 * LABEL_FONT,
        left + width,
        baseline + 0.2 * LABEL_FONT,
    )


def _overlap(a, b):
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    return max(width, 0) * max(height, 0)


def _state_key(city):
    """What groups cities by member state: the member state's key for a saved
    city (the database gives each city's row its own member state object), the
    object itself otherwise."""
    state_id = getattr(city, "member_state_id", None)
    if state_id is not None:
        return ("pk", state_id)
    return ("object", id(getattr(city, "member_state", None)))


def _labelled_cities(cities):
    """The cities to name on the map: each member state's capital when it is one
    of them, otherwise its most populous one. A single city is always named."""
    if len(cities) == 1:
        return {id(cities[0])}
    by_state = {}
    for city in cities:
        by_state.setdefault(_state_key(city), []).append(city)
    chosen = set()
    for members in by_state.values():
        state = getattr(members[0], "member_state", None)
        capital = getattr(state, "capital", "") or ""
        capitals = [c for c in members if c.name.casefold() == capital.casefold()]
        if capitals:
            chosen.add(id(capitals[0]))
            continue
        populated = [c for c in members if getattr(c, "population", None)]
        if populated:
            chosen.add(id(max(populated, key=lambda c: c.population)))
    return chosen


def _place_labels(points, named):
    """A Label for each named point: the first candidate place that stays on the
    map and clear of the labels placed before it and of the markers (or the
    least overlapping one)."""
    markers = [(x - 12, y - 12, x + 12, y + 12) for _, x, y in points]
    placed, labels = [], {}
    # Most populous first: they get the best places.
    order = sorted(
        (p for p in points if id(p[0]) in named),
        key=lambda p: -(getattr(p[0], "population", 0) or 0),
    )
    for city, x, y in order:
        best = None
        for rank, place in enumerate(LABEL_PLACES):
            box = _label_box(x, y, city.name, place)
            outside = (
                max(0 - box[0], 0)
                + max(box[2] - VIEW_WIDTH, 0)
                + max(0 - box[1], 0)
                + max(box[3] - VIEW_HEIGHT, 0)
            )
            cost = (
                outside * 1000
                + sum(_overlap(box, other) for other in placed) * 10
                + sum(_overlap(box, marker) for marker in markers)
                + rank
            )
            if best is None or cost < best[0]:
                best = (cost, place, box)
        placed.append(best[2])
        labels[id(city)] = best[1]
    return labels


def map_points(cities: Iterable[Any]) -> MapPoints:
    """Project each city (anything with .latitude and .longitude) to a marker,
    and name the capital (or the largest city) of each member state."""
    cities = list(cities)
    projected = [(city, *project(city.latitude, city.longitude)) for city in cities]
    labels = _place_labels(projected, _labelled_cities(cities))
    return MapPoints(
        points=tuple(
            MapPoint(city, x, y, labels.get(id(city))) for city, x, y in projected
        )
    )
