"""Derived claims checked against the database on every page that makes them:
"no city has documented initiatives on this yet", the peers offered on a
challenge, and the initiatives a challenge page lists."""

import json
import re

import pytest

from cities.models import City, Initiative
from framework.models import Challenge, Goal
from tests.pages import links

NO_CITY = "No city has documented initiatives on this yet."
NO_OTHER_CITY = "No other city has documented initiatives on this yet."


def section(content, start_marker, end_marker="</section>"):
    start = content.index(start_marker)
    return content[start : content.index(end_marker, start)]


def city_slugs(html):
    """The slugs of the city pages `html` links to."""
    return [m[1] for href in links(html) if (m := re.match(r"/cities/([^/]+)/", href))]


def linked_initiatives(topic, kind):
    if kind == "challenge":
        return Initiative.objects.filter(challenges=topic)
    return Initiative.objects.filter(goals=topic)


@pytest.mark.parametrize("kind", ["challenge", "goal"])
def test_every_topic_page_says_no_city_only_when_the_database_agrees(
    client, real_data, kind
):
    model = Challenge if kind == "challenge" else Goal
    for topic in model.objects.all():
        content = client.get(topic.get_absolute_url()).content.decode()
        peers = section(content, 'id="peers"')
        exists = linked_initiatives(topic, kind).exists()
        assert (NO_CITY in peers) == (not exists), topic.slug
        # Every peer offered runs an initiative linked to the topic.
        for slug in re.findall(r'<li>\s*<a href="/cities/([^/]+)/"', peers):
            assert linked_initiatives(topic, kind).filter(cities__slug=slug).exists(), (
                topic.slug,
                slug,
            )


def test_every_profile_says_no_other_city_only_when_the_database_agrees(
    client, real_data
):
    for city in City.objects.prefetch_related("challenges", "focus_goals"):
        content = client.get(city.get_absolute_url()).content.decode()
        topics = [(c, "challenge") for c in city.challenges.all()]
        topics += [(g, "goal") for g in city.focus_goals.all()]
        for topic, kind in topics:
            block = section(content, f'id="peers-{kind}-{topic.slug}"')
            others = linked_initiatives(topic, kind).exclude(cities=city).exists()
            assert (NO_OTHER_CITY in block) == (not others), (city.slug, topic.slug)
            for slug in re.findall(r'<li>\s*<a href="/cities/([^/]+)/"', block):
                assert slug != city.slug
                assert (
                    linked_initiatives(topic, kind).filter(cities__slug=slug).exists()
                ), (city.slug, topic.slug, slug)


def test_challenge_pages_list_every_linked_initiative(client, real_data):
    for challenge in Challenge.objects.all():
        content = client.get(challenge.get_absolute_url()).content.decode()
        block = section(content, 'aria-labelledby="init-heading"')
        assert 'id="initiatives"' in block
        linked = list(Initiative.objects.filter(challenges=challenge))
        assert len(linked) <= 50  # the real data is under the cap
        listed = set(
            re.findall(r'<h3 class="initiative-name"><a href="([^"]+)"', block)
        )
        assert listed == {i.get_absolute_url() for i in linked}, challenge.slug
        for initiative in linked:
            assert initiative.status_text in block


def test_the_flooding_page_offers_the_flood_systems_not_goal_only_cities(
    client, real_data
):
    content = client.get("/challenges/flooding-climate-risk/").content.decode()
    listed = section(content, 'id="initiatives"', "</ol>")
    assert "Integrated Flood Management and Response System" in listed
    assert "Integrated Flood and Monitoring Pump House System" in listed
    peers = section(content, 'id="peers"')
    assert "/cities/kuching/" in peers and "/cities/seberang-perai/" in peers


def test_cities_related_only_by_goal_are_apart_and_say_so(client, real_data):
    challenge = Challenge.objects.get(slug="air-pollution")
    content = client.get(challenge.get_absolute_url()).content.decode()
    if 'id="goal-only"' not in content:
        pytest.skip("no goal-only city for this challenge")
    block = section(content, 'id="goal-only"')
    assert "Related only through a goal" in block
    for slug in city_slugs(block):
        assert not Initiative.objects.filter(
            challenges=challenge, cities__slug=slug
        ).exists()


def test_the_shared_hospital_grant_is_one_peer_naming_the_others(client, real_data):
    content = client.get("/goals/health-and-well-being/").content.decode()
    peers = section(content, 'id="peers"')
    assert peers.count("Hospital management software") == 1
    assert "run jointly with" in peers


def test_challenge_filter_export_and_api_agree_with_the_links(client, real_data):
    for challenge in Challenge.objects.all():
        expected = set(
            Initiative.objects.filter(challenges=challenge).values_list(
                "slug", flat=True
            )
        )
        page = client.get(f"/initiatives/?challenge={challenge.slug}")
        assert page.context["result_count"] == len(expected)
        api = client.get(
            f"/api/v1/initiatives/?challenge={challenge.slug}&page_size=500"
        ).json()
        assert {row["slug"] for row in api["results"]} == expected
        facet = next(f for f in page.context["facets"] if f.name == "challenge")
        option = next(o for o in facet.options if o.value == challenge.slug)
        assert option.count == len(expected)
        export = client.get(f"/initiatives/export.json?challenge={challenge.slug}")
        rows = json.loads(export.getvalue())  # streamed
        assert {row["slug"] for row in rows} == expected


def test_pages_show_the_sources_words_for_status(client, real_data):
    content = client.get("/cities/johor-bahru/").content.decode()
    assert "partnership established" in content
    assert "Established / running" not in content and "Proposed" not in content


def test_profile_tables_link_the_primary_source(client, real_data):
    for city in City.objects.all()[:10]:
        content = client.get(city.get_absolute_url()).content.decode()
        table = section(content, 'aria-labelledby="initiatives-heading"')
        for initiative in city.initiatives.exclude(primary_source=None):
            url = initiative.primary_source.url.replace("&", "&amp;")
            assert url in table, (city.slug, initiative.slug)


def test_editors_notes_are_collapsed_and_units_named(client, real_data):
    content = client.get("/cities/banyuwangi/").content.decode()
    facts = section(content, 'aria-labelledby="facts-heading"')
    dl = facts[: facts.index("</dl>")]
    assert "SCAP documents themselves were not read" not in dl
    assert '<details class="editor-notes">' in facts
    assert "Notes from the data editors" in facts
    assert "regency population" in dl


def test_official_website_or_not_recorded(client, real_data):
    for city in City.objects.all():
        content = client.get(city.get_absolute_url()).content.decode()
        assert "City government website" in content
        block = section(content, '<dd class="official-website">', "</dd>")
        if city.official_website:
            assert city.official_website in block
        else:
            assert "Not recorded" in block


def test_status_labels_are_the_sources_words_everywhere(client, real_data):
    words = set(Initiative.objects.values_list("status_text", flat=True))
    pages = [city.get_absolute_url() for city in City.objects.all()]
    pages += [c.get_absolute_url() for c in Challenge.objects.all()]
    pages += [g.get_absolute_url() for g in Goal.objects.all()]
    pages += ["/initiatives/", "/learn/?challenge=congestion&challenge=waste"]
    seen = 0
    for page in pages:
        content = client.get(page).content.decode()
        shown = re.findall(r'<span class="status status-[^"]+">([^<]+)</span>', content)
        seen += len(shown)
        for text in shown:
            assert text in words, (page, text)
        for word in ("running", "Proposed", "Established / running"):
            assert word not in content or any(word in w for w in words), (page, word)
    assert seen > 100
