from django.urls import path

from . import views

app_name = "learn"
urlpatterns = [
    path("learn/", views.brief, name="brief"),
    path("learn/brief.csv", views.brief_csv, name="brief-csv"),
    path("learn/brief.json", views.brief_json, name="brief-json"),
]
