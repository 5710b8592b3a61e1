"""The read-only JSON API under /api/v1/, its OpenAPI schema and its docs page."""

from csp.decorators import csp_update
from django.conf import settings
from django.http import JsonResponse
from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from cities.api import (
    ChallengeViewSet,
    CityViewSet,
    GoalViewSet,
    InitiativeViewSet,
    MemberStateViewSet,
    PartnerViewSet,
)
from framework.api import SourceViewSet
from learn.views import brief_api

from .views import api_docs

app_name = "api"


class DocsView(SpectacularSwaggerSplitView):
    """The Swagger UI page. GET and HEAD only: its HTML renderer has no page for
    OPTIONS (Django's default would answer it with a server error)."""

    http_method_names = ["get", "head"]


def not_found(request, rest):
    """Any other address under /api/v1/ answers in JSON, as the schema says,
    not with the HTML error page."""
    return JsonResponse({"detail": "Not found."}, status=404)


router = DefaultRouter()
router.register("member-states", MemberStateViewSet, basename="member-state")
router.register("cities", CityViewSet, basename="city")
router.register("goals", GoalViewSet, basename="goal")
router.register("challenges", ChallengeViewSet, basename="challenge")
router.register("initiatives", InitiativeViewSet, basename="initiative")
router.register("partners", PartnerViewSet, basename="partner")
router.register("sources", SourceViewSet, basename="source")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The documentation, in the portal's layout (server-rendered from the schema).
    path("docs/", api_docs, name="api-docs"),
    path(
        "docs/explorer/",
        # Swagger UI, to try requests in the browser. The split view serves its
        # script from a URL: no inline script, so the page works under our CSP.
        # Swagger UI sets style attributes: this page alone allows inline styles.
        csp_update(settings.CSP_RELAXED)(DocsView.as_view(url_name="api:api-schema")),
        name="api-explorer",
    ),
    path("learn/", brief_api, name="learn"),
    *router.urls,
    # (?s): a newline in the address (%0A) is part of it too.
    re_path(r"^(?P<rest>(?s:.*))$", not_found),
]
