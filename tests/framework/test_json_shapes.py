"""The records' JSON fields, as an editor types them in the admin: a value of the
wrong shape is refused with a message on the field, nothing is saved, and the
public pages showing the record keep answering."""

import pytest
from django.core.exceptions import ValidationError

from cities.models import City, Initiative, Partner
from framework.models import Goal, NetworkFigure, Publication, Source
from tests.pages import admin_url


def change_form_data(client, obj):
    """What the admin's change form would post for `obj` unchanged: every field's
    value as the form shows it, and the inline formsets left as they are."""
    page = client.get(admin_url(type(obj), "change", obj.pk))
    form = page.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        data[name] = value
    for inline in page.context["inline_admin_formsets"]:
        prefix = inline.formset.prefix
        data[f"{prefix}-TOTAL_FORMS"] = "0"
        data[f"{prefix}-INITIAL_FORMS"] = "0"
    return data


def city():
    return City.objects.get(slug="bandar-seri-begawan")


def initiative():
    return Initiative.objects.exclude(listed_in_reports=[]).order_by("slug").first()


def goal():
    return Goal.objects.get(slug="civic-and-social")


def figure():
    return NetworkFigure.objects.order_by("slug").first()


BAD = [
    (city, "challenge_sources", "5", "Enter addresses by challenge"),
    (city, "challenge_sources", "[1, 2, 3]", "Enter addresses by challenge"),
    (city, "challenge_sources", '"hello"', "Enter addresses by challenge"),
    (city, "challenge_sources", "null", "Enter addresses by challenge"),
    (
        city,
        "challenge_sources",
        '{"nonexistent-challenge": ["https://example.org/"]}',
        'No challenge has the slug "nonexistent-challenge"',
    ),
    (
        city,
        "challenge_sources",
        '{"flooding-climate-risk": ["ftp://example.org/x"]}',
        "is not a web address",
    ),
    (
        city,
        "challenge_sources",
        '{"flooding-climate-risk": "https://example.org/"}',
        "enter a list of one or more addresses",
    ),
    (initiative, "aliases", "5", "Enter a list of texts"),
    (initiative, "aliases", "null", "Enter a list of texts"),
    (initiative, "aliases", "[1]", "Enter a list of texts"),
    (initiative, "listed_in_reports", '["2024"]', "Enter a list of years"),
    (initiative, "listed_in_reports", "[1800]", "Enter a list of years"),
    (initiative, "listed_in_reports", "null", "Enter a list of years"),
    (goal, "covers", "5", "Enter a list of texts"),
    (goal, "covers", "null", "Enter a list of texts"),
    (goal, "covers", '{"a": 1}', "Enter a list of texts"),
    (figure, "values", "5", "Enter values by key"),
    (figure, "values", '"x"', "Enter values by key"),
    (figure, "values", "{}", "This field is required."),
    (figure, "values", '{"2024": [1, 2]}', "Enter values by key"),
    (figure, "values", '{"2024": 1, "2025": {"a": 1}}', "Enter values by key"),
    (figure, "unverified", "5", "Enter a list of texts"),
    (figure, "unverified", "null", "Enter a list of texts"),
]


@pytest.mark.parametrize(("record", "field", "typed", "message"), BAD)
def test_a_json_field_of_the_wrong_shape_is_refused_and_nothing_changes(
    superuser_client, real_data, record, field, typed, message
):
    obj = record()
    before = getattr(obj, field)
    data = change_form_data(superuser_client, obj)
    data[field] = typed

    response = superuser_client.post(admin_url(type(obj), "change", obj.pk), data)

    assert response.status_code == 200  # the form again, with the message
    errors = response.context["adminform"].form.errors
    assert message in " ".join(errors.get(field, [])), errors
    obj.refresh_from_db()
    assert getattr(obj, field) == before
    page = superuser_client.get(obj.get_absolute_url())
    assert page.status_code == 200


