"""The size classes (cities/sizes.py): one table of thresholds for the property
and the filter."""

import pytest

from cities.sizes import SIZE_CLASSES, population_q, size_class_for
from tests.conftest import make_city, make_member_state


@pytest.mark.parametrize(
    "population, slug",
    [
        (0, "small"),
        (499_999, "small"),
        (500_000, "medium"),
        (999_999, "medium"),
        (1_000_000, "large"),
        (4_999_999, "large"),
        (5_000_000, "very-large"),
        (20_000_000, "very-large"),
    ],
)
def test_size_class_thresholds(population, slug):
    assert size_class_for(population).slug == slug


def test_unknown_population_has_no_size_class():
    assert size_class_for(None) is None


@pytest.mark.django_db
def test_size_filter_and_property_agree():
    state = make_member_state()
    for population in (10, 499_999, 500_000, 1_000_000, 5_000_000):
        make_city(member_state=state, population=population)
    from cities.models import City

    for size in SIZE_CLASSES:
        filtered = set(City.objects.filter(**population_q(size.slug)))
        by_property = {c for c in City.objects.all() if c.size_class == size}
        assert filtered == by_property
