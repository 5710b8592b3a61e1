from django.urls import path

from . import views

app_name = "framework"
urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
]
