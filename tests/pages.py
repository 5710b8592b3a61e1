"""Helpers for reading pages in tests: one HTML link parser for every test."""

from html.parser import HTMLParser

from django.urls import reverse

# Elements without an end tag: they open nothing the parser must close.
VOID_ELEMENTS = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}


class _Links(HTMLParser):
    """The href of every <a> element, in document order; with `within`, only of
    those inside the element with that id."""

    def __init__(self, within):
        super().__init__()
        self.within = within
        self.depth = 0  # elements open inside the `within` element, itself included
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.depth and tag not in VOID_ELEMENTS:
            self.depth += 1
        elif not self.depth and self.within and attrs.get("id") == self.within:
            self.depth = 1
        if tag == "a" and (self.depth or not self.within):
            self.hrefs.append(attrs.get("href") or "")

    def handle_startendtag(self, tag, attrs):
        # <a/> is a link; any other self-closed element opens nothing.
        if tag == "a":
            self.handle_starttag(tag, attrs)
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if self.depth and tag not in VOID_ELEMENTS:
            self.depth -= 1


def links(html, *, within=None):
    """Every link's href (entities decoded) in `html` (a string or a response),
    in document order; with `within`, only those inside the element of that id."""
    if not isinstance(html, str):
        html = html.content.decode()
    parser = _Links(within)
    parser.feed(html)
    parser.close()
    return parser.hrefs


def result_links(response, prefix="/cities/"):
    """The record pages (`<prefix><slug>/`, no query) linked from the results, once
    each, in order."""
    found = []
    for href in links(response, within="results"):
        slug = href[len(prefix) :].strip("/")
        if href.startswith(prefix) and slug and "?" not in href and href not in found:
            found.append(href)
    return found


def result_slugs(response, prefix="/cities/"):
    return [href[len(prefix) :].strip("/") for href in result_links(response, prefix)]


def admin_url(model, view, *args):
    return reverse(
        f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args
    )
