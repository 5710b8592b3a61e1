import json
from pathlib import Path

import pytest
from django.conf import settings

from scripts.build_fixtures import (
    ReferenceDataError,
    build,
    partners_for,
    status_for,
)

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
        ("partnership established", "agreed"),
        ("established", "ongoing"),
        ("being implemented (per Digital Ministry)", "ongoing"),
        ("study started (kick-off 30 Aug 2021)", "agreed"),
        ("grant signed 25 Aug 2020", "agreed"),
        ("presented at national ASCN coordination meeting (June 2024)", "agreed"),
        ("pre-ASCN programme (running in 2017)", "before-ascn"),
        ("rebranded from the Rakan Bandaraya initiative (2002)", "before-ascn"),
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


def test_every_status_word_in_the_reference_has_a_rule():
    reference = json.loads(REFERENCE.read_text(encoding="utf-8"))
    for city in reference["cities"]:
        for project in city["projects"]:
            status_for(project["status"])


def _reference():
    return json.loads(REFERENCE.read_text(encoding="utf-8"))


def test_a_shared_initiative_is_one_record_linked_to_all_its_cities():
    files = build(_reference())
    shared = [
        r["fields"]
        for r in files["06_initiatives.json"]
        if r["fields"]["slug"] == "usascp-hospital-software-cambodia"
    ]
    assert len(shared) == 1
    assert sorted(shared[0]["cities"]) == [
        ["battambang"],
        ["phnom-penh"],
        ["siem-reap"],
    ]


def test_an_unknown_initiative_challenge_is_refused_naming_the_record():
    reference = _reference()
    project = reference["cities"][0]["projects"][0]
    project["challenges"] = ["not-a-challenge"]
    with pytest.raises(ReferenceDataError) as error:
        build(reference)
    assert "not-a-challenge" in str(error.value)
    assert reference["cities"][0]["slug"] in str(error.value)
    assert project["name"] in str(error.value)


def test_shared_records_that_disagree_on_the_name_are_refused():
    reference = _reference()
    for city in reference["cities"]:
        for project in city["projects"]:
            if project.get("shared_key") and city["slug"] == "siem-reap":
                project["name"] = "Something else"
    with pytest.raises(ReferenceDataError) as error:
        build(reference)
    assert "usascp-hospital-software-cambodia" in str(error.value)
    assert "Something else" in str(error.value)


def test_the_script_names_the_file_and_writes_nothing_on_bad_data(tmp_path):
    import subprocess
    import sys

    reference = _reference()
    reference["cities"][0]["projects"][0]["challenges"] = ["atlantis"]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(reference), encoding="utf-8")
    out = tmp_path / "out"
    result = subprocess.run(
        [
            sys.executable,
            "scripts/build_fixtures.py",
            "--reference",
            str(bad),
            "--out",
            str(out),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "bad.json" in result.stderr and "atlantis" in result.stderr
    assert not out.exists()


def test_city_challenge_sources_come_from_the_notes():
    files = build(_reference())
    cities = {r["fields"]["slug"]: r["fields"] for r in files["05_cities.json"]}
    cebu = cities["cebu-city"]
    assert cebu["challenge_sources"] == {
        "congestion": ["https://cebudailynews.inquirer.net/196372/196372"]
    }
    assert "City challenges (sources)" not in cebu["notes"]
