"""A database that stops answering: every page, API answer and download is a 503
that says so and asks to come back, never a 500 or a download cut short after a
200, and nothing of it is kept by the page cache."""

import pytest
from django.db import OperationalError
from django.db.backends import utils
from django.test import Client

from framework.outage import RETRY_AFTER_SECONDS

PAGES = (
    "/",
    "/cities/",
    "/cities/jakarta/",
    "/initiatives/",
    "/challenges/flooding-climate-risk/",
    "/search/?q=water",
    "/learn/?city=da-nang&challenge=flooding-climate-risk",
    "/cities/export.csv",
    "/initiatives/export.json",
)
API = ("/api/v1/cities/", "/api/v1/initiatives/?page_size=100")


def refuse(self, *args, **kwargs):
    raise OperationalError("server closed the connection unexpectedly")


@pytest.fixture
def database_down(real_data):
    # Its own patch, undone before the test database is torn down.
    with pytest.MonkeyPatch.context() as patch:
        for method in ("execute", "executemany"):
            patch.setattr(utils.CursorWrapper, method, refuse)
        yield


@pytest.fixture
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 600


@pytest.mark.parametrize("path", PAGES)
def test_a_page_is_a_503_that_says_so(real_data, page_cache_on, database_down, path):
    response = Client(raise_request_exception=False).get(path)
    assert response.status_code == 503
    assert not response.streaming  # not a 200 download that breaks off
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert response["Cache-Control"] == "no-store"
    assert b"temporarily unavailable" in response.content


@pytest.mark.parametrize("path", API)
def test_an_api_answer_is_a_503_in_json(real_data, page_cache_on, database_down, path):
    response = Client(raise_request_exception=False).get(path)
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "detail": "The database is not answering; try again later."
    }


def test_nothing_of_an_outage_is_kept(real_data, page_cache_on):
    client = Client(raise_request_exception=False)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(utils.CursorWrapper, "execute", refuse)
        assert client.get("/cities/jakarta/").status_code == 503
    response = client.get("/cities/jakarta/")
    assert response.status_code == 200
    assert response["X-Cache"] == "miss"
    assert b"Jakarta" in response.content


def test_any_other_error_is_still_a_500(real_data, monkeypatch):
    from cities import views

    def broken(*args, **kwargs):
        raise ValueError("a bug, not an outage")

    monkeypatch.setattr(views.selectors, "profile_initiatives", broken)
    response = Client(raise_request_exception=False).get("/cities/jakarta/")
    assert response.status_code == 500
    assert "Retry-After" not in response
