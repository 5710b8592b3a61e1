from django.urls import path

from . import exports, views

app_name = "cities"
urlpatterns = [
    path("cities/", views.city_list, name="city-list"),
    path("cities/export.<str:fmt>", exports.city_export, name="city-export"),
    path("cities/<slug:slug>/", views.city_detail, name="city-detail"),
    path("member-states/", views.member_state_list, name="member-state-list"),
    path(
        "member-states/<slug:slug>/",
        views.member_state_detail,
        name="member-state-detail",
    ),
    path("compare/", views.compare, name="compare"),
    path("initiatives/", views.initiative_list, name="initiative-list"),
    path(
        "initiatives/export.<str:fmt>",
        exports.initiative_export,
        name="initiative-export",
    ),
    path("initiatives/<slug:slug>/", views.initiative_detail, name="initiative-detail"),
    path("partners/", views.partner_list, name="partner-list"),
    path("partners/<slug:slug>/", views.partner_detail, name="partner-detail"),
]
