"""The cities admin (cities/admin.py): list filters, the Editors group, form
errors and the unverified checklist."""

import re

import pytest
from django.urls import reverse

from cities.models import City, Partner
from tests.pages import admin_url


@pytest.mark.parametrize(
    "params",
    [{"size": "large"}, {"cohort_year": "2023"}, {"member_state__id__exact": "1"}],
)
def test_city_changelist_filters(superuser_client, real_data, params):
    response = superuser_client.get(admin_url(City, "changelist"), params)
    assert response.status_code == 200
    if params == {"size": "large"}:
        names = {city.name for city in response.context["cl"].result_list}
        assert "Kuala Lumpur" in names and "Singapore" not in names


def test_editor_can_change_a_city(editor_client, real_data):
    city = City.objects.get(slug="jakarta")
    page = editor_client.get(admin_url(City, "change", city.pk))
    assert page.status_code == 200
    assert page.context["has_change_permission"]


def test_editor_cannot_see_users_or_groups(editor_client, db):
    assert editor_client.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert editor_client.get(reverse("admin:auth_group_changelist")).status_code == 403
    index = editor_client.get(reverse("admin:index"))
    assert b"/admin/auth/user/" not in index.content


def test_admin_shows_a_clear_error_for_a_bad_latitude(superuser_client, real_data):
    city = City.objects.get(slug="jakarta")
    url = admin_url(City, "change", city.pk)
    form = superuser_client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(
        {
            "member_state": city.member_state_id,
            "latitude": "999",
            "membership_sources": [s.pk for s in city.membership_sources.all()],
        }
    )
    for prefix in (
        "City_focus_goals-",
        "City_challenges-",
        "initiatives-",
        "City_sources-",
    ):
        data.update({f"{prefix}TOTAL_FORMS": "0", f"{prefix}INITIAL_FORMS": "0"})
    response = superuser_client.post(url, data)
    assert response.status_code == 200
    assert "Latitude must be between -90 and 90." in response.content.decode()
    city.refresh_from_db()
    assert city.latitude < 90


def partner_form_data(client, partner):
    form = (
        client.get(admin_url(Partner, "change", partner.pk)).context["adminform"].form
    )
    data = {name: value for name, value in form.initial.items() if value is not None}
    data["sources"] = [source.pk for source in partner.sources.all()]
    return data


def test_unverified_values_are_ticked_by_field_label(superuser_client, real_data):
    partner = Partner.objects.exclude(unverified=[]).first()
    assert partner.unverified == ["year_started"]
    page = superuser_client.get(admin_url(Partner, "change", partner.pk))
    content = page.content.decode()
    assert 'type="checkbox" name="unverified" value="year_started"' in content
    checked = re.search(r'<input[^>]*value="year_started"[^>]*>', content).group(0)
    assert "checked" in checked

    data = partner_form_data(superuser_client, partner)
    data["unverified"] = ["year_started", "funds"]
    response = superuser_client.post(admin_url(Partner, "change", partner.pk), data)

    assert response.status_code == 302
    partner.refresh_from_db()
    assert partner.unverified == ["year_started", "funds"]


def test_an_unknown_unverified_name_is_refused_and_nothing_changes(
    superuser_client, real_data
):
    partner = Partner.objects.exclude(unverified=[]).first()
    data = partner_form_data(superuser_client, partner)
    data["unverified"] = ["year_startd"]
    response = superuser_client.post(admin_url(Partner, "change", partner.pk), data)

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    partner.refresh_from_db()
    assert partner.unverified == ["year_started"]
