"""The one decorator every public HTML page (and export) wears.

    @public_page(accepts=["q", "page"])
    def search(request): ...

- GET and HEAD only: any other method answers 405 with an Allow header. The page
  is exempt from CSRF checks, which only guard views that accept a POST (without
  the exemption a POST would meet the CSRF 403 before the 405).
- Query parameters other than `accepts` (and tracking ones, see params.py) answer
  400 naming them, before any database work.
- Anonymous 200 answers are kept in the page cache until the next content edit
  (cache.py).
"""

import functools

from django.http import HttpResponseBadRequest, HttpResponseNotAllowed
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt

from .cache import cache_public_page
from .params import unknown_message, unknown_parameters

SAFE_METHODS = ("GET", "HEAD")


def bad_parameters(request, unknown, accepted):
    errors = [("Address", unknown_message(unknown, accepted))]
    return render(request, "400.html", {"errors": errors}, status=400)


def bad_parameters_text(request, unknown, accepted):
    """The same answer as plain text, for downloads."""
    return HttpResponseBadRequest(
        unknown_message(unknown, accepted) + "\n",
        content_type="text/plain; charset=utf-8",
    )


def public_page(view=None, *, accepts=(), bad_request=bad_parameters):
    if view is None:
        return functools.partial(public_page, accepts=accepts, bad_request=bad_request)
    accepted = frozenset(accepts)

    @functools.wraps(view)
    def checked(request, *args, **kwargs):
        unknown = unknown_parameters(request.GET, accepted)
        if unknown:
            return bad_request(request, unknown, accepted)
        return view(request, *args, **kwargs)

    cached = cache_public_page(checked)

    @functools.wraps(view)
    def safe_only(request, *args, **kwargs):
        if request.method not in SAFE_METHODS:
            # Django's require_safe answers with an empty body: a blank page.
            return HttpResponseNotAllowed(
                SAFE_METHODS,
                "This address only answers GET or HEAD (it is read, never "
                f"changed); it takes no {request.method}.\n",
                content_type="text/plain; charset=utf-8",
            )
        return cached(request, *args, **kwargs)

    return csrf_exempt(safe_only)
