"""WCAG 2.2 AA checks in a real browser: axe-core on one page of each type,
reflow at phone width, and the skip link from the keyboard."""

import json
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, PHONE

pytestmark = pytest.mark.browser

FIRST_INITIATIVE = "first initiative on /initiatives/"

# One page of each type: (address, expected status).
PAGES = [
    ("/", 200),
    ("/cities/", 200),
    ("/cities/?member_state=thailand", 200),
    ("/cities/?member_state=atlantis", 400),
    ("/cities/jakarta/", 200),
    ("/member-states/", 200),
    ("/member-states/thailand/", 200),
    ("/goals/", 200),
    ("/goals/quality-environment/", 200),
    ("/challenges/", 200),
    ("/challenges/air-pollution/", 200),
    ("/initiatives/", 200),
    (FIRST_INITIATIVE, 200),
    ("/partners/", 200),
    ("/partners/usa-usascp/", 200),
    ("/sources/", 200),
    ("/compare/?city=jakarta&city=bangkok", 200),
    ("/search/?q=water", 200),
    ("/about/", 200),
    ("/api/v1/docs/", 200),
    ("/cities/?member_state=thailand&compare=bangkok", 200),
    ("/learn/", 200),
    ("/learn/?city=da-nang&challenge=flooding-climate-risk&challenge=congestion", 200),
    ("/learn/?challenge=atlantis", 400),
    ("/no-such-page/", 404),
]
PAGE_IDS = [url for url, _ in PAGES]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING = {"serious", "critical"}


def open_page(page, url, status):
    if url == FIRST_INITIATIVE:
        page.goto("/initiatives/")
        url = page.locator("#results a[href^='/initiatives/']").first.get_attribute(
            "href"
        )
    response = page.goto(url)
    assert response.status == status, f"{url}: status {response.status}"
    return url


def describe(violations):
    lines = []
    for violation in violations:
        targets = [", ".join(node["target"]) for node in violation["nodes"][:3]]
        lines.append(
            f"{violation['id']} ({violation['impact']}): {violation['help']} "
            f"[{len(violation['nodes'])} element(s)] e.g. {'; '.join(targets)}"
        )
    return "\n".join(lines)


@pytest.mark.parametrize("url, status", PAGES, ids=PAGE_IDS)
def test_page_has_no_serious_axe_violations(new_page, axe_js, url, status):
    # add_script_tag injects an inline script, which the portal's
    # Content-Security-Policy (script-src 'self') rightly blocks.
    page = new_page(bypass_csp=True)
    url = open_page(page, url, status)
    page.add_script_tag(path=axe_js)
    results = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        WCAG_TAGS,
    )

    folder = ARTIFACTS / "axe"
    folder.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^\w-]+", "-", url).strip("-") or "home"
    (folder / f"{name}.json").write_text(json.dumps(results, indent=1))

    blocking = [v for v in results["violations"] if v["impact"] in BLOCKING]
    assert not blocking, f"axe violations on {url}:\n{describe(blocking)}"


def test_pages_reflow_at_phone_width(page):
    """WCAG 1.4.10: no sideways scrolling of the page at 360 px; wide tables
    scroll inside their .table-wrap instead."""
    page.set_viewport_size(PHONE)
    overflowing = []
    for url, status in PAGES:
        url = open_page(page, url, status)
        widths = page.evaluate(
            "() => [document.documentElement.scrollWidth, window.innerWidth]"
        )
        if widths[0] > widths[1] + 1:
            culprits = page.evaluate(WIDEST_ELEMENTS)
            overflowing.append(f"{url}: {widths[0]} px wide; {culprits}")
    assert not overflowing, "pages wider than the phone:\n" + "\n".join(overflowing)


# The outermost elements that stick out past the right edge without a scrolling
# ancestor to hold them, to name in a failure. An absolutely positioned element
# is only held by an ancestor on its containing-block chain.
WIDEST_ELEMENTS = """() => {
  const edge = window.innerWidth + 1;
  const held = el => {
    let mode = getComputedStyle(el).position;
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      const style = getComputedStyle(a);
      if (mode === 'fixed') return false;
      if (mode !== 'absolute' || style.position !== 'static') {
        if (style.overflowX !== 'visible') return true;
        mode = style.position;
      }
    }
    return false;
  };
  const wide = [...document.body.querySelectorAll('*')].filter(
    el => el.getBoundingClientRect().right > edge && !held(el));
  const outer = wide.filter(el => !wide.some(o => o !== el && o.contains(el)));
  const names = outer.map(el => el.tagName.toLowerCase() +
    (el.id ? '#' + el.id : '') +
    (el.classList.length ? '.' + [...el.classList].join('.') : '') +
    ` "${el.textContent.trim().slice(0, 30)}"`);
  const right = Math.max(...outer.map(el => el.getBoundingClientRect().right));
  return `${outer.length} element(s) reach ${Math.round(right)} px: ` +
    [...new Set(names)].slice(0, 5).join(', ');
}"""


def test_skip_link_is_first_and_moves_focus_to_main(page):
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.locator(":focus")
    expect(focused).to_have_text("Skip to main content")
    expect(focused).to_be_visible()
    page.keyboard.press("Enter")
    expect(page).to_have_url("/#main-content")
    expect(page.locator("#main-content")).to_be_focused()
