"""CSV and JSON downloads of the city and initiative lists."""

import csv
import io
import json

import pytest

from cities.api import CitySerializer, InitiativeSerializer
from cities.models import City, Initiative
from tests.conftest import (
    make_city,
    make_goal,
    make_initiative,
    make_member_state,
    make_partner,
)

CITY_COLUMNS = list(CitySerializer().fields)
INITIATIVE_COLUMNS = list(InitiativeSerializer().fields)


def whole(response):
    """The body of a streamed answer, read once and kept."""
    if not response.streaming:
        return response.content
    if not hasattr(response, "whole_body"):
        response.whole_body = response.getvalue()
    return response.whole_body


def read_csv(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(whole(response).decode("utf-8"), newline="")))
    header, *records = rows
    return header, [dict(zip(header, record, strict=True)) for record in records]


def test_city_csv_has_a_header_and_one_row_per_city(client, real_data):
    response = client.get("/cities/export.csv")
    header, rows = read_csv(response)

    assert response["Content-Disposition"] == 'attachment; filename="ascn-cities.csv"'
    assert header == CITY_COLUMNS
    assert {"slug", "html_url", "sources", "size_class", "goals"} <= set(header)
    assert len(rows) == 35
    assert sorted(row["slug"] for row in rows) == sorted(
        City.objects.values_list("slug", flat=True)
    )


def test_city_csv_row_matches_the_api_record(client, real_data):
    _, rows = read_csv(client.get("/cities/export.csv"))
    row = next(row for row in rows if row["slug"] == "bangkok")
    record = client.get("/api/v1/cities/bangkok/").json()

    assert row["name"] == record["name"]
    assert row["member_state"] == "thailand"
    assert row["population"] == str(record["population"])
    assert row["size_class"] == record["size_class"]
    assert row["is_pilot"] == "true"
    assert row["goals"].split("; ") == record["goals"]
    assert row["sources"].split("; ") == record["sources"]
    assert row["html_url"] == "http://testserver/cities/bangkok/"


def test_city_csv_is_filtered_like_the_page(client, real_data):
    _, rows = read_csv(client.get("/cities/export.csv?member_state=thailand"))

    assert [row["slug"] for row in rows] == [
        "bangkok",
        "chiang-mai",
        "chonburi",
        "khon-kaen",
        "phuket",
        "rayong",
    ]
    assert {row["member_state"] for row in rows} == {"thailand"}


@pytest.mark.django_db
def test_csv_preserves_non_ascii_text(client):
    goals = [make_goal(slug="civic"), make_goal(slug="safety")]
    make_city(slug="da-nang", name="Đà Nẵng", goals=goals, population=None)

    response = client.get("/cities/export.csv")
    _, rows = read_csv(response)

    assert "Đà Nẵng".encode() in whole(response)
    assert rows[0]["name"] == "Đà Nẵng"
    assert rows[0]["goals"] == "civic; safety"
    assert rows[0]["population"] == ""
    assert rows[0]["size_class"] == ""


@pytest.mark.django_db
def test_json_export_preserves_non_ascii_text(client):
    make_city(slug="da-nang", name="Đà Nẵng")

    response = client.get("/cities/export.json")

    records = json.loads(whole(response))
    assert "Đà Nẵng".encode() in whole(response)
    assert records[0]["name"] == "Đà Nẵng"


@pytest.mark.parametrize("path", ["cities", "initiatives"])
def test_json_export_is_the_api_records_unpaginated(client, real_data, path):
    query = "member_state=malaysia&member_state=cambodia"
    response = client.get(f"/{path}/export.json?{query}")
    api = client.get(f"/api/v1/{path}/?{query}&page_size=500").json()

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="ascn-{path}.json"'
    records = json.loads(whole(response))
    assert isinstance(records, list)
    assert records == api["results"]
    assert len(records) == api["count"] > 0


def test_initiative_csv(client, real_data):
    response = client.get("/initiatives/export.csv?partner=usa-usascp")
    header, rows = read_csv(response)

    assert (
        response["Content-Disposition"] == 'attachment; filename="ascn-initiatives.csv"'
    )
    assert header == INITIATIVE_COLUMNS
    assert len(rows) == Initiative.objects.filter(partners__slug="usa-usascp").count()
    assert all("usa-usascp" in row["partners"].split("; ") for row in rows)
    assert all(
        row["html_url"].startswith("http://testserver/initiatives/") for row in rows
    )


def test_initiative_csv_has_every_initiative(client, real_data):
    _, rows = read_csv(client.get("/initiatives/export.csv"))

    assert len(rows) == Initiative.objects.count() == 168


@pytest.mark.django_db
def test_initiative_csv_joins_lists(client):
    partners = [
        make_partner(slug="p-one", country_or_org="Australia"),
        make_partner(slug="p-two", country_or_org="Japan"),
    ]
    make_initiative(slug="both", partners=partners, partner_text="Two, with a comma")

    _, rows = read_csv(client.get("/initiatives/export.csv"))

    assert rows[0]["partners"] == "p-one; p-two"
    assert rows[0]["partner_text"] == "Two, with a comma"


