"""The learning brief in a browser: the Da Nang task from the home page in three
actions, and the same brief with JavaScript off."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def do_da_nang_task(page):
    page.goto("/")
    form = page.locator("section.start-from-a-problem form")
    # 1: my city; 2: my two challenges; 3: make the brief.
    form.get_by_label("My city (optional)").select_option("da-nang")
    form.get_by_label("Challenges").select_option(
        ["flooding-climate-risk", "congestion"]
    )
    form.get_by_role("button", name="Make a learning brief").click()
    page.wait_for_load_state()


def check_brief(page):
    assert "/learn/?" in page.url and "city=da-nang" in page.url
    flooding = page.locator("#brief-flooding-climate-risk")
    congestion = page.locator("#brief-congestion")
    expect(flooding).to_contain_text("Integrated Flood Management and Response System")
    expect(flooding.locator("a[href='/cities/kuching/']").first).to_be_visible()
    expect(congestion).to_contain_text("Automated Citywide Traffic Control System")
    expect(congestion.locator("a[href='/cities/cebu-city/']").first).to_be_visible()
    expect(page.get_by_role("link", name="Download CSV")).to_be_visible()


def test_da_nang_task_from_the_home_page_in_three_actions(page, screenshot):
    do_da_nang_task(page)
    check_brief(page)
    screenshot(page, "brief")
    assert not page.failures.errors


def test_the_brief_works_with_javascript_off(new_page):
    page = new_page(java_script_enabled=False)
    do_da_nang_task(page)
    check_brief(page)


def test_the_brief_prints_without_navigation(page):
    page.goto("/learn/?city=da-nang&challenge=flooding-climate-risk")
    page.emulate_media(media="print")
    expect(page.locator("header.site-header")).to_be_hidden()
    expect(page.locator("form.learn-form")).to_be_hidden()
    after = page.evaluate(
        "() => getComputedStyle(document.querySelector("
        "'#brief-flooding-climate-risk a[href^=\"http\"]'), '::after').content"
    )
    assert "http" in after
