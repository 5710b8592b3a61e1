"""The lists' FilterSets build their form class once per class
(cities.filters.FilterSet): what a form offers must still follow the data, and
one request's form must not leak into another's."""

from django.http import QueryDict

from cities.filters import CityFilter, InitiativeFilter
from tests.conftest import make_partner


def test_a_partner_added_after_a_first_request_can_be_chosen(db, client):
    assert client.get("/initiatives/").status_code == 200
    assert client.get("/initiatives/?partner=added-later").status_code == 400

    make_partner(slug="added-later", programme="Added later")

    response = client.get("/initiatives/?partner=added-later")
    assert response.status_code == 200
    assert b'value="added-later" checked' in response.content
    api = client.get("/api/v1/initiatives/?partner=added-later")
    assert api.status_code == 200


def test_each_filterset_has_its_own_form_of_the_shared_class(real_data):
    for filterset_class, data in (
        (CityFilter, "member_state=thailand"),
        (InitiativeFilter, "partner=none"),
    ):
        chosen = filterset_class(QueryDict(data))
        plain = filterset_class(QueryDict())
        assert type(chosen.form) is type(plain.form)
        assert chosen.form.fields is not plain.form.fields
        assert chosen.is_valid(), chosen.errors
        assert plain.is_valid(), plain.errors
        assert chosen.form.cleaned_data != plain.form.cleaned_data
