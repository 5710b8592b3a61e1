"""Every public page: GET and HEAD only, unknown parameters 400 naming them,
tracking parameters accepted and kept out of the cache key, odd addresses a 4xx
(never a server error)."""

import pytest

PAGES = [
    "/",
    "/about/",
    "/cities/",
    "/cities/jakarta/",
    "/member-states/",
    "/member-states/thailand/",
    "/compare/",
    "/initiatives/",
    "/partners/",
    "/goals/",
    "/goals/civic-and-social/",
    "/challenges/",
    "/sources/",
    "/search/",
    "/cities/export.csv",
    "/initiatives/export.json",
]


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize(
    "method", ["post", "put", "patch", "delete", "options", "trace"]
)
def test_other_methods_answer_405(client, real_data, path, method):
    response = getattr(client, method)(path)

    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    # Not a blank page: it says what the address takes.
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "only answers GET or HEAD" in response.content.decode()
    assert method.upper() in response.content.decode()


@pytest.mark.parametrize("path", PAGES)
def test_head_answers_like_get(client, real_data, path):
    assert client.head(path).status_code == 200


@pytest.mark.parametrize(
    "path, query, name",
    [
        ("/cities/", "memberstate=thailand", "memberstate"),
        ("/cities/", "page_size=10", "page_size"),
        ("/initiatives/", "goal=civic-and-social&sort=name", "sort"),
        ("/search/", "q=flood&page=2", "page"),
        ("/compare/", "cities=jakarta", "cities"),
        ("/cities/jakarta/", "x=1", "x"),
        ("/", "nocache=123", "nocache"),
    ],
)
def test_unknown_parameter_answers_400_naming_it(client, real_data, path, query, name):
    response = client.get(f"{path}?{query}")

    assert response.status_code == 400
    content = response.content.decode()
    assert 'role="alert"' in content
    assert f"Unknown parameter “{name}”" in content


@pytest.mark.parametrize(
    "path, query",
    [
        ("/cities/export.csv", "memberstate=thailand"),
        ("/initiatives/export.csv", "page=2"),
    ],
)
def test_unknown_export_parameter_answers_400_text(client, real_data, path, query):
    response = client.get(f"{path}?{query}")

    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert query.split("=")[0] in response.content.decode()


def test_tracking_parameters_do_not_skip_the_cache(client, real_data):
    first = client.get("/cities/jakarta/?utm_source=news&fbclid=x")
    tracked = client.get("/cities/jakarta/?utm_medium=email")

    assert first["X-Cache"] == "miss"
    assert tracked.status_code == 200
    assert tracked["X-Cache"] == "hit"
    # The page cites its address without them.
    assert "utm_" not in tracked.content.decode()
    assert "http://testserver/cities/jakarta/ (accessed" in tracked.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/cities/",
        "/cities/?member_state=thailand",
        "/initiatives/?goal=civic-and-social",
        "/search/?q=water",
        "/api/v1/cities/?page_size=5",
        "/api/v1/initiatives/?page_size=5",
    ],
)
def test_one_visitors_tracking_parameters_never_reach_the_page(client, real_data, path):
    """The cache keeps the page made for the first link; its links (pagination,
    exports, filters) must not carry that visitor's click identifier to everyone."""
    join = "&" if "?" in path else "?"
    first = client.get(f"{path}{join}fbclid=IwAR0secret&utm_campaign=spring-mail")
    plain = client.get(path)

    assert first.status_code == plain.status_code == 200
    assert plain["X-Cache"] == "hit"
    for response in (first, plain):
        text = response.content.decode()
        assert "IwAR0secret" not in text and "spring-mail" not in text
    if "?" in path and "q=" not in path:  # the filters stay in the links
        assert path.split("?", 1)[1].split("&")[0] in plain.content.decode()


def test_list_download_links_carry_the_filters_but_not_the_page(client, real_data):
    content = client.get("/initiatives/?goal=civic-and-social&page=2").content.decode()

    assert "/initiatives/export.csv?goal=civic-and-social" in content
    assert "export.csv?goal=civic-and-social&amp;page" not in content


def test_known_parameters_of_every_form_are_accepted(client, real_data):
    """What the pages' own forms and links send."""
    for path in [
        "/cities/?q=ja&member_state=indonesia&size=large&goal=civic-and-social"
        "&challenge=flooding-climate-risk&cohort=2018&sort=name&page=1",
        "/initiatives/?q=a&member_state=thailand&status=ongoing&partner=none&page=1",
        "/compare/?city=jakarta&city=bangkok",
        "/search/?q=flood",
        "/sources/?page=1",
        "/cities/export.csv?member_state=thailand&sort=population",
    ]:
        assert client.get(path).status_code in (200, 302), path


@pytest.mark.parametrize(
    "url",
    [
        "/cities/%00/?utm_source=x",
        "/cities/%00/",
        "/initiatives/a%00b/?x=1",
        "/nothing-here/%00?q=1",
        "/sources/?source=%C2%B2",
        "/sources/?source=99999999999999999999999",
        "/sources/?page=%C2%B2",
        "/cities/?page=%D9%A3",
        "/api/v1/cities/?page=%C2%B2",
    ],
)
def test_odd_addresses_answer_4xx_or_a_page(client, real_data, url):
    assert client.get(url).status_code < 500
