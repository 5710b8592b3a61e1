"""What every page's header and footer link to (templates/base.html)."""

import functools

from django.urls import get_script_prefix, reverse

# {name in the templates: URL name}
SITE_URLS = {
    "home": "portal:home",
    "cities": "cities:city-list",
    "member_states": "cities:member-state-list",
    "goals": "framework:goal-list",
    "challenges": "framework:challenge-list",
    "initiatives": "cities:initiative-list",
    "partners": "cities:partner-list",
    "compare": "cities:compare",
    "about": "portal:about",
    "search": "portal:search",
    "sources": "portal:source-list",
    "api_docs": "api:api-docs",
    "admin": "admin:index",
}


@functools.cache
def _site_urls(script_prefix):
    return {name: reverse(url_name) for name, url_name in SITE_URLS.items()}


def site_urls(request):
    """`site_urls`: the header's and footer's addresses, reversed once per
    process (and per script prefix, which reverse() puts in front): 14 `{% url %}`
    tags cost some 0.5 ms a page."""
    return {"site_urls": _site_urls(get_script_prefix())}
