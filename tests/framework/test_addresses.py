"""slug_page_url gives what reverse() gives, for plain slugs and others, under a
script prefix too."""

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix

from framework.addresses import slug_page_url

VIEWS = ["cities:city-detail", "cities:initiative-detail", "framework:goal-detail"]


def outcome(function, *args):
    try:
        return function(*args)
    except NoReverseMatch:
        return NoReverseMatch


@pytest.mark.parametrize("view_name", VIEWS)
@pytest.mark.parametrize("slug", ["jakarta", "a-b_c-9", "ASCII-Caps", "café", "x y"])
def test_same_as_reverse(view_name, slug):
    expected = outcome(lambda: reverse(view_name, args=[slug]))
    assert outcome(slug_page_url, view_name, slug) == expected


def test_follows_the_script_prefix():
    try:
        set_script_prefix("/portal/")
        url = slug_page_url("cities:city-detail", "jakarta")
        assert url == "/portal/cities/jakarta/"
    finally:
        set_script_prefix("/")
    assert slug_page_url("cities:city-detail", "jakarta") == "/cities/jakarta/"
