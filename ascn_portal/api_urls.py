"""The read-only JSON API under /api/v1/, its OpenAPI schema and its docs page."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from cities.api import (
    CityViewSet,
    InitiativeViewSet,
    MemberStateViewSet,
    PartnerViewSet,
)
from framework.api import ChallengeViewSet, GoalViewSet, SourceViewSet
from framework.views import api_docs
from learn.views import brief_api

app_name = "api"

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
        SpectacularSwaggerSplitView.as_view(url_name="api:api-schema"),
        name="api-explorer",
    ),
    path("learn/", brief_api, name="learn"),
    *router.urls,
]
