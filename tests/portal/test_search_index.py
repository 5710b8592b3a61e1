import pytest
from django.db import connection

from ascn_portal.search import SEARCHABLE, name_match_sql, ranked_search_sql
from cities.models import City, Initiative

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text search runs on PostgreSQL"
)


def weighted_fields(model):
    return next(fields for _, m, fields, _ in SEARCHABLE if m is model)


def plan(sql, params):
    with connection.cursor() as cursor:
        # The real data is small enough for a sequential scan, or a walk of the
        # name index in order, to win; forbid both to see whether the index can
        # answer the query at all.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.parametrize(
    "model, index",
    [
        (City, "cities_city_document_gin"),
        (Initiative, "cities_initiative_document_gin"),
    ],
)
def test_full_text_search_uses_the_stored_document_index(real_data, model, index):
    sql, params = ranked_search_sql(model, weighted_fields(model), "water")
    text = plan(sql, params)
    assert index in text
    # The stored vector is read, not rebuilt from the text fields.
    assert "to_tsvector" not in text


@pytest.mark.parametrize(
    "model, index",
    [(City, "city_name_trgm"), (Initiative, "initiative_name_trgm")],
)
def test_name_substring_match_uses_the_trigram_index(real_data, model, index):
    sql, params = name_match_sql(model, weighted_fields(model), "zanzib")
    assert index in plan(sql, params)


def test_ranked_search_finds_only_matching_records(real_data):
    fields = weighted_fields(Initiative)
    with connection.cursor() as cursor:
        cursor.execute(*ranked_search_sql(Initiative, fields, "water", limit=1000))
        ids = [row[0] for row in cursor.fetchall()]
    assert ids
    for initiative in Initiative.objects.filter(pk__in=ids):
        text = " ".join(
            [
                initiative.name,
                initiative.description,
                initiative.notes,
                initiative.partner_text,
                initiative.programme,
            ]
        )
        assert "water" in text.lower()
