"""The admin site as a whole: every content model of both apps is registered, its
pages render, and they need a sign-in."""

import pytest
from django.contrib import admin
from django.urls import reverse

from tests.pages import admin_url

MODELS = [
    model
    for model in admin.site._registry
    if model._meta.app_label in ("cities", "framework")
]


def test_every_content_model_is_in_the_admin():
    names = {model.__name__ for model in MODELS}
    assert {
        "City",
        "MemberState",
        "Initiative",
        "Partner",
        "Goal",
        "Challenge",
        "Source",
    } <= names


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_changelist_add_and_change_pages_render(superuser_client, real_data, model):
    assert superuser_client.get(admin_url(model, "changelist")).status_code == 200
    assert superuser_client.get(admin_url(model, "add")).status_code == 200
    obj = model.objects.first()
    assert superuser_client.get(admin_url(model, "change", obj.pk)).status_code == 200
    search = superuser_client.get(admin_url(model, "changelist"), {"q": "a"})
    assert search.status_code == 200


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_anonymous_user_is_sent_to_login(client, db, model):
    response = client.get(admin_url(model, "changelist"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


@pytest.mark.parametrize(
    "path",
    [
        "/admin/cities/city/?unverified__contains=x",
        "/admin/cities/initiative/?unverified__contains=x",
        "/admin/cities/partner/?unverified__contains=x",
        "/admin/framework/publication/?unverified__contains=x",
        "/admin/cities/city/?challenge_sources__has_key=x",
        "/admin/cities/city/?population__gt=abc",
        "/admin/cities/city/?name__regex=(",
    ],
)
def test_a_list_filter_typed_into_the_address_is_never_a_500(
    superuser_client, real_data, path
):
    response = superuser_client.get(path)
    # Django's own check answers some with its "?e=1" redirect; the database's
    # refusals are a 400 that says so. Either way the list still opens after.
    assert response.status_code in (200, 302, 400), response.status_code
    if response.status_code == 400:
        assert "cannot be filtered" in response.content.decode()
    assert superuser_client.get(path.split("?")[0]).status_code == 200
