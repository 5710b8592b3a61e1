"""The city and initiative serializers write their records by hand (cities/api.py,
`record()`), from values rows, for speed; the declared fields still name the
shape. Every record must be what DRF's own field-by-field serialization of those
fields gives, from model instances."""

import json

import pytest
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.test import APIRequestFactory

from cities.api import (
    CitySerializer,
    InitiativeSerializer,
)
from cities.models import City, Initiative
from tests.conftest import make_city, make_initiative, make_partner


def drf_records(serializer_class, records, context):
    """DRF's generic ModelSerializer output, field by field."""
    serializer = serializer_class(context=context)
    return [
        serializers.ModelSerializer.to_representation(serializer, record)
        for record in records
    ]


def as_json(data):
    return JSONRenderer().render(data)


@pytest.fixture
def context():
    return {"request": APIRequestFactory().get("/api/v1/cities/")}


def assert_same_records(context):
    rows = list(City.objects.for_api())
    instances = list(City.objects.all())
    assert [row["pk"] for row in rows] == [record.pk for record in instances]
    fast = CitySerializer(rows, many=True, context=context).data
    assert as_json(fast) == as_json(drf_records(CitySerializer, instances, context))
    assert list(fast[0]) == list(CitySerializer().fields)

    rows = list(Initiative.objects.for_api())
    instances = list(Initiative.objects.all())
    assert [row["pk"] for row in rows] == [record.pk for record in instances]
    fast = InitiativeSerializer(rows, many=True, context=context).data
    drf = drf_records(InitiativeSerializer, instances, context)
    assert as_json(fast) == as_json(drf)
    assert list(fast[0]) == list(InitiativeSerializer().fields)
    assert json.loads(as_json(fast))  # valid JSON


def test_list_records_match_drf_field_serialization(real_data, context):
    assert_same_records(context)


def test_records_without_a_request_have_relative_urls(real_data):
    city = City.objects.for_api().get(slug="kuala-lumpur")
    assert CitySerializer(city).data["html_url"] == "/cities/kuala-lumpur/"
    assert_same_records({})


def test_detail_record_matches_drf_field_serialization(real_data, context):
    row = City.objects.for_api().get(slug="kuala-lumpur")
    city = City.objects.get(slug="kuala-lumpur")
    fast = CitySerializer(row, context=context).data
    assert as_json(fast) == as_json(drf_records(CitySerializer, [city], context)[0])


def test_empty_and_odd_values_match(db, context):
    """Nulls, blanks, no links, a run shared by two cities, text that JSON
    escapes."""
    bare = make_city(name="Bare <City> \u201cquoted\u201d", population=None)
    bare.unverified = ["cohort_year", "population"]
    bare.challenge_sources = {"congestion": ["https://example.org/a"]}
    bare.save()
    other = make_city(name="Other City")
    shared = make_initiative(city=bare, partners=[make_partner()])
    shared.cities.add(other)
    make_initiative(city=other, year=None)

    assert_same_records(context)
