"""`make restore`: exactly the backup's content records, with a history baseline."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError

from cities.models import City, Initiative
from framework.models import Goal
from tests.conftest import make_city, make_goal


def backup(path):
    call_command("backup_content", output=str(path), stdout=io.StringIO())
    return json.loads(path.read_text())


def test_restore_into_a_changed_database_gives_exactly_the_backup_and_history(
    real_data, tmp_path
):
    before = backup(tmp_path / "backup.json")
    # Edits after the backup: a new city and goal, a changed and a deleted record.
    make_city(slug="added-later", goals=[make_goal(slug="added-goal", order=99)])
    City.objects.filter(slug="jakarta").update(population=1)
    Initiative.objects.filter(city__slug="bangkok").first().delete()
    City.objects.get(slug="bangkok").focus_goals.clear()

    out = io.StringIO()
    call_command("restore_content", str(tmp_path / "backup.json"), stdout=out)

    assert backup(tmp_path / "again.json") == before
    assert not City.objects.filter(slug="added-later").exists()
    assert not Goal.objects.filter(slug="added-goal").exists()
    assert f"{City.objects.count()} cities" in out.getvalue()

    # A history baseline: one entry per record, holding its links.
    for city in City.objects.all():
        latest = city.history.first()
        assert latest.history_change_reason == "Restored from backup.json"
        assert {row.goal_id for row in latest.focus_goals.all()} == set(
            city.focus_goals.values_list("pk", flat=True)
        )
    bangkok = City.objects.get(slug="bangkok")
    rows = bangkok.history.count()
    bangkok.save()  # unchanged since the baseline: no new row
    assert bangkok.history.count() == rows


def test_a_backup_that_fails_to_load_changes_nothing(real_data, tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('[{"model": "cities.city", "fields": {"name": "x"}}]')
    count = City.objects.count()

    with pytest.raises(IntegrityError):
        call_command("restore_content", str(broken), stdout=io.StringIO())

    assert City.objects.count() == count


def test_restore_names_a_missing_file(db, tmp_path):
    with pytest.raises(CommandError, match="No backup file"):
        call_command("restore_content", str(tmp_path / "none.json"))
