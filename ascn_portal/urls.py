from csp.decorators import csp_update
from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from cities import topic_views

from . import views


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

# The site-wide pages, above the apps.
site_patterns = [
    path("", views.home, name="home"),
    path("about/", views.about, name="about"),
    path("healthz", views.healthz, name="healthz"),
    path("search/", views.search, name="search"),
    path("sources/", views.source_list, name="source-list"),
]

# The framework's goals and challenges: their pages list cities, so the views are
# in `cities` (topic_views); the names stay in the `framework:` namespace.
topic_patterns = [
    path("goals/", topic_views.goal_list, name="goal-list"),
    path("goals/<slug:slug>/", topic_views.goal_detail, name="goal-detail"),
    path("challenges/", topic_views.challenge_list, name="challenge-list"),
    path(
        "challenges/<slug:slug>/",
        topic_views.challenge_detail,
        name="challenge-detail",
    ),
]

urlpatterns = [
    path("", include((site_patterns, "portal"))),
    path("", include((topic_patterns, "framework"))),
    path("", include("cities.urls")),
    path("", include("learn.urls")),
    path("api/v1/", include("ascn_portal.api_urls")),
    path("admin/", (admin_patterns, admin_app, admin_namespace)),
]
