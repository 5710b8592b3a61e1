"""The initiatives list's kept facet counts (FacetCount) always equal the GROUP BY
counts over every initiative, after every kind of edit, and the list shows them."""

import pytest
from django.db import transaction

from cities.filters import InitiativeFilter, no_partner_q
from cities.models import FacetCount, Initiative
from cities.selectors import INITIATIVE_FACET_PATHS, _value_counts
from cities.services import facet_counts_rebuild
from tests.conftest import (
    make_challenge,
    make_city,
    make_goal,
    make_initiative,
    make_member_state,
    make_partner,
)

S = Initiative.Status


def recomputed():
    """Each facet's counts as the list computes them with a filter active."""
    everything = Initiative.objects.all()
    counts = {}
    for facet, path in INITIATIVE_FACET_PATHS.items():
        found = _value_counts(everything, path)
        found.pop("None", None)  # records with no value: no option
        counts[facet] = found
    none = everything.filter(no_partner_q()).count()
    if none:
        counts["partner"][InitiativeFilter.NO_PARTNER] = none
    return counts


def kept():
    counts = {facet: {} for facet in INITIATIVE_FACET_PATHS}
    for row in FacetCount.objects.all():
        counts[row.facet][row.value] = row.count
    return counts


def assert_counts_are_current():
    assert kept() == recomputed()


@pytest.fixture
def scene(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        home, abroad = make_member_state(), make_member_state()
        goal, challenge, partner = make_goal(), make_challenge(), make_partner()
        a = make_city(member_state=home, name="A")
        b = make_city(member_state=home, name="B")
        c = make_city(member_state=abroad, name="C")
        shared = make_initiative(
            city=a, cities=[b], goals=[goal], partners=[partner], year=2020
        )
        own = make_initiative(city=c, challenges=[challenge], year=None)
    assert_counts_are_current()
    return {
        "goal": goal,
        "challenge": challenge,
        "partner": partner,
        "cities": (a, b, c),
        "shared": shared,
        "own": own,
        "abroad": abroad,
    }


def test_the_shipped_data_counts_equal_the_records(real_data):
    assert_counts_are_current()
    assert FacetCount.objects.filter(facet="member_state").exists()


def test_the_rebuild_equals_the_kept_counts(real_data):
    before = kept()
    facet_counts_rebuild()
    assert kept() == before


def test_creating_and_deleting_initiatives(scene):
    make_initiative(city=scene["cities"][2], goals=[scene["goal"]], year=2021)
    assert_counts_are_current()
    scene["shared"].delete()
    assert_counts_are_current()


def test_changing_status_year_and_partner_text(scene):
    own = scene["own"]
    own.status, own.year, own.partner_text = S.COMPLETED, 2019, "A partner"
    own.save()
    assert_counts_are_current()
    own.year = None
    own.save()
    assert_counts_are_current()


def test_city_links_from_either_side(scene):
    a, b, c = scene["cities"]
    scene["own"].cities.add(a)
    assert_counts_are_current()
    scene["shared"].cities.remove(b)
    assert_counts_are_current()
    c.initiatives.clear()
    assert_counts_are_current()
    b.initiatives.add(scene["own"])
    assert_counts_are_current()


def test_goal_challenge_and_partner_links_from_either_side(scene):
    scene["own"].goals.add(scene["goal"])
    assert_counts_are_current()
    scene["shared"].goals.clear()
    assert_counts_are_current()
    scene["challenge"].initiatives.add(scene["shared"])
    assert_counts_are_current()
    scene["challenge"].initiatives.clear()
    assert_counts_are_current()
    scene["shared"].partners.remove(scene["partner"])
    assert_counts_are_current()
    scene["partner"].initiatives.add(scene["own"])
    assert_counts_are_current()


def test_renaming_a_slug_or_moving_a_city(scene):
    a, b, c = scene["cities"]
    c.slug, c.name, c.member_state = "renamed", "Renamed", a.member_state
    c.save()
    assert_counts_are_current()
    scene["goal"].slug = "renamed-goal"
    scene["goal"].save()
    assert_counts_are_current()
    scene["abroad"].slug = "renamed-state"
    scene["abroad"].save()
    assert_counts_are_current()


def test_deleting_a_city(scene):
    a, b, c = scene["cities"]
    scene["shared"].cities.remove(b)
    b.delete()
    assert_counts_are_current()


@pytest.mark.cache_bumps_on_commit
def test_a_failed_edit_leaves_the_counts_unchanged(
    scene, django_capture_on_commit_callbacks
):
    before = kept()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            scene["own"].goals.add(scene["goal"])
            scene["shared"].delete()
            raise RuntimeError("the edit failed")
    assert callbacks == []
    assert kept() == before
    assert_counts_are_current()


def test_the_list_shows_the_kept_counts(client, real_data):
    """Unfiltered, every facet reads the kept counts; with one facet chosen, that
    facet still does and the others count the matching records."""
    expected = recomputed()
    for query in ("", "?status=completed"):
        response = client.get("/initiatives/" + query)
        assert response.status_code == 200
        for facet in response.context["facets"]:
            shown = {o.value: o.count for o in facet.options if o.count}
            if facet.name == "status" or not query:
                want = expected[facet.name]
                assert {k: v for k, v in want.items() if k in shown} == shown
                assert all(o.value in shown for o in facet.options if o.count)