def test_the_form_as_shown_saves_unchanged(superuser_client, real_data):
    """The helper above posts what an editor would: without a change, it saves."""
    for obj in (city(), initiative(), goal(), figure()):
        data = change_form_data(superuser_client, obj)
        response = superuser_client.post(admin_url(type(obj), "change", obj.pk), data)
        assert response.status_code == 302, obj


@pytest.mark.parametrize(
    ("model", "field", "good"),
    [
        (City, "challenge_sources", {"congestion": ["https://example.org/a"]}),
        (City, "unverified", ["population"]),
        (Partner, "unverified", ["funds"]),
        (Initiative, "aliases", ["Another name"]),
        (Initiative, "listed_in_reports", [2022, 2025]),
        (Publication, "unverified", ["title"]),
        (Goal, "covers", ["flood management"]),
        (NetworkFigure, "values", {"2024": {"civic-and-social": 29}}),
        (NetworkFigure, "values", {"shepherd": "Singapore"}),
    ],
)
def test_each_shape_is_checked_on_the_model(real_data, model, field, good):
    """The loader and any other code calling full_clean() get the same checks."""
    obj = model.objects.first()
    setattr(obj, field, good)
    obj.clean()  # the right shape passes
    for bad in (None, 5, "text", [None]):
        setattr(obj, field, bad)
        with pytest.raises(ValidationError) as raised:
            obj.clean()
        assert field in raised.value.message_dict


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://example.org/report.pdf", "starting with http:// or https://"),
        ("javascript:alert(1)", "Enter a valid URL"),
        ("EXISTING/", "This page is already recorded as EXISTING"),
        ("EXISTING_STRIPPED", "This page is already recorded as EXISTING"),
        ("EXISTING_UPPER_SCHEME", "This page is already recorded as EXISTING"),
    ],
)
def test_a_source_address_is_a_web_page_recorded_once(
    superuser_client, real_data, url, message
):
    existing = Source.objects.exclude(url__endswith="/").order_by("pk").first()
    scheme, rest = existing.url.split("://", 1)
    url = (
        url.replace("EXISTING_STRIPPED", existing.url + "/")
        .replace("EXISTING_UPPER_SCHEME", f"{scheme.upper()}://{rest}")
        .replace("EXISTING/", existing.url + "/")
    )
    count = Source.objects.count()
    response = superuser_client.post(
        admin_url(Source, "add"), {"url": url, "title": "A title"}
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert message.replace("EXISTING", existing.url) in " ".join(errors["url"])
    assert Source.objects.count() == count


def test_a_second_city_of_the_same_name_in_one_member_state_is_refused(
    superuser_client, real_data
):
    makassar = City.objects.get(slug="makassar")
    data = change_form_data(superuser_client, makassar)
    data["name"] = "JAKARTA"
    response = superuser_client.post(admin_url(City, "change", makassar.pk), data)
    assert response.status_code == 200
    errors = " ".join(response.context["adminform"].form.errors["name"])
    assert "Jakarta is already a city of this member state (slug jakarta)" in errors
    makassar.refresh_from_db()
    assert makassar.name == "Makassar"
    # The same name in another member state is another city.
    bangkok = City.objects.get(slug="bangkok")
    bangkok.name = "Jakarta"
    bangkok.clean()
    # The same name but for case, accents or punctuation is the same city.
    for typed in ("Jakartá", "JA-KARTA"):
        makassar.name = typed
        with pytest.raises(ValidationError):
            makassar.clean()
    makassar.name = "Jakarta City"  # another name: "City" is part of it
    makassar.clean()


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        ("HTTP://Example.ORG/a", "http://example.org/a", True),
        ("https://example.org/a/", "https://example.org/a", True),
        ("https://example.org/A", "https://example.org/a", False),  # paths differ
        ("https://example.org/a", "http://example.org/a", False),
    ],
)
def test_same_page(first, second, same):
    from framework.models import same_page

    assert same_page(first, second) is same