@pytest.mark.parametrize("path", ["cities", "initiatives"])
@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_export_revalidation_with_etag_returns_304(client, real_data, path, fmt):
    url = f"/{path}/export.{fmt}?member_state=thailand"
    etag = client.get(url)["ETag"]

    again = client.get(url, headers={"if-none-match": etag})
    changed = client.get(f"/{path}/export.{fmt}", headers={"if-none-match": etag})

    assert again.status_code == 304
    assert changed.status_code == 200


@pytest.mark.parametrize(
    "path, query, field",
    [
        ("cities", "member_state=atlantis", "member_state"),
        ("cities", "size=huge", "size"),
        ("initiatives", "partner=acme", "partner"),
        ("initiatives", "year=1800", "year"),
    ],
)
@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_export_with_bad_filter_returns_400_text(client, db, path, query, field, fmt):
    response = client.get(f"/{path}/export.{fmt}?{query}")

    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = whole(response).decode()
    assert f"{field}: " in text
    assert query.split("=")[1] in text


@pytest.mark.parametrize("path", ["cities", "initiatives"])
@pytest.mark.parametrize("fmt", ["xml", "xlsx", "CSV", "csv.gz"])
def test_unknown_export_format_returns_404(client, db, path, fmt):
    assert client.get(f"/{path}/export.{fmt}").status_code == 404


@pytest.mark.parametrize("path", ["cities", "initiatives"])
def test_export_is_read_only(client, db, path):
    assert client.post(f"/{path}/export.csv").status_code == 405
    assert client.head(f"/{path}/export.csv").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv"])
def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(client, fmt):
    formulas = ['=HYPERLINK("x")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]
    city = make_city(slug="formula-city", name=formulas[0], latitude=-6.2)
    for n, text in enumerate(formulas):
        make_initiative(city=city, slug=f"f-{n}", name=text, partner_text=text)

    _, cities = read_csv(client.get("/cities/export.csv"))
    _, initiatives = read_csv(client.get("/initiatives/export.csv"))

    assert cities[0]["name"] == "'" + formulas[0]
    assert cities[0]["latitude"] == "-6.2"  # a number stays a number
    by_slug = {row["slug"]: row for row in initiatives}
    for n, text in enumerate(formulas):
        assert by_slug[f"f-{n}"]["name"] == "'" + text
        assert by_slug[f"f-{n}"]["partner_text"] == "'" + text
        assert by_slug[f"f-{n}"]["city"] == "formula-city"


def test_exports_are_streamed_and_kept_until_the_next_edit(
    client, real_data, django_capture_on_commit_callbacks
):
    first = client.get("/initiatives/export.csv?member_state=thailand")
    assert first.streaming
    body = whole(first)
    second = client.get("/initiatives/export.csv?member_state=thailand")

    assert (first["X-Cache"], second["X-Cache"]) == ("miss", "hit")
    assert second.streaming  # kept compressed, sent again as a stream
    assert whole(second) == body
    initiative = Initiative.objects.filter(city__member_state__slug="thailand").first()
    with django_capture_on_commit_callbacks(execute=True):
        initiative.name = "Renamed After Export"
        initiative.save()
    third = client.get("/initiatives/export.csv?member_state=thailand")
    assert third["X-Cache"] == "miss"
    assert b"Renamed After Export" in whole(third)


def test_export_reads_rows_in_chunks(client, db, django_assert_max_num_queries):
    from cities import exports

    state = make_member_state()
    for _ in range(exports.CHUNK_SIZE + 5):
        make_city(member_state=state)
    with django_assert_max_num_queries(20):
        _, rows = read_csv(client.get("/cities/export.csv"))
    assert len(rows) == exports.CHUNK_SIZE + 5


@pytest.mark.parametrize("path", ["cities", "initiatives"])
@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_head_sends_the_headers_without_making_the_download(
    client, real_data, django_assert_max_num_queries, path, fmt
):
    get = client.get(f"/{path}/export.{fmt}?member_state=thailand")
    whole(get)
    with django_assert_max_num_queries(1):  # the filter's member-state choice
        head = client.head(f"/{path}/export.{fmt}?member_state=thailand")
    assert head.status_code == 200
    assert whole(head) == b""
    for header in ("Content-Type", "Content-Disposition", "ETag"):
        assert head[header] == get[header]
    assert "Content-Length" not in head  # not a "0" the GET would contradict
    bad = client.head(f"/{path}/export.{fmt}?member_state=atlantis")
    assert bad.status_code == 400


def test_a_mapping_is_written_as_json_in_the_csv(client, real_data):
    """A city's sources by challenge: one JSON cell a reader can parse, equal to
    the API's value."""
    _, rows = read_csv(client.get("/cities/export.csv"))
    with_sources = [row for row in rows if row["challenge_sources"] not in ("", "{}")]
    assert with_sources
    for row in with_sources:
        city = City.objects.get(slug=row["slug"])
        assert json.loads(row["challenge_sources"]) == city.challenge_sources
    api = client.get("/api/v1/cities/kuching/").json()
    [kuching] = [row for row in rows if row["slug"] == "kuching"]
    assert json.loads(kuching["challenge_sources"]) == api["challenge_sources"]
