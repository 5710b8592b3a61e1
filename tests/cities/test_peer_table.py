"""The peer table (PeerCount) always equals what the records give, after every
kind of edit, and the ranking read from it follows the rules of cities/peers.py."""

from collections import defaultdict

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from cities.models import STATUS_RANK, City, Initiative, PeerCount
from cities.peers import ranked_rows
from cities.services import peer_counts_rebuild
from framework.models import Challenge, Goal
from tests.conftest import (
    make_challenge,
    make_city,
    make_goal,
    make_initiative,
    make_member_state,
    make_source,
)
from tests.framework.test_history import form_data

S = Initiative.Status


def recomputed():
    """The table as the records give it, from scratch and in plain Python: per
    (kind, topic, city), the strongest status, the initiatives and the distinct
    sources of the city's initiatives linked to the topic (rule 1)."""
    found = defaultdict(lambda: [len(STATUS_RANK), set(), set()])
    initiatives = Initiative.objects.prefetch_related(
        "cities", "challenges", "goals__challenges", "sources"
    )
    for initiative in initiatives:
        sources = {source.pk for source in initiative.sources.all()}
        topics = [("challenge", c.pk) for c in initiative.challenges.all()]
        topics += [("goal", g.pk) for g in initiative.goals.all()]
        # The goal tier: a challenge addressed by any of its goals, once.
        topics += list(
            {
                ("goal-tier", c.pk)
                for g in initiative.goals.all()
                for c in g.challenges.all()
            }
        )
        for city in initiative.cities.all():
            for kind, topic_id in topics:
                row = found[(kind, topic_id, city.pk)]
                row[0] = min(row[0], STATUS_RANK[initiative.status])
                row[1].add(initiative.pk)
                row[2] |= sources
    cities = City.objects.in_bulk({city_id for _, _, city_id in found})
    return {
        key: (
            best,
            len(ids),
            len(sources),
            cities[key[2]].member_state_id,
            cities[key[2]].name,
            cities[key[2]].slug,
        )
        for key, (best, ids, sources) in found.items()
    }


def table():
    return {
        (row.kind, row.topic_id, row.city_id): (
            row.best_status_rank,
            row.initiative_count,
            row.source_count,
            row.member_state_id,
            row.city_name,
            row.city_slug,
        )
        for row in PeerCount.objects.all()
    }


def assert_table_is_current():
    assert table() == recomputed()


@pytest.fixture
def scene(db, django_capture_on_commit_callbacks):
    """Two member states, three cities, a goal and two challenges, and a shared
    initiative: enough links for every edit below to change some row."""
    with django_capture_on_commit_callbacks(execute=True):
        made = make_scene()
    assert_table_is_current()
    assert PeerCount.objects.exists()
    return made


def make_scene():
    home, abroad = make_member_state(), make_member_state()
    goal = make_goal()
    flood, traffic = make_challenge(goals=[goal]), make_challenge(goals=[goal])
    a = make_city(member_state=home, name="A")
    b = make_city(member_state=abroad, name="B")
    c = make_city(member_state=abroad, name="C")
    sources = [make_source(), make_source()]
    shared = make_initiative(
        city=a,
        cities=[b],
        goals=[goal],
        challenges=[flood],
        sources=sources[:1],
        status=S.COMPLETED,
    )
    own = make_initiative(city=c, goals=[goal], challenges=[traffic], sources=sources)
    return {
        "goal": goal,
        "flood": flood,
        "traffic": traffic,
        "cities": (a, b, c),
        "sources": sources,
        "shared": shared,
        "own": own,
        "abroad": abroad,
    }


def test_the_shipped_data_table_equals_the_records(real_data):
    assert_table_is_current()
    assert PeerCount.objects.filter(kind="challenge").exists()
    assert PeerCount.objects.filter(kind="goal").exists()


def test_creating_an_initiative_adds_its_rows(scene):
    a, b, c = scene["cities"]
    make_initiative(city=b, goals=[scene["goal"]], challenges=[scene["traffic"]])
    assert_table_is_current()
    row = PeerCount.objects.get(kind="goal", topic_id=scene["goal"].pk, city=b)
    assert row.initiative_count == 2


def test_deleting_an_initiative_removes_its_rows(scene):
    scene["shared"].delete()
    assert_table_is_current()
    a, b, _ = scene["cities"]
    assert not PeerCount.objects.filter(city__in=[a, b]).exists()


