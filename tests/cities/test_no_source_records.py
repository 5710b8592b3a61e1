"""A record an editor saved without any source says so: its facts are not shown
as if a source stated them."""

from cities.models import City, Initiative
from tests.conftest import make_city, make_initiative

NO_SOURCE = "no stored source confirms"


def test_an_initiative_without_sources_says_its_facts_are_unconfirmed(client, db):
    initiative = make_initiative(status_text="ok")
    initiative.sources.clear()
    Initiative.objects.filter(pk=initiative.pk).update(primary_source=None)

    text = client.get(initiative.get_absolute_url()).content.decode()
    assert NO_SOURCE in text
    assert "The facts above come from the sources below" not in text
    assert "the source's words" not in text
    assert "as recorded; no source is stored" in text


def test_a_city_without_sources_says_its_figures_are_unconfirmed(client, db):
    city = make_city(population=100_000, population_year=2020)
    city.sources.clear()
    text = client.get(city.get_absolute_url()).content.decode()
    assert NO_SOURCE in text
    assert "Sources for these facts" not in text


def test_the_shipped_records_with_sources_do_not_say_so(client, real_data):
    for initiative in Initiative.objects.all()[:40]:
        text = client.get(initiative.get_absolute_url()).content.decode()
        sourced = initiative.primary_source_id or initiative.sources.exists()
        assert (NO_SOURCE in text) == (not sourced), initiative.slug
    for city in City.objects.all():
        text = client.get(city.get_absolute_url()).content.decode()
        assert (NO_SOURCE in text) == (not city.sources.exists()), city.slug
