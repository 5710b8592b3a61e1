from csp.decorators import csp_update
from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path


def decorate_views(patterns, decorator):
    """Apply `decorator` to every view of `patterns` (and of their includes)."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            decorate_views(pattern.url_patterns, decorator)
        elif isinstance(pattern, URLPattern):
            pattern.callback = decorator(pattern.callback)
    return patterns


# The admin sets style attributes: its views, and only they, allow inline styles.
admin_patterns, admin_app, admin_namespace = admin.site.urls
decorate_views(admin_patterns, csp_update(settings.CSP_RELAXED))

urlpatterns = [
    path("", include("framework.urls")),
    path("", include("cities.urls")),
    path("", include("learn.urls")),
    path("api/v1/", include("ascn_portal.api_urls")),
    path("admin/", (admin_patterns, admin_app, admin_namespace)),
]
