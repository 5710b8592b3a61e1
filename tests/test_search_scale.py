"""Search stays correct and bounded as the data grows: the stored search documents
follow every way of writing a record, and the number of queries and of ranked
records does not grow with the rows."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ascn_portal import search
from ascn_portal.search import SEARCHABLE, document_sql, search_all
from cities.models import City, Initiative
from tests.conftest import make_city, make_initiative

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text search runs on PostgreSQL"
)


def found(query, label="Initiatives"):
    for group in search_all(query):
        if group["label"] == label:
            return group["results"]
    return []


def test_renamed_initiative_is_found_by_its_new_name(db):
    initiative = make_initiative(name="Harbour lighting")
    assert found("quokka") == []

    initiative.name = "Quokka habitat survey"
    initiative.save()

    assert found("quokka") == [initiative]
    assert found("harbour") == []


def test_queryset_update_is_searchable(db):
    initiative = make_initiative(name="Harbour lighting")
    Initiative.objects.filter(pk=initiative.pk).update(notes="Wombat crossings")
    assert found("wombat") == [initiative]


def test_bulk_created_initiatives_are_searchable(db):
    city = make_city()
    Initiative.objects.bulk_create(
        Initiative(
            slug=f"bulk-{n}",
            name=f"Bulk numbat count {n}",
            city=city,
            status=Initiative.Status.ONGOING,
            status_text="ongoing",
        )
        for n in range(3)
    )
    assert {i.slug for i in found("numbat")} == {"bulk-0", "bulk-1", "bulk-2"}


def test_generated_synthetic_records_are_searchable(real_data):
    call_command(
        "generate_synthetic", cities=3, initiatives=30, seed=5, stdout=StringIO()
    )
    results = found("synthetic")
    assert results
    assert all(i.slug.startswith("synthetic-") for i in results)
    assert found("synthetic", "Cities")


def test_renamed_city_is_found_by_its_new_name(db):
    city = make_city(name="Old Town")
    city.name = "Kookaburra Bay"
    city.save()
    assert found("kookaburra", "Cities") == [city]


def test_search_page_shows_the_new_name(client, db, settings):
    settings.PAGE_CACHE_SECONDS = 0
    initiative = make_initiative(name="Harbour lighting")
    initiative.name = "Platypus river watch"
    initiative.save()
    content = client.get("/search/", {"q": "platypus"}).content.decode()
    assert initiative.get_absolute_url() in content


def test_name_matches_by_part_of_a_word(db):
    city = make_city(name="Zanzibarville")
    assert found("zanzib", "Cities") == [city]


@postgresql_only
def test_short_fragments_do_not_match_names_by_substring(db):
    make_city(name="Abacus")
    # Neither "a" nor "b" is a word of the name; a substring match on fragments
    # shorter than three letters is skipped (and would match names at random).
    assert found("a b", "Cities") == []


@pytest.mark.parametrize("query", ['50% "smart', "a_b", "it's", "x & y | !z", "::*"])
def test_odd_query_text_is_harmless(client, db, query):
    make_initiative(name="Smart meters")
    assert client.get("/search/", {"q": query}).status_code == 200


def test_at_most_a_page_of_results_per_group(db):
    city = make_city()
    for n in range(search.RESULTS_PER_GROUP + 5):
        make_initiative(city=city, name=f"Dingo fence {n}")
    assert len(found("dingo")) == search.RESULTS_PER_GROUP


def queries_for(query):
    with CaptureQueriesContext(connection) as captured:
        search_all(query)
    return len(captured)


def test_query_count_does_not_grow_with_matching_rows(db):
    city = make_city(name="Emu Point")
    for n in range(3):
        make_initiative(city=city, name=f"Emu survey {n}")
    few = queries_for("emu")
    for n in range(40):
        make_initiative(city=city, name=f"Emu survey more {n}")
    assert queries_for("emu") == few
    if connection.vendor == "postgresql":
        # One statement for every group's ids, one per group with results.
        assert few == 1 + 2


# PostgreSQL: ranking and the stored documents.


@postgresql_only
def test_name_matches_rank_above_note_matches(db):
    city = make_city()
    in_notes = make_initiative(city=city, name="Bus lanes", notes="Cassowary signs")
    in_name = make_initiative(city=city, name="Cassowary crossing", notes="Signs")
    assert found("cassowary") == [in_name, in_notes]


@postgresql_only
def test_only_a_bounded_number_of_matches_is_ranked(db, monkeypatch):
    monkeypatch.setattr(search, "RANKED_CANDIDATES", 10)
    city = make_city()
    for n in range(15):
        make_initiative(city=city, name=f"Survey {n}", notes="Bilby burrows")
    # The word is in the notes only, so the name match adds nothing: the group
    # holds the 10 ranked candidates.
    assert len(found("bilby")) == 10


@postgresql_only
@pytest.mark.parametrize("model", [City, Initiative])
def test_stored_document_is_what_search_would_compute(real_data, model):
    weighted_fields = next(f for _, m, f, _ in SEARCHABLE if m is model)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*), count(*) FILTER (WHERE search_document IS DISTINCT"
            f" FROM ({document_sql(model, weighted_fields)})) FROM {table}"
        )
        rows, different = cursor.fetchone()
    assert rows > 0
    assert different == 0
