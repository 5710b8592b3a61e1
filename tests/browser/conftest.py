"""Headless Chromium against pytest-django's live server, with the shipped data.

One browser for the whole session; each test gets a fresh context (no shared
cookies or cache) and the shipped fixtures loaded into its database.
"""

import os
import re
from pathlib import Path

import pytest
from django.conf import settings

# Sync Playwright runs an event loop in this thread; Django would otherwise refuse
# the ORM calls that fixtures and assertions make from it.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_JS = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 800}


def missing(reason):
    """Fail in CI, where a missing tool is a broken setup; skip on a laptop."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set, so this is an error, not a skip)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        missing(f"{CHROMIUM} not found: install Debian's chromium package")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def axe_js():
    if not AXE_JS.exists():
        missing(f"{AXE_JS} not found: run `npm ci` (or `make test`)")
    return AXE_JS


@pytest.fixture
def browser_data(transactional_db):
    """The shipped fixtures, committed so that the live server's thread sees them
    (loaded or restored by tests/conftest.py's `_content_as_requested`)."""


@pytest.fixture
def base_url(live_server, browser_data):
    return live_server.url


class Failures:
    """What went wrong in the page while a test ran: script errors, console
    errors (a Content-Security-Policy block lands there), and sub-resources
    (CSS, JS, images) that did not load."""

    def __init__(self, page):
        self.errors = []
        page.on("pageerror", lambda error: self.errors.append(f"script: {error}"))
        page.on("console", self._console)
        page.on("response", self._response)
        page.on("requestfailed", self._failed)

    def _console(self, message):
        # "Failed to load resource" repeats what _response records.
        if message.type == "error" and "Failed to load resource" not in message.text:
            self.errors.append(f"console: {message.text}")

    def _response(self, response):
        if response.status >= 400 and response.request.resource_type != "document":
            self.errors.append(f"{response.status} {response.url}")

    def _failed(self, request):
        self.errors.append(f"failed {request.url}: {request.failure}")


@pytest.fixture
def new_page(browser, base_url):
    """new_page(**context_options): a page in a fresh browser context (desktop
    size, the live server as base URL), closed after the test. The page's
    .failures.errors lists what went wrong in it."""
    contexts = []

    def make(**context_options):
        context = browser.new_context(
            base_url=base_url, viewport=DESKTOP, **context_options
        )
        contexts.append(context)
        context.set_default_timeout(10_000)
        page = context.new_page()
        page.failures = Failures(page)
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def screenshot(request):
    """screenshot(page, name): full-page shots at phone and desktop width into
    test-artifacts/screenshots/, named after the test; leaves the desktop size."""
    folder = ARTIFACTS / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    test_name = re.sub(r"[^\w-]+", "-", request.node.name).strip("-")
    step = 0

    def take(page, name):
        nonlocal step
        step += 1
        for size in (PHONE, DESKTOP):
            page.set_viewport_size(size)
            path = folder / f"{test_name}-{step:02d}-{name}-{size['width']}.png"
            page.screenshot(path=path, full_page=True)
        return page

    return take
