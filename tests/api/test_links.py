"""The links of a page of records are read with one filter on their owners'
keys (cities/links.py `one_of`): on PostgreSQL one array parameter, elsewhere
`IN (...)`; the same rows either way."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from cities.links import linked_values, one_of
from cities.models import City, Initiative

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


LINKED_SHAPES = [
    (City.focus_goals, ("goal__slug",), ["order"]),
    (City.focus_goals, ("goal__name",), ["order"]),
    (City.focus_goals, ("goal__slug", "goal__name"), ["name"]),
    (City.challenges, ("challenge__slug",), ["kind", "name"]),
    (City.sources, ("source__url",), ["url"]),
    (Initiative.cities, ("city__slug", "city__member_state__slug"), ["name"]),
    (Initiative.partners, ("partner__slug", "partner__programme"), ["programme"]),
]


def orm_linked_values(relation, pks, *fields, order):
    """What linked_values must give, read plainly through the ORM."""
    owner = relation.field.m2m_field_name()
    target = relation.field.m2m_reverse_field_name()
    found = {pk: [] for pk in pks}
    rows = (
        relation.through.objects.filter(**{f"{owner}_id__in": pks})
        .order_by(*(f"{target}__{key}" for key in order), target)
        .values_list(f"{owner}_id", *fields)
    )
    for owner_pk, *values in rows:
        found[owner_pk].append(values[0] if len(values) == 1 else tuple(values))
    return found


def test_linked_values_give_each_records_links_in_order(real_data):
    """On PostgreSQL the second call of a shape runs the SQL compiled by the
    first: both must give what the ORM gives, for other keys too."""
    for relation, fields, order in LINKED_SHAPES:
        owners = list(
            relation.field.model.objects.order_by("pk").values_list("pk", flat=True)
        )
        assert owners
        for pks in (owners[:40], owners[-25:], owners[3:4], []):
            expected = orm_linked_values(relation, pks, *fields, order=order)
            with CaptureQueriesContext(connection) as queries:
                found = linked_values(relation, pks, *fields, order=order)
            assert found == expected
            # No keys: SQLite's `IN ()` is answered without a query.
            assert len(queries) == 1 if pks else len(queries) <= 1
        # The shipped data has links of every shape among its first records.
        assert any(linked_values(relation, owners[:40], *fields, order=order).values())


def test_a_shape_whose_values_need_converting_is_read_through_the_orm(real_data):
    """A decimal (a city's area) needs the ORM's converter: the same values as
    the ORM gives, on every call."""
    relation = Initiative.cities
    pks = list(Initiative.objects.order_by("pk").values_list("pk", flat=True)[:30])
    expected = orm_linked_values(relation, pks, "city__area_km2", order=["name"])
    assert any(value for values in expected.values() for value in values)
    for _ in range(2):
        found = linked_values(relation, pks, "city__area_km2", order=["name"])
        assert found == expected
