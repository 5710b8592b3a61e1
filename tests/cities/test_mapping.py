"""The map projection, the committed base map and the map partial."""

import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.template.loader import render_to_string

from cities.mapping import (
    LAT_MAX,
    LAT_MIN,
    LON_MAX,
    LON_MIN,
    VIEW_HEIGHT,
    VIEW_WIDTH,
    MapPoints,
    map_points,
    project,
)
from cities.models import City, MemberState

ROOT = Path(__file__).resolve().parent.parent.parent
BASE_MAP = ROOT / "static" / "img" / "asean-map.svg"
SVG = "{http://www.w3.org/2000/svg}"
ASEAN_MEMBER_STATES = {
    "Brunei Darussalam",
    "Cambodia",
    "Indonesia",
    "Lao PDR",
    "Malaysia",
    "Myanmar",
    "Philippines",
    "Singapore",
    "Thailand",
    "Viet Nam",
    "Timor-Leste",
}

HANOI = (21.03, 105.85)
MANILA = (14.6, 120.98)
JAKARTA = (-6.2, 106.8)
SINGAPORE = (1.35, 103.8)
# Far corners of the member states: north Myanmar, west Myanmar, east Indonesia
# (Papua), south Indonesia (Rote) and Timor-Leste.
EXTREMES = [(28.5, 97.4), (20.5, 92.2), (-4.0, 141.0), (-11.0, 123.0), (-8.5, 127.3)]


@dataclass
class StandInState:
    name: str


@dataclass
class StandInCity:
    name: str
    latitude: float
    longitude: float
    member_state: StandInState
    slug: str

    def get_absolute_url(self):
        return f"/stand-in/cities/{self.slug}/"


def test_north_is_up_and_east_is_right():
    hanoi_x, hanoi_y = project(*HANOI)
    manila_x, manila_y = project(*MANILA)
    assert hanoi_y < manila_y
    assert hanoi_x < manila_x

    jakarta_x, jakarta_y = project(*JAKARTA)
    singapore_x, singapore_y = project(*SINGAPORE)
    assert jakarta_y > singapore_y
    assert jakarta_x > singapore_x


def test_project_rounds_to_one_decimal():
    x, y = project(*MANILA)
    assert (x, y) == (round(x, 1), round(y, 1))


@pytest.mark.parametrize(
    "latitude, longitude",
    [
        HANOI,
        MANILA,
        JAKARTA,
        SINGAPORE,
        *EXTREMES,
        (LAT_MIN, LON_MIN),
        (LAT_MAX, LON_MAX),
    ],
)
def test_asean_points_fall_inside_the_view(latitude, longitude):
    x, y = project(latitude, longitude)
    assert 0 <= x <= VIEW_WIDTH
    assert 0 <= y <= VIEW_HEIGHT


def test_bounds_map_to_the_view_corners():
    assert project(LAT_MAX, LON_MIN) == (0, 0)
    x, y = project(LAT_MIN, LON_MAX)
    assert x == VIEW_WIDTH
    assert VIEW_HEIGHT - 1 < y <= VIEW_HEIGHT


def test_map_points_carries_the_view_size_and_one_point_per_city():
    cities = [_city("Hanoi", *HANOI), _city("Manila", *MANILA)]
    result = map_points(cities)
    assert isinstance(result, MapPoints)
    assert (result.width, result.height) == (VIEW_WIDTH, VIEW_HEIGHT)
    assert len(result) == 2
    assert [point.city for point in result] == cities
    assert (result.points[0].x, result.points[0].y) == project(*HANOI)


def test_base_map_is_committed_and_small():
    assert BASE_MAP.exists(), "run: python scripts/build_map.py"
    assert BASE_MAP.stat().st_size < 30 * 1024  # light on the wire (issue 15)


def test_base_map_matches_the_projection_and_names_every_member_state():
    root = ET.parse(BASE_MAP).getroot()
    assert root.tag == f"{SVG}svg"
    assert root.get("viewBox") == f"0 0 {VIEW_WIDTH} {VIEW_HEIGHT}"
    titles = {
        path.findtext(f"{SVG}title")
        for path in root.iter(f"{SVG}path")
        if "asean" in path.get("class", "").split()
    }
    assert titles == ASEAN_MEMBER_STATES
    assert "Natural Earth (public domain)" in BASE_MAP.read_text(encoding="utf-8")


def test_partial_links_every_city_on_the_map_and_in_the_list():
    cities = [
        _city("Hanoi", *HANOI, state="Viet Nam"),
        _city("Manila", *MANILA, state="Philippines"),
        _city("Jakarta", *JAKARTA, state="Indonesia"),
    ]
    html = render_to_string("includes/map.html", {"points": map_points(cities)})

    assert f'viewBox="0 0 {VIEW_WIDTH} {VIEW_HEIGHT}"' in html
    assert "img/asean-map.svg" in html
    assert "Natural Earth" in html
    for city in cities:
        url = city.get_absolute_url()
        # One marker link in the svg and one in the text list.
        assert html.count(f'href="{url}"') == 2
        assert f"<title>{city.name}, {city.member_state.name}</title>" in html
    x, y = project(*HANOI)
    assert f'cx="{x:.1f}" cy="{y:.1f}"' in html
    assert "List of cities on the map" in html


def test_partial_escapes_city_names():
    city = _city("<Hanoi & co>", *HANOI)
    html = render_to_string("includes/map.html", {"points": map_points([city])})
    assert "<Hanoi" not in html
    assert "&lt;Hanoi &amp; co&gt;" in html


def _city(name, latitude, longitude, state="Somewhere"):
    slug = name.lower().strip("<>").split()[0]
    return StandInCity(name, latitude, longitude, StandInState(state), slug)


def test_base_map_is_what_the_build_script_makes():
    from scripts import build_map

    if not build_map.DEFAULT_TOPOJSON.exists():
        pytest.skip("world-atlas is not installed (npm install)")
    topology = json.loads(build_map.DEFAULT_TOPOJSON.read_text(encoding="utf-8"))
    package = build_map.DEFAULT_TOPOJSON.parent / "package.json"
    version = json.loads(package.read_text(encoding="utf-8"))["version"]
    expected = build_map.build_svg(topology, version)
    assert BASE_MAP.read_text(encoding="utf-8") == expected


def test_the_network_map_names_one_city_per_member_state(client, real_data):
    """Each member state's capital, or its most populous city on the map, is
    named; the others are markers only (as the caption says). The cities come
    from the database, each with its own member state object."""
    content = client.get("/").content.decode()
    labels = content.split('<g class="map-labels"', 1)[1].split("</g>", 1)[0]
    named = [text.rsplit(">", 1)[1] for text in labels.split("</text>")[:-1]]
    shown = City.objects.filter(name__in=named).select_related("member_state")
    assert len(named) == len(shown) > 1
    states = [city.member_state_id for city in shown]
    assert len(states) == len(set(states))  # at most one a member state
    for city in shown:
        capital = MemberState.objects.get(pk=city.member_state_id).capital
        if (
            capital
            and City.objects.filter(
                member_state_id=city.member_state_id, name__iexact=capital
            ).exists()
        ):
            assert city.name.casefold() == capital.casefold()
