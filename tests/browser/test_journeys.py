"""What people come to do, done as they would: by clicking, from the first page."""

from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

from cities.models import City

pytestmark = pytest.mark.browser


def query(page):
    return parse_qs(urlparse(page.url).query)


def result_cities(page):
    """(name, member-state line) of each city card in #results."""
    cards = page.locator("#results .card")
    return [
        (card.locator("h3").inner_text(), card.locator("p.muted").inner_text())
        for card in cards.all()
    ]


def test_static_files_load(page):
    page.goto("/")
    # portal.css sets the header colour; an unstyled page would be transparent.
    header = page.locator(".site-header")
    assert header.evaluate("el => getComputedStyle(el).backgroundColor") == (
        "rgb(7, 55, 99)"
    )
    response = page.request.get("/static/img/asean-map.svg")
    assert response.status == 200
    assert "svg" in response.headers["content-type"]
    icon = page.locator('link[rel="icon"]').get_attribute("href")
    assert page.request.get(icon).status == 200
    assert page.failures.errors == []


def test_official_finds_a_peer_city_by_goal_and_compares(page, screenshot):
    page.goto("/")
    screenshot(page, "home")

    page.locator(".goal-grid").get_by_role("link", name="Safety and Security").click()
    expect(page).to_have_url("/goals/safety-and-security/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Safety and Security")
    screenshot(page, "goal")

    page.get_by_role("link", name="Filter these cities").click()
    expect(page).to_have_url("/cities/?goal=safety-and-security")
    screenshot(page, "cities-by-goal")

    # With JavaScript a ticked option applies at once (no button to find).
    page.get_by_role("checkbox", name="Viet Nam (").check()
    page.wait_for_url("**/cities/?*member_state=viet-nam*")
    assert query(page)["member_state"] == ["viet-nam"]
    assert query(page)["goal"] == ["safety-and-security"]
    expected = set(
        City.objects.filter(
            member_state__slug="viet-nam", focus_goals__slug="safety-and-security"
        ).values_list("name", flat=True)
    )
    assert {"Hanoi", "Ho Chi Minh City"} <= expected
    found = result_cities(page)
    assert {name for name, _ in found} == expected
    assert all(line.startswith("Viet Nam") for _, line in found), found
    expect(page.locator(".chips .chip", has_text="Viet Nam")).to_have_count(1)
    screenshot(page, "cities-filtered")

    page.locator("#results").get_by_role("link", name="Hanoi", exact=True).click()
    expect(page).to_have_url("/cities/hanoi/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hanoi")
    screenshot(page, "city")

    page.get_by_role("link", name="Compare Hanoi with other cities").click()
    expect(page).to_have_url("/compare/?city=hanoi")
    expect(page.get_by_label("City 1")).to_have_value("hanoi")
    screenshot(page, "compare-one")

    page.get_by_label("City 2").select_option(label="Ho Chi Minh City")
    page.get_by_role("button", name="Compare", exact=True).click()
    page.wait_for_url("**/compare/?*city=ho-chi-minh-city*")
    assert query(page)["city"][:2] == ["hanoi", "ho-chi-minh-city"]
    table = page.locator("table.compare")
    expect(table).to_be_visible()
    header = table.locator("thead th")
    expect(header.nth(1)).to_have_text("Hanoi")
    expect(header.nth(2)).to_have_text("Ho Chi Minh City")
    screenshot(page, "compare-two")

    assert page.failures.errors == []


def test_official_follows_a_peer_initiative_to_its_sources(page, screenshot):
    page.goto("/cities/jakarta/")
    screenshot(page, "city")

    peers = page.locator("#peers ol.peers > li")
    expect(peers.first).to_be_visible()
    peer_city = peers.first.locator("> a").inner_text()
    assert peer_city != "Jakarta"
    initiative = peers.first.locator("ul a").first
    name = initiative.inner_text()
    initiative.click()
    page.wait_for_url("**/initiatives/*/")
    assert urlparse(page.url).path.startswith("/initiatives/")
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect(page.locator(".lead")).to_contain_text(peer_city)
    screenshot(page, "initiative")

    sources = page.locator("section[aria-labelledby='sources-heading']")
    expect(sources.get_by_role("heading", name="Sources")).to_be_visible()
    links = sources.locator("a[rel~='external']")
    assert links.count() >= 1
    for href in [link.get_attribute("href") for link in links.all()]:
        assert href.startswith(("http://", "https://")), href

    assert page.failures.errors == []


def test_filtering_cities_works_without_javascript(new_page):
    page = new_page(java_script_enabled=False)
    page.goto("/cities/")
    page.get_by_role("checkbox", name="Thailand (").check()
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**/cities/?*member_state=thailand*")
    expected = set(
        City.objects.filter(member_state__slug="thailand").values_list(
            "name", flat=True
        )
    )
    found = result_cities(page)
    assert {name for name, _ in found} == expected
    expect(
        page.get_by_role("heading", name=f"{len(expected)} cities found")
    ).to_be_visible()
    expect(page.locator(".chips .chip", has_text="Thailand")).to_have_count(1)


def test_editor_renames_a_city_and_its_old_address_still_leads_there(page, screenshot):
    from django.contrib.auth.models import User

    User.objects.create_superuser("chief", "c@example.org", "a-long-password")
    page.goto("/admin/login/?next=/admin/")
    page.get_by_label("Username").fill("chief")
    page.get_by_label("Password").fill("a-long-password")
    page.get_by_role("button", name="Log in").click()
    page.goto(f"/admin/cities/city/{City.objects.get(slug='jakarta').pk}/change/")

    # Goal rows name their goal; Django's "City_focus_goals object (N)" caption
    # under each row is hidden.
    goals = page.locator("fieldset.link-rows").first
    expect(goals).to_contain_text("Civic and Social")
    expect(goals.get_by_text("City_focus_goals object").first).to_be_hidden()
    screenshot(page, "city-change")

    page.get_by_label("Slug").fill("dki-jakarta")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    page.goto("/cities/jakarta/")
    assert urlparse(page.url).path == "/cities/dki-jakarta/"
    expect(page.get_by_role("heading", level=1)).to_contain_text("Jakarta")
    assert page.failures.errors == []
