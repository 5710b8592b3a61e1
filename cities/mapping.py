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
class MapPoint:
    city: Any
    x: float
    y: float


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


def map_points(cities: Iterable[Any]) -> MapPoints:
    """Project each city (anything with .latitude and .longitude) to a marker."""
    return MapPoints(
        points=tuple(
            MapPoint(city, *project(city.latitude, city.longitude)) for city in cities
        )
    )
