"""The content backup (cities/management/commands/backup_content.py)."""

import json
import os

from django.core.management import call_command

from cities.models import City, Initiative, MemberState, Partner
from framework.models import (
    Challenge,
    FrameworkPart,
    Goal,
    Milestone,
    NetworkFigure,
    Outcome,
    Publication,
    Source,
)
from tests.conftest import FIXTURE_FILES
from tests.factories import one_commit


def test_backup_restores_identically_into_an_empty_database(real_data, tmp_path):
    backup = tmp_path / "backup.json"
    call_command("backup_content", output=str(backup), stdout=open(os.devnull, "w"))
    before = json.loads(backup.read_text())
    assert len(before) == sum(
        len(json.loads(open(path).read())) for path in FIXTURE_FILES
    )
    with one_commit():  # the deletions and the load: their work runs once
        empty_and_load(backup)
    again = tmp_path / "again.json"
    call_command("backup_content", output=str(again), stdout=open(os.devnull, "w"))
    assert json.loads(again.read_text()) == before


def empty_and_load(backup):
    for model in (
        Initiative,
        City,
        Partner,
        MemberState,
        NetworkFigure,
        Milestone,
        Challenge,
        FrameworkPart,
        Outcome,
    ):
        model.objects.all().delete()
    Goal.objects.all().delete()
    Source.objects.all().delete()
    Publication.objects.all().delete()
    assert City.objects.count() == 0
    call_command("loaddata", str(backup), verbosity=0)
