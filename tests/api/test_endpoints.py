"""Each API endpoint: list, detail, unknown record, write methods, ETags."""

import html

import pytest

from cities.models import City, Initiative, MemberState, Partner
from framework.models import Challenge, Goal, Source
from tests.conftest import make_city

# (path, model, lookup field)
ENDPOINTS = [
    ("member-states", MemberState, "slug"),
    ("cities", City, "slug"),
    ("goals", Goal, "slug"),
    ("challenges", Challenge, "slug"),
    ("initiatives", Initiative, "slug"),
    ("partners", Partner, "slug"),
    ("sources", Source, "id"),
]
ENDPOINT_IDS = [path for path, _, _ in ENDPOINTS]


def all_results(client, path):
    response = client.get(f"/api/v1/{path}/", {"page_size": 500})
    assert response.status_code == 200
    body = response.json()
    assert body["next"] is None
    return body["results"]


@pytest.mark.parametrize("path, model, lookup", ENDPOINTS, ids=ENDPOINT_IDS)
def test_list_pages_through_every_record_once(client, real_data, path, model, lookup):
    everything = [record[lookup] for record in all_results(client, path)]

    paged = []
    url = f"/api/v1/{path}/?page_size=7"
    while url:
        response = client.get(url)
        assert response["Content-Type"] == "application/json"
        paged.extend(record[lookup] for record in response.json()["results"])
        url = response.json()["next"]

    assert len(everything) == model.objects.count() > 0
    assert sorted(everything) == sorted(model.objects.values_list(lookup, flat=True))
    assert paged == everything


