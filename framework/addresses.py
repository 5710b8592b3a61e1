"""Page addresses of records named by slug, without reverse() for each record.

A list page links every row to its record's page (and a peer list each city and
initiative): reverse() costs some 20 µs a call, 4 ms of a topic page's 190 links.
The address of a view that takes one slug is the same text around the slug, so
it is reversed once (per view, script prefix and URLconf, which reverse() reads
too) with a placeholder, and the slug put in its place. A slug that reverse()
would quote (not plain ASCII letters, digits, `-` and `_`) goes through reverse().
"""

import functools
import re

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

PLAIN_SLUG_RE = re.compile(r"[-a-zA-Z0-9_]+")
PLACEHOLDER = "0slug0"


@functools.cache
def _around_slug(view_name, script_prefix, urlconf):
    head, tail = reverse(view_name, urlconf=urlconf, args=[PLACEHOLDER]).split(
        PLACEHOLDER
    )
    return head, tail


def slug_page_url(view_name, slug):
    """What `reverse(view_name, args=[slug])` gives."""
    if not PLAIN_SLUG_RE.fullmatch(slug):
        return reverse(view_name, args=[slug])
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    head, tail = _around_slug(view_name, get_script_prefix(), urlconf)
    return f"{head}{slug}{tail}"