def test_adding_and_removing_a_city_link_from_either_side(scene):
    a, b, c = scene["cities"]
    scene["own"].cities.add(a)
    assert_table_is_current()
    scene["shared"].cities.remove(b)
    assert_table_is_current()
    b.initiatives.add(scene["own"])
    assert_table_is_current()
    c.initiatives.clear()
    assert_table_is_current()
    scene["shared"].cities.clear()
    assert_table_is_current()


def test_adding_and_removing_a_challenge_link_from_either_side(scene):
    scene["shared"].challenges.add(scene["traffic"])
    assert_table_is_current()
    scene["own"].challenges.remove(scene["traffic"])
    assert_table_is_current()
    scene["flood"].initiatives.add(scene["own"])
    assert_table_is_current()
    scene["flood"].initiatives.clear()
    assert_table_is_current()
    scene["shared"].challenges.set([scene["traffic"]])
    assert_table_is_current()


def test_adding_and_removing_a_goal_link(scene):
    other = make_goal()
    scene["own"].goals.add(other)
    assert_table_is_current()
    scene["own"].goals.remove(scene["goal"])
    assert_table_is_current()
    scene["goal"].initiatives.clear()
    assert_table_is_current()


def test_adding_and_removing_a_source_link_changes_the_counts(scene):
    scene["shared"].sources.add(scene["sources"][1])
    assert_table_is_current()
    scene["own"].sources.remove(scene["sources"][0])
    assert_table_is_current()
    scene["sources"][1].initiatives.clear()
    assert_table_is_current()


def test_changing_a_challenges_goals_changes_its_goal_tier(scene):
    other = make_goal()
    make_initiative(city=scene["cities"][0], goals=[other])
    scene["flood"].goals.add(other)
    assert_table_is_current()
    scene["flood"].goals.remove(scene["goal"])
    assert_table_is_current()
    other.challenges.clear()
    assert_table_is_current()
    scene["goal"].challenges.add(scene["flood"], scene["traffic"])
    assert_table_is_current()
    lonely = make_challenge(goals=[scene["goal"]])
    assert_table_is_current()
    lonely.delete()
    assert_table_is_current()


def test_changing_the_status_changes_the_best_status(scene):
    own = scene["own"]
    own.status = S.COMPLETED
    own.save()
    assert_table_is_current()
    row = PeerCount.objects.get(kind="challenge", topic_id=scene["traffic"].pk)
    assert row.best_status_rank == STATUS_RANK[S.COMPLETED]


def test_renaming_or_moving_a_city_updates_its_rows(scene):
    a, b, c = scene["cities"]
    c.name, c.slug, c.member_state = "Renamed", "renamed", a.member_state
    c.save()
    assert_table_is_current()
    assert set(PeerCount.objects.filter(city=c).values_list("city_name", flat=True))


def test_deleting_a_city_takes_its_rows(scene):
    a, b, c = scene["cities"]
    scene["shared"].cities.remove(b)
    b.delete()
    assert_table_is_current()


