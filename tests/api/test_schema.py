"""The OpenAPI schema and the offline docs page."""

import re
from io import StringIO

import pytest
import yaml
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command

pytestmark = pytest.mark.django_db

API_PATHS = [
    "/api/v1/member-states/",
    "/api/v1/cities/",
    "/api/v1/goals/",
    "/api/v1/challenges/",
    "/api/v1/initiatives/",
    "/api/v1/partners/",
    "/api/v1/sources/",
]


def parameter_names(schema, path):
    return {
        parameter["name"] for parameter in schema["paths"][path]["get"]["parameters"]
    }


def test_schema_is_openapi_3_yaml(client):
    response = client.get("/api/v1/schema/")

    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["openapi"].startswith("3")
    assert schema["info"]["title"] == "ASCN Portal API"


def test_schema_as_json_lists_the_read_only_endpoints(client):
    response = client.get("/api/v1/schema/", {"format": "json"})

    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3")
    for path in API_PATHS:
        assert set(schema["paths"][path]) == {"get"}
        assert any(key.startswith(path) and key != path for key in schema["paths"])
    assert not any(
        path.startswith(("/api/v1/schema", "/api/v1/docs")) for path in schema["paths"]
    )


def test_schema_documents_the_page_filters(client):
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()

    assert parameter_names(schema, "/api/v1/cities/") >= {
        "member_state",
        "size",
        "goal",
        "challenge",
        "cohort",
        "q",
        "sort",
        "page",
        "page_size",
    }
    assert parameter_names(schema, "/api/v1/initiatives/") >= {
        "member_state",
        "city",
        "goal",
        "challenge",
        "status",
        "partner",
        "year",
        "q",
        "page",
        "page_size",
    }


def test_schema_generates_without_warnings(tmp_path):
    out = tmp_path / "schema.yml"
    call_command(
        "spectacular",
        "--validate",
        "--fail-on-warn",
        "--file",
        str(out),
        stderr=StringIO(),
    )

    assert yaml.safe_load(out.read_text())["openapi"].startswith("3")


def test_the_interactive_explorer_works_offline(client):
    response = client.get("/api/v1/docs/explorer/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "cdn.jsdelivr" not in page
    assert "unpkg" not in page
    assets = re.findall(r'<(?:script|link)\b[^>]*\b(?:src|href)="([^"]+)"', page)
    assert any(asset.endswith(".js") for asset in assets)
    for asset in assets:
        assert not re.match(r"(https?:)?//", asset), asset
        if asset.startswith("/api/v1/docs/explorer/"):
            # The split view serves its start-up script from its own URL (no
            # inline script, for the Content-Security-Policy).
            script = client.get(asset.replace("&amp;", "&"))
            assert script.status_code == 200
            assert "javascript" in script["Content-Type"]
            assert "/api/v1/schema/" in script.content.decode()
            continue
        assert asset.startswith(settings.STATIC_URL) or asset.startswith(
            "/" + settings.STATIC_URL
        ), asset
        path = asset.split("?")[0].split("static/", 1)[1]
        assert finders.find(path), asset


def test_schema_documents_error_answers_and_year_values(client, real_data):
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()

    for path in API_PATHS:
        responses = schema["paths"][path]["get"]["responses"]
        assert {"200", "400", "404", "406"} <= set(responses), path
    parameters = {
        p["name"]: p for p in schema["paths"]["/api/v1/cities/"]["get"]["parameters"]
    }
    from cities.models import City

    cohorts = sorted(set(City.objects.values_list("cohort_year", flat=True)))
    assert parameters["cohort"]["schema"]["items"]["enum"] == cohorts
    assert parameters["page_size"]["schema"]["maximum"] == 500
    assert parameters["page_size"]["schema"]["minimum"] == 1
