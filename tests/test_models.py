import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from cities.models import MemberState
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


@pytest.mark.django_db
@pytest.mark.parametrize(
    "field, value",
    [
        ("latitude", 91),
        ("latitude", -90.5),
        ("longitude", 181),
        ("longitude", -181),
        ("area_km2", -1),
        ("cohort_year", 2017),
        ("population_year", 1800),
    ],
)
def test_database_refuses_out_of_range_values(field, value):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_city(**{field: value})


@pytest.mark.django_db
def test_database_refuses_negative_population():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_city(population=-1)


@pytest.mark.django_db
def test_slugs_are_unique():
    make_city(slug="twin")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_city(slug="twin")


@pytest.mark.django_db
def test_full_clean_names_the_constraint_for_editors():
    city = make_city()
    city.latitude = 999
    with pytest.raises(ValidationError) as error:
        city.full_clean()
    assert "Latitude must be between -90 and 90." in str(error.value)


@pytest.mark.parametrize(
    ("recorded", "shown"),
    [
        ("1967-08-08", "8 August 1967"),
        ("1984", "1984"),
        ("2025-10-26", "26 October 2025"),
    ],
)
def test_asean_membership_date_reads_as_a_date(recorded, shown):
    assert MemberState(asean_member_since=recorded).asean_member_since_display == shown


def test_member_state_pages_show_the_joining_date_in_words(client, real_data):
    listing = client.get("/member-states/").content.decode()
    detail = client.get("/member-states/thailand/").content.decode()

    assert "8 August 1967" in listing and "1967-08-08" not in listing
    assert "ASEAN member since 8 August 1967" in detail
