import pytest
from django.db import connection

from cities.models import City, Initiative
from framework.search import SEARCHABLE, _postgres_search

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text search runs on PostgreSQL"
)


@pytest.mark.parametrize(
    "model, index",
    [(City, "city_search_gin"), (Initiative, "initiative_search_gin")],
)
def test_full_text_search_uses_the_gin_index(real_data, model, index):
    fields = next(fields for _, m, fields, _ in SEARCHABLE if m is model)
    queryset = _postgres_search(model, fields, "water")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = queryset.explain()
    assert index in plan


def test_ranked_search_puts_the_best_match_first(real_data):
    queryset = _postgres_search(
        Initiative, ("name", "partner_text", "notes", "programme"), "water"
    )
    names = [initiative.name for initiative in queryset]
    assert names
    assert all(
        "water" in (i.name + i.notes + i.partner_text + i.programme).lower()
        for i in queryset
    )
