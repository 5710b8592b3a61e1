"""The links of a page of records are read with one filter on their owners'
keys (cities/links.py `one_of`): on PostgreSQL one array parameter, elsewhere
`IN (...)`; the same rows either way."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from cities.links import one_of
from cities.models import City

CITY_GOALS = City.focus_goals.through


def link_pks(condition):
    return set(CITY_GOALS.objects.filter(condition).values_list("pk", flat=True))


def test_one_of_selects_exactly_the_links_of_the_given_records(real_data):
    pks = list(City.objects.order_by("name").values_list("pk", flat=True)[:7])
    expected = set(
        CITY_GOALS.objects.filter(city_id__in=pks).values_list("pk", flat=True)
    )
    assert expected  # the shipped cities have goals
    assert link_pks(one_of("city_id", pks)) == expected


def test_one_of_no_records_selects_nothing(real_data):
    assert link_pks(one_of("city_id", [])) == set()


def test_one_of_sends_one_parameter_on_postgresql(real_data):
    pks = list(City.objects.values_list("pk", flat=True))
    with CaptureQueriesContext(connection) as queries:
        link_pks(one_of("city_id", pks))
    sql = queries[0]["sql"]
    if connection.vendor == "postgresql":
        assert "= ANY(" in sql and " IN (" not in sql
    else:
        assert " IN (" in sql
