"""Helpers for reading pages in tests."""

from html.parser import HTMLParser


class _ResultLinks(HTMLParser):
    """Collects hrefs of links inside the element with id="results"."""

    def __init__(self, prefix):
        super().__init__()
        self.prefix = prefix
        self.depth = 0
        self.links = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.depth:
            self.depth += 1
            href = attrs.get("href") or ""
            slug = href[len(self.prefix) :].strip("/")
            is_record = href.startswith(self.prefix) and slug and "?" not in href
            if tag == "a" and is_record and href not in self.links:
                self.links.append(href)
        elif attrs.get("id") == "results":
            self.depth = 1

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1


def result_links(response, prefix="/cities/"):
    parser = _ResultLinks(prefix)
    parser.feed(response.content.decode())
    return parser.links


def result_slugs(response, prefix="/cities/"):
    return [href[len(prefix) :].strip("/") for href in result_links(response, prefix)]
