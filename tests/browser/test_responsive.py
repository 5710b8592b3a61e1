"""The portal at phone width: tables, the filter panel, the map and compare."""

from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

from cities.models import City
from tests.browser.conftest import PHONE

pytestmark = pytest.mark.browser

TABLE_PAGES = [
    "/",
    "/member-states/",
    "/member-states/malaysia/",
    "/cities/jakarta/",
    "/compare/?city=jakarta&city=bangkok&city=manila&city=hanoi",
    "/about/",
    "/api/v1/docs/",
]

# For each table row: is its last cell on screen once scrolled to (inside its
# scrolling box if it has one), with a size, and not cut by a clipping ancestor?
LAST_CELLS = """() => [...document.querySelectorAll("main table tr")].filter(row => {
  // A stacked table hides its heading row: each cell shows its heading instead.
  const head = row.closest("thead");
  return !(head && head.getBoundingClientRect().width <= 1);
}).map(row => {
  const cell = row.lastElementChild;
  const stacked = getComputedStyle(row).display === "block";
  const labelled = cell.tagName === "TH" || Boolean(cell.dataset.label);
  cell.scrollIntoView({block: "center", inline: "center"});
  const box = cell.getBoundingClientRect();
  let clipped = false;
  for (let el = cell.parentElement; el !== document.body; el = el.parentElement) {
    const style = getComputedStyle(el), outer = el.getBoundingClientRect();
    const out = box.left < outer.left - 1 || box.right > outer.right + 1;
    if (style.overflowX !== "visible" && out) clipped = true;
  }
  return {text: cell.innerText.slice(0, 40), left: box.left, right: box.right,
          width: box.width, clipped: clipped, shown: cell.checkVisibility(),
          labelled: !stacked || labelled};
})"""


def phone(new_page, **options):
    page = new_page(**options)
    page.set_viewport_size(PHONE)
    return page


@pytest.mark.parametrize("url", TABLE_PAGES)
def test_every_tables_last_column_is_visible_or_reachable_at_360px(new_page, url):
    page = phone(new_page)
    page.goto(url)
    cells = page.evaluate(LAST_CELLS)
    assert cells, f"{url} has no table"
    for cell in cells:
        assert cell["shown"] and cell["width"] > 0, (url, cell)
        assert not cell["clipped"], (url, cell)
        assert cell["labelled"], (url, cell)
        assert cell["left"] >= -1 and cell["right"] <= PHONE["width"] + 1, (url, cell)
    # Nothing makes the page itself wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_wide_table_that_scrolls_says_so(new_page):
    page = phone(new_page)
    page.goto("/")
    box = page.locator(".table-wrap").filter(has=page.locator("table.matrix"))
    assert box.evaluate("el => el.scrollWidth > el.clientWidth")
    expect(page.locator(".scroll-hint")).to_be_visible()


def test_phone_shows_results_and_sort_before_the_filters(new_page, screenshot):
    page = phone(new_page)
    page.goto("/cities/?member_state=thailand")
    panel = page.locator("#filter-panel")
    expect(panel).not_to_have_attribute("open", "")
    expect(page.locator(".filter-toggle")).to_have_text("Filters (1 active)")
    heading = page.get_by_role("heading", name="cities found")
    assert heading.bounding_box()["y"] < PHONE["height"]
    expect(page.get_by_label("Sort by")).to_be_in_viewport()
    page.locator(".filter-toggle").click()
    expect(page.get_by_role("checkbox", name="Thailand (")).to_be_checked()
    screenshot(page, "cities-phone-filters-open")


def test_with_javascript_a_ticked_option_applies_at_once(page):
    page.goto("/cities/")
    expect(page.locator("#filter-panel")).to_have_attribute("open", "")
    expect(page.get_by_role("button", name="Apply filters")).to_be_hidden()
    page.get_by_role("checkbox", name="Viet Nam (").check()
    page.wait_for_url("**/cities/?*member_state=viet-nam*")
    expect(page.get_by_role("checkbox", name="Viet Nam (")).to_be_focused()
    page.get_by_label("Sort by").select_option(label="Population")
    page.wait_for_url("**sort=*")
    assert parse_qs(urlparse(page.url).query)["member_state"] == ["viet-nam"]


def test_the_city_facet_lists_every_city_and_can_be_searched(page):
    page.goto("/initiatives/")
    facet = page.locator("#facet-city")
    facet.locator("summary").first.click()
    boxes = facet.locator("input[type=checkbox][name=city]")
    assert boxes.count() == City.objects.count()
    facet.get_by_label("Find a city in this list").fill("da n")
    visible = facet.locator(".facet-option:visible label")
    expect(visible).to_have_count(1)
    expect(visible.first).to_contain_text("Da Nang")


def test_map_markers_are_touch_targets_of_24px_and_capitals_are_named(new_page):
    page = phone(new_page)
    page.goto("/")
    links = page.locator(".map a.map-link")
    assert links.count() == City.objects.count()
    for box in [link.bounding_box() for link in links.all()]:
        assert box["width"] >= 24 and box["height"] >= 24, box
    labels = page.locator(".map-labels text").all_text_contents()
    assert {"Jakarta", "Bangkok", "Hanoi", "Kuala Lumpur", "Manila"} <= set(labels)


def test_a_single_city_map_does_not_ask_to_select_a_marker(page):
    page.goto("/cities/hanoi/")
    caption = page.locator(".map figcaption")
    expect(caption).not_to_contain_text("select a marker")
    expect(caption).to_contain_text("Hanoi")


def test_compare_picks_survive_the_next_page(page):
    page.goto("/cities/")
    page.get_by_role("checkbox", name="Compare Bangkok").check()
    expect(page.locator("#compare-status")).to_contain_text("Bangkok")
    page.get_by_role("link", name="Next").click()
    page.wait_for_url("**page=2**")
    assert parse_qs(urlparse(page.url).query)["compare"] == ["bangkok"]
    second = page.locator("#results input[name=compare]").first
    second.check()
    # The city picked on the other page is named, not shown by its slug.
    status = page.locator("#compare-status")
    expect(status).to_contain_text("Picked to compare (2 of 4): Bangkok, ")
    expect(status).to_contain_text(second.get_attribute("data-name"))
    page.get_by_role("button", name="Compare ticked cities").click()
    page.wait_for_url("**/compare/?city=bangkok&city=*")
    expect(page.locator("table.compare thead th")).to_have_count(3)


def test_compare_picks_survive_the_next_page_without_javascript(new_page):
    page = new_page(java_script_enabled=False)
    page.goto("/cities/")
    page.get_by_role("checkbox", name="Compare Bangkok").check()
    page.get_by_role("button", name="Keep ticked cities").click()
    page.wait_for_url("**compare=bangkok**")
    page.get_by_role("link", name="Next").click()
    assert parse_qs(urlparse(page.url).query)["compare"] == ["bangkok"]
    expect(page.locator("#compare-status")).to_contain_text("Bangkok")


def test_api_docs_sit_in_the_portal_with_a_way_back(page):
    page.goto("/api/v1/docs/")
    expect(page.locator(".site-header")).to_be_visible()
    page.get_by_role("link", name="Back to the portal").click()
    expect(page).to_have_url("/")