@pytest.mark.parametrize("path, model, lookup", ENDPOINTS, ids=ENDPOINT_IDS)
def test_detail_matches_list_record_and_unknown_is_404(
    client, real_data, path, model, lookup
):
    for record in all_results(client, path)[:5]:
        response = client.get(f"/api/v1/{path}/{record[lookup]}/")

        assert response.status_code == 200
        assert response["Content-Type"] == "application/json"
        assert response.json() == record

    response = client.get(f"/api/v1/{path}/no-such-record-999999/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "detail" in response.json()


@pytest.mark.parametrize("path, model, lookup", ENDPOINTS, ids=ENDPOINT_IDS)
def test_write_methods_return_405(client, real_data, path, model, lookup):
    key = model.objects.values_list(lookup, flat=True).first()
    before = model.objects.count()

    for method in ("post", "put", "patch", "delete"):
        for url in (f"/api/v1/{path}/", f"/api/v1/{path}/{key}/"):
            response = getattr(client, method)(
                url, data={"name": "x"}, content_type="application/json"
            )
            assert response.status_code == 405, (method, url)
            assert "detail" in response.json()

    assert model.objects.count() == before


def test_city_record_fields(client, real_data):
    record = client.get("/api/v1/cities/kuala-lumpur/").json()
    city = City.objects.get(slug="kuala-lumpur")

    assert record["name"] == city.name
    assert record["member_state"] == "malaysia"
    assert record["member_state_name"] == "Malaysia"
    assert record["cohort_year"] == city.cohort_year
    assert record["is_pilot"] is (city.cohort_year == 2018)
    assert record["cohort_unverified"] is city.cohort_unverified
    assert record["population"] == city.population
    assert record["size_class"] == city.size_class.slug
    assert record["goals"] == [goal.slug for goal in city.focus_goals.all()]
    assert sorted(record["challenges"]) == sorted(
        city.challenges.values_list("slug", flat=True)
    )
    assert record["html_url"] == "http://testserver/cities/kuala-lumpur/"
    assert sorted(record["sources"]) == sorted(
        city.sources.values_list("url", flat=True)
    )
    assert record["unverified"] == city.unverified


@pytest.mark.django_db
def test_city_without_population_has_null_size_class(client):
    city = make_city(population=None, population_year=None)

    record = client.get(f"/api/v1/cities/{city.slug}/").json()

    assert record["population"] is None
    assert record["size_class"] is None


def test_initiative_record_fields(client, real_data):
    initiative = Initiative.objects.filter(partners__isnull=False).first()

    record = client.get(f"/api/v1/initiatives/{initiative.slug}/").json()

    assert record["city"] == initiative.city.slug
    assert record["member_state"] == initiative.city.member_state.slug
    assert record["status"] == initiative.status
    assert record["status_text"] == initiative.status_text
    assert record["year"] == initiative.year
    assert record["partner_text"] == initiative.partner_text
    assert record["partners"] == [p.slug for p in initiative.partners.all()]
    assert record["goals"] == [g.slug for g in initiative.goals.all()]
    assert record["html_url"] == f"http://testserver/initiatives/{initiative.slug}/"
    assert sorted(record["sources"]) == sorted(
        initiative.sources.values_list("url", flat=True)
    )


@pytest.mark.parametrize("path", ["cities", "initiatives", "member-states", "goals"])
def test_html_url_points_to_a_page(client, real_data, path):
    record = client.get(f"/api/v1/{path}/", {"page_size": 1}).json()["results"][0]

    assert record["html_url"].startswith("http://testserver/")
    page = client.get(record["html_url"].removeprefix("http://testserver"))

    assert page.status_code == 200
    assert record["name"] in html.unescape(page.content.decode())


@pytest.mark.parametrize(
    "url", ["/api/v1/cities/", "/api/v1/initiatives/", "/api/v1/cities/bangkok/"]
)
def test_revalidation_with_etag_returns_304(client, real_data, url):
    first = client.get(url)
    etag = first["ETag"]

    again = client.get(url, headers={"if-none-match": etag})
    other = client.get(url, headers={"if-none-match": '"something-else"'})

    assert again.status_code == 304
    assert again.content == b""
    assert other.status_code == 200


def test_etag_changes_when_the_data_changes(
    client, real_data, django_capture_on_commit_callbacks
):
    before = client.get("/api/v1/cities/")["ETag"]
    city = City.objects.get(slug="bangkok")
    city.population = 5_600_000
    with django_capture_on_commit_callbacks(execute=True):
        city.save()  # as the admin saves: the page cache drops what it kept

    response = client.get("/api/v1/cities/", headers={"if-none-match": before})

    assert response.status_code == 200
    assert response["ETag"] != before


def test_etag_depends_on_the_query(client, real_data):
    all_cities = client.get("/api/v1/cities/")["ETag"]

    response = client.get(
        "/api/v1/cities/?member_state=thailand", headers={"if-none-match": all_cities}
    )

    assert response.status_code == 200


def test_api_answers_are_cached_until_an_edit(
    client, real_data, django_capture_on_commit_callbacks
):
    first = client.get("/api/v1/cities/bangkok/")
    second = client.get("/api/v1/cities/bangkok/")

    assert (first["X-Cache"], second["X-Cache"]) == ("miss", "hit")
    assert "Accept" in second["Vary"]
    assert second.json() == first.json()
    assert second["Content-Type"] == "application/json"

    city = City.objects.get(slug="bangkok")
    city.population = 5_600_001
    with django_capture_on_commit_callbacks(execute=True):
        city.save()
    third = client.get("/api/v1/cities/bangkok/")

    assert third["X-Cache"] == "miss"
    assert third.json()["population"] == 5_600_001


def test_a_cached_api_answer_still_refuses_what_it_cannot_render(client, real_data):
    client.get("/api/v1/cities/")
    client.get("/api/v1/cities/")

    response = client.get("/api/v1/cities/", headers={"accept": "text/html"})

    assert response.status_code == 406


def test_cached_api_links_name_the_host_that_was_asked(client, real_data, settings):
    settings.ALLOWED_HOSTS = ["testserver", "mirror.example.org"]
    client.get("/api/v1/cities/bangkok/")

    other = client.get(
        "/api/v1/cities/bangkok/", headers={"host": "mirror.example.org"}
    )

    assert other["X-Cache"] == "miss"
    assert other.json()["html_url"] == "http://mirror.example.org/cities/bangkok/"
