"""Query parameters: each address accepts the parameters it names, nothing else.

A misspelt filter (`?memberstate=thailand`) would otherwise be ignored without a
word and list every city; an unknown parameter would also make a new page-cache
key, so anyone could make every request miss the cache. Pages, exports and the
API answer 400 naming the parameters they do not know.

Tracking parameters added by newsletters and social sites (`utm_source`,
`fbclid`...) are the exception: links are shared with them, so they are accepted
on every page, and ignored: they are not part of the page-cache key.
"""

import re
from urllib.parse import parse_qsl, urlencode

from django.http import QueryDict

TRACKING = re.compile(r"utm_[a-z_]{1,30}|fbclid|gclid|msclkid|mc_cid|mc_eid")


def is_tracking(name):
    return TRACKING.fullmatch(name) is not None


def unknown_parameters(query, accepted):
    """The names in `query` (a QueryDict) that are neither accepted nor tracking,
    sorted, each at most once."""
    return sorted(
        {name for name in query if name not in accepted and not is_tracking(name)}
    )


def unknown_message(unknown, accepted):
    names = ", ".join(f"“{name[:40]}”" for name in unknown[:10])
    if len(unknown) > 10:
        names += f" and {len(unknown) - 10} more"
    noun = "parameter" if len(unknown) == 1 else "parameters"
    known = ", ".join(sorted(accepted)) if accepted else "none"
    return f"Unknown {noun} {names}. This address accepts: {known}."


def canonical_query(query_string):
    """The query string without tracking parameters, otherwise as sent (order
    kept: the order of repeated values can matter, as on the compare page)."""
    if (
        "utm_" not in query_string
        and "clid" not in query_string
        and ("mc_" not in query_string)
    ):
        return query_string
    pairs = parse_qsl(query_string, keep_blank_values=True)
    return urlencode([(name, value) for name, value in pairs if not is_tracking(name)])


class DropTrackingParametersMiddleware:
    """Takes tracking parameters (utm_*, fbclid, ...) out of the request before
    any view reads it.

    Links are shared with them, and they change nothing on a page, so the page
    cache leaves them out of its key. A view that saw them would write them into
    the page's own links (pagination, exports, filters): the copy made for one
    visitor's link, with that visitor's click identifier, would be served to
    everyone who asks for the page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "")
        canonical = canonical_query(query)
        if canonical != query:
            # Kept for redirects from old addresses, which pass them on.
            request.original_query_string = query
            request.META["QUERY_STRING"] = canonical
            request.GET = QueryDict(canonical, encoding=request.encoding)
        return self.get_response(request)


PAGE_NUMBER_RE = re.compile(r"[0-9]{1,9}")


def page_number(raw):
    """The page number a `page` parameter gives, or None: ASCII digits only.
    Python's int() also reads "２" (a full-width digit), " 2", "+2" and "1_0",
    which would name the same page under other addresses."""
    return int(raw) if PAGE_NUMBER_RE.fullmatch(raw) else None


def printable(text):
    """`text` with each character that cannot be shown (a NUL byte, other control
    characters) replaced by "\ufffd", to echo a bad value in a message."""
    return "".join(char if char.isprintable() else "\ufffd" for char in text)
