import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from cities.models import MemberState
from tests.conftest import make_city


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
