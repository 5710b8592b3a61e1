"""manage.py load_portal_data. The test database's shipped data (`real_data`) is
what it loaded into the empty database at the start of the run
(tests/conftest.py), so the tests of what a load gives read that; the others
load again, into that database or an empty one."""

import json
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import IntegrityError

from cities.models import City, Initiative, MemberState, Partner
from framework.models import Challenge, Goal, Milestone, Publication, Source
from tests.factories import one_commit

FIXTURES = Path(settings.BASE_DIR) / "fixtures"


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            City,
            Initiative,
            MemberState,
            Partner,
            Challenge,
            Goal,
            Milestone,
            Publication,
            Source,
        )
    }


def load(directory=FIXTURES):
    call_command("load_portal_data", dir=directory, stdout=open("/dev/null", "w"))


def test_fixtures_give_the_network(real_data):
    assert MemberState.objects.count() == 11
    assert Goal.objects.count() == 6
    pilots = City.objects.filter(cohort_year=2018)
    assert pilots.count() == 26
    assert pilots.values("member_state").distinct().count() == 10
    assert MemberState.objects.filter(slug="timor-leste").exists()
    # 170 projects in the reference; one of them is run by three cities.
    assert Initiative.objects.count() == 168
    assert set(Goal.objects.values_list("slug", flat=True)) == {
        "civic-and-social",
        "health-and-well-being",
        "safety-and-security",
        "quality-environment",
        "built-infrastructure",
        "industry-and-innovation",
    }


def test_every_city_and_initiative_keeps_its_sources(real_data):
    assert not City.objects.filter(sources=None).exists()
    assert not Initiative.objects.filter(sources=None).exists()


def test_unverified_candidates_are_not_members(real_data):
    assert not City.objects.filter(name__in=["Denpasar", "Semarang", "Dili"]).exists()


def test_unverified_cohort_years_are_marked(real_data):
    ipoh = City.objects.get(slug="ipoh")
    assert ipoh.cohort_unverified
    assert not City.objects.get(slug="jakarta").cohort_unverified


def test_loading_twice_changes_nothing(real_data):
    before = counts()
    jakarta = City.objects.get(slug="jakarta")
    load()
    assert counts() == before
    assert City.objects.get(slug="jakarta").pk == jakarta.pk
    assert (
        jakarta.focus_goals.count()
        == City.objects.get(slug="jakarta").focus_goals.count()
    )


@pytest.mark.django_db
def test_loaddata_accepts_the_files_and_a_second_load_changes_nothing():
    paths = [str(path) for path in sorted(FIXTURES.glob("*.json"))]
    with one_commit():  # each loaddata is one transaction: its work runs once
        call_command("loaddata", *paths, verbosity=0)
    before = counts()
    with one_commit():
        call_command("loaddata", *reversed(paths), verbosity=0)
    assert counts() == before


def broken_copy(tmp_path, filename, change):
    for path in FIXTURES.glob("*.json"):
        shutil.copy(path, tmp_path / path.name)
    target = tmp_path / filename
    target.write_text(change(target.read_text(encoding="utf-8")), encoding="utf-8")
    return tmp_path


def set_first_city_field(field, value):
    def change(text):
        records = json.loads(text)
        records[0]["fields"][field] = value
        return json.dumps(records)

    return change


@pytest.mark.django_db
@pytest.mark.parametrize(
    "filename, change, expected",
    [
        ("05_cities.json", set_first_city_field("latitude", 999), "latitude"),
        (
            "05_cities.json",
            set_first_city_field("member_state", ["atlantis"]),
            "record 1",
        ),
        ("05_cities.json", set_first_city_field("population", -5), "population"),
        ("05_cities.json", lambda text: text[:-20], "not valid JSON"),
        (
            "06_initiatives.json",
            lambda text: text.replace('"ongoing"', '"sideways"', 1),
            "status",
        ),
    ],
)
def test_a_broken_fixture_names_file_and_record_and_changes_nothing(
    real_data, tmp_path, filename, change, expected
):
    # An existing database: the broken load must leave it exactly as it is.
    before = counts()
    first_city = City.objects.order_by("pk").first()
    directory = broken_copy(tmp_path, filename, change)
    with pytest.raises(CommandError) as error:
        load(directory)
    message = str(error.value)
    assert filename in message
    assert expected.lower() in message.lower()
    assert "Nothing was loaded" in message
    assert counts() == before
    first_city.refresh_from_db()
    assert -90 <= first_city.latitude <= 90


@pytest.mark.django_db
def test_a_broken_fixture_into_an_empty_database_leaves_it_empty(tmp_path):
    directory = broken_copy(
        tmp_path, "05_cities.json", set_first_city_field("latitude", 999)
    )
    with pytest.raises(CommandError, match="bandar-seri-begawan"):
        load(directory)
    assert all(count == 0 for count in counts().values())


@pytest.mark.django_db
def test_plain_loaddata_refuses_a_latitude_of_999(tmp_path):
    directory = broken_copy(
        tmp_path, "05_cities.json", set_first_city_field("latitude", 999)
    )
    paths = [str(path) for path in sorted(directory.glob("*.json"))]
    with pytest.raises(IntegrityError):
        call_command("loaddata", *paths, verbosity=0)
    assert City.objects.count() == 0


def test_loaded_records_get_a_first_version_editors_can_go_back_to(real_data):
    load()  # a second load adds no second first version
    jakarta = City.objects.get(slug="jakarta")
    assert jakarta.history.count() == 1
    shipped = jakarta.history.get()
    assert shipped.history_change_reason == "Loaded from fixtures"
    jakarta.population = 1
    jakarta.save()
    shipped.instance.save()  # what the admin's "revert" does
    jakarta.refresh_from_db()
    assert jakarta.population == 10_562_088


def test_the_first_version_keeps_links_so_an_unchanged_save_adds_no_row(real_data):
    from framework.history import historical_links

    shared = Initiative.objects.get(slug="usascp-hospital-software-cambodia")
    assert shared.history.count() == 1
    links = historical_links(shared.history.first())
    assert sorted(links["cities"]) == sorted(c.pk for c in shared.cities.all())
    city = City.objects.get(slug="da-nang")
    city.save()
    assert city.history.count() == 1


@pytest.mark.django_db
def test_an_initiative_challenge_that_does_not_exist_loads_nothing(tmp_path):
    bad = tmp_path / "fixtures"
    shutil.copytree(FIXTURES, bad)
    path = bad / "06_initiatives.json"
    records = json.loads(path.read_text(encoding="utf-8"))
    records[0]["fields"]["challenges"] = [["not-a-challenge"]]
    path.write_text(json.dumps(records), encoding="utf-8")
    with pytest.raises(CommandError) as error:
        load(bad)
    assert "06_initiatives.json" in str(error.value)
    assert records[0]["fields"]["slug"] in str(error.value) or "record 1" in str(
        error.value
    )
    assert counts() == dict.fromkeys(counts(), 0)
