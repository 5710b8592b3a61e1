import json
from pathlib import Path

import pytest
from django.conf import settings

from scripts.build_fixtures import build, partners_for, status_for

ROOT = Path(settings.BASE_DIR)
REFERENCE = ROOT / "data" / "ascn_reference.json"
SHARED_REFERENCE = ROOT.parent / "shared" / "reference" / "ascn_reference.json"


def test_committed_fixtures_match_the_reference():
    files = build(json.loads(REFERENCE.read_text(encoding="utf-8")))
    for name, records in files.items():
        committed = json.loads((ROOT / "fixtures" / name).read_text(encoding="utf-8"))
        assert committed == json.loads(json.dumps(records)), (
            f"{name} drifted; run make fixtures"
        )
    assert sorted(files) == sorted(
        path.name for path in (ROOT / "fixtures").glob("*.json")
    )


@pytest.mark.skipif(
    not SHARED_REFERENCE.exists(), reason="shared reference not on this machine"
)
def test_data_copy_matches_the_shared_reference():
    assert REFERENCE.read_bytes() == SHARED_REFERENCE.read_bytes()


@pytest.mark.parametrize(
    "text, status",
    [
        ("ongoing/planning", "ongoing"),
        ("completed (2018-2019)", "completed"),
        ("unknown after 2024", "unknown"),
        ("partnership established", "established"),
        ("study started (kick-off 30 Aug 2021)", "study"),
        ("presented at national ASCN coordination meeting (June 2024)", "proposed"),
    ],
)
def test_status_words_map_to_a_broad_status(text, status):
    assert status_for(text) == status


def test_unknown_status_words_are_refused():
    with pytest.raises(ValueError):
        status_for("sideways")


def test_only_named_programmes_become_partner_links():
    assert partners_for("U.S. Department of State (USASCP) / First Womentech Asia") == [
        "usa-usascp"
    ]
    assert partners_for("Japan MLIT (Smart JAMP)") == ["japan-smart-jamp"]
    assert partners_for("IBM") == []
    assert partners_for(None) == []
