from django.urls import path

from . import views

app_name = "framework"
urlpatterns = [
    path("", views.home, name="home"),
    path("about/", views.about, name="about"),
    path("healthz", views.healthz, name="healthz"),
    path("search/", views.search, name="search"),
    path("goals/", views.goal_list, name="goal-list"),
    path("goals/<slug:slug>/", views.goal_detail, name="goal-detail"),
    path("challenges/", views.challenge_list, name="challenge-list"),
    path("challenges/<slug:slug>/", views.challenge_detail, name="challenge-detail"),
    path("sources/", views.source_list, name="source-list"),
]