def test_an_edit_in_the_admin_keeps_the_table_current(client, real_data):
    client.force_login(User.objects.create_superuser("root", "r@example.org", "pw"))
    initiative = Initiative.objects.filter(challenges__isnull=False).first()
    url = reverse("admin:cities_initiative_change", args=[initiative.pk])
    data = form_data(client.get(url).context["adminform"].form)
    other = Challenge.objects.exclude(initiatives=initiative).first()
    goal = Goal.objects.exclude(initiatives=initiative).first()
    data.update(
        {
            "status": S.BEFORE_ASCN,
            "challenges": [str(other.pk)],
            "goals": [str(goal.pk)],
            "cities": [str(initiative.city_id), str(City.objects.last().pk)],
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    initiative.refresh_from_db()
    assert list(initiative.challenges.all()) == [other]
    assert_table_is_current()


@pytest.mark.cache_bumps_on_commit
def test_rows_change_when_the_edit_commits_not_before(
    scene, django_capture_on_commit_callbacks
):
    before = table()
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            scene["own"].challenges.add(scene["flood"])
            assert table() == before  # not yet committed
    assert_table_is_current()
    assert table() != before


@pytest.mark.cache_bumps_on_commit
def test_a_failed_edit_leaves_the_table_unchanged(
    scene, django_capture_on_commit_callbacks
):
    before = table()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            scene["own"].challenges.add(scene["flood"])
            scene["own"].status = S.COMPLETED
            scene["own"].save()
            scene["shared"].delete()
            raise RuntimeError("the edit failed")
    assert callbacks == []
    assert table() == before
    assert_table_is_current()


def test_refresh_peer_table_rebuilds_after_a_change_without_signals(scene, capsys):
    Initiative.objects.filter(pk=scene["own"].pk).update(status=S.COMPLETED)
    assert table() != recomputed()  # QuerySet.update() sends no signal
    call_command("refresh_peer_table")
    assert_table_is_current()
    assert "Peer table rebuilt" in capsys.readouterr().out


def test_the_rebuild_equals_the_kept_table(real_data):
    kept = table()
    assert peer_counts_rebuild() == len(kept)
    assert table() == kept


def expected_order(*, records, city, kind, topic, count):
    """Rule 3 and 4 applied to the records (`recomputed()`), without the table."""
    rows = [
        (key[2], value)
        for key, value in records.items()
        if key[:2] == (kind, topic.pk) and key[2] != city.pk
    ]
    rows.sort(
        key=lambda row: (
            row[1][3] == city.member_state_id,  # 3a
            row[1][0],  # 3b
            -row[1][1],  # 3c
            -row[1][2],  # 3d
            row[1][4],  # 3e
            row[1][5],
        )
    )
    return [city_id for city_id, _ in rows[:count]]


def test_ranked_rows_follow_the_rules_on_the_shipped_data(real_data):
    topics = [("challenge", c) for c in Challenge.objects.all()]
    topics += [("goal", g) for g in Goal.objects.all()]
    checked, records = 0, recomputed()
    for city in City.objects.all():
        for kind, topic in topics:
            got = [
                row.city_id
                for row in ranked_rows(city=city, topic=topic, kind=kind, count=12)
            ]
            expected = expected_order(
                records=records, city=city, kind=kind, topic=topic, count=12
            )
            assert got == expected, (city.slug, kind, topic.slug)
            checked += bool(got)
    assert checked > 100


def test_ranking_reads_the_table_in_at_most_two_queries(
    scene, django_assert_max_num_queries
):
    a, b, c = scene["cities"]
    for n in range(30):
        make_initiative(
            city=make_city(member_state=scene["abroad"]), goals=[scene["goal"]]
        )
    with django_assert_max_num_queries(2):
        rows = ranked_rows(city=a, topic=scene["goal"], kind="goal", count=12)
    assert len(rows) == 12
    assert a.pk not in {row.city_id for row in rows}


def test_a_load_over_changed_data_leaves_the_table_current(real_data, tmp_path):
    """The loader pauses the per-edit refresh (it rebuilds the table whole at the
    end): rows its load changes, and rows changed before it without signals,
    are current after it."""
    from tests.cities.test_load_portal_data import broken_copy, set_first_city_field

    Initiative.objects.filter(city__slug="bangkok").update(status=S.UNKNOWN)
    jakarta = City.objects.get(slug="jakarta")
    City.objects.filter(pk=jakarta.pk).update(name="Renamed without signals")
    # The shipped files with the first city's name changed: the load changes it.
    directory = broken_copy(
        tmp_path, "05_cities.json", set_first_city_field("name", "X")
    )
    call_command("load_portal_data", dir=directory, stdout=open("/dev/null", "w"))
    assert_table_is_current()
    assert PeerCount.objects.filter(city_name="X").exists()
    assert not PeerCount.objects.filter(city_name="Renamed without signals").exists()


def test_a_restore_leaves_the_table_current(real_data, tmp_path):
    backup = tmp_path / "backup.json"
    call_command("backup_content", output=str(backup), stdout=open("/dev/null", "w"))
    make_initiative(
        city=City.objects.get(slug="jakarta"),
        challenges=[Challenge.objects.first()],
    )
    Initiative.objects.filter(city__slug="bangkok").update(status=S.UNKNOWN)
    call_command("restore_content", str(backup), stdout=open("/dev/null", "w"))
    assert_table_is_current()


def test_the_pause_holds_only_inside_its_block(scene):
    from cities.signals import derived_signals_paused

    a, b, c = scene["cities"]
    with derived_signals_paused():
        make_initiative(city=c, challenges=[scene["flood"]])
    assert table() != recomputed()  # paused: nothing noted
    make_initiative(city=a, challenges=[scene["flood"]])
    assert table() != recomputed()  # c's row is still missing, a's is current
    assert table()[("challenge", scene["flood"].pk, a.pk)][1] == 2
    peer_counts_rebuild()
    assert_table_is_current()
