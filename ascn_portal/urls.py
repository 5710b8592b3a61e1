from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("framework.urls")),
    path("", include("cities.urls")),
    path("", include("learn.urls")),
    path("api/v1/", include("ascn_portal.api_urls")),
    path("admin/", admin.site.urls),
]
