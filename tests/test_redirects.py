"""A renamed record's old address answers 301 to the new one
(framework/redirects.py)."""

from django.contrib.auth.models import User
from django.contrib.redirects.models import Redirect

from cities.models import City
from framework.models import Challenge
from tests.pages import admin_url


def rename(record, slug):
    record.slug = slug
    record.save()


def test_a_renamed_city_keeps_its_old_page_and_api_addresses(client, real_data):
    rename(City.objects.get(slug="jakarta"), "dki-jakarta")

    page = client.get("/cities/jakarta/")
    api = client.get("/api/v1/cities/jakarta/")

    assert page.status_code == 301
    assert page["Location"] == "/cities/dki-jakarta/"
    assert client.get(page["Location"]).status_code == 200
    assert api.status_code == 301
    assert api["Location"] == "/api/v1/cities/dki-jakarta/"


def test_an_old_address_with_a_query_string_keeps_it(client, real_data):
    rename(City.objects.get(slug="jakarta"), "dki-jakarta")

    page = client.get("/cities/jakarta/?utm_source=newsletter")
    api = client.get("/api/v1/cities/jakarta/?format=json")

    assert page.status_code == 301
    assert page["Location"] == "/cities/dki-jakarta/?utm_source=newsletter"
    assert api["Location"] == "/api/v1/cities/dki-jakarta/?format=json"
    assert client.get("/cities/no-such-city/?utm_source=x").status_code == 404


def test_renamed_twice_the_first_address_goes_straight_to_the_newest(client, real_data):
    city = City.objects.get(slug="jakarta")
    rename(city, "dki-jakarta")
    rename(city, "jakarta-raya")

    for old in ("/cities/jakarta/", "/cities/dki-jakarta/"):
        response = client.get(old)
        assert response.status_code == 301
        assert response["Location"] == "/cities/jakarta-raya/"


def test_renaming_back_serves_the_page_without_a_loop(client, real_data):
    city = City.objects.get(slug="jakarta")
    rename(city, "dki-jakarta")
    rename(city, "jakarta")

    assert client.get("/cities/jakarta/").status_code == 200
    assert client.get("/cities/dki-jakarta/")["Location"] == "/cities/jakarta/"
    assert not Redirect.objects.filter(old_path="/cities/jakarta/").exists()


def test_an_unknown_address_is_still_404(client, real_data):
    assert client.get("/cities/no-such-city/").status_code == 404


def test_saving_without_renaming_adds_no_redirect(real_data):
    city = City.objects.get(slug="jakarta")
    city.population = city.population or 1
    city.save()

    assert not Redirect.objects.exists()


def test_an_editor_renaming_in_the_admin_keeps_the_old_address(client, real_data):
    client.force_login(User.objects.create_superuser("ed", "e@example.org", "pw"))
    challenge = Challenge.objects.get(slug="air-pollution")
    form = (
        client.get(admin_url(Challenge, "change", challenge.pk))
        .context["adminform"]
        .form
    )
    data = {name: value for name, value in form.initial.items() if value is not None}
    data["slug"] = "air-quality"
    data["goals"] = [goal.pk for goal in challenge.goals.all()]
    data["sources"] = [source.pk for source in challenge.sources.all()]

    saved = client.post(admin_url(Challenge, "change", challenge.pk), data)
    client.logout()
    response = client.get("/challenges/air-pollution/")

    assert saved.status_code == 302
    assert response.status_code == 301
    assert response["Location"] == "/challenges/air-quality/"
