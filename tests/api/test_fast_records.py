"""The city and initiative serializers write their records by hand (cities/api.py,
`record()`), for speed; the declared fields still name the shape. Every record
must be what DRF's own field-by-field serialization of those fields gives."""

import json

import pytest
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.test import APIRequestFactory

from cities.api import (
    CitySerializer,
    InitiativeSerializer,
    cities_for_api,
    initiatives_for_api,
)
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


@pytest.mark.parametrize(
    "serializer_class, queryset",
    [
        (CitySerializer, cities_for_api),
        (InitiativeSerializer, initiatives_for_api),
    ],
)
def test_list_records_match_drf_field_serialization(
    real_data, context, serializer_class, queryset
):
    records = list(queryset())
    fast = serializer_class(records, many=True, context=context).data
    assert as_json(fast) == as_json(drf_records(serializer_class, records, context))
    assert list(fast[0]) == list(serializer_class().fields)


def test_detail_record_matches_drf_field_serialization(real_data, context):
    city = cities_for_api().get(slug="kuala-lumpur")
    fast = CitySerializer(city, context=context).data
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

    cities = list(cities_for_api())
    fast = CitySerializer(cities, many=True, context=context).data
    assert as_json(fast) == as_json(drf_records(CitySerializer, cities, context))
    initiatives = list(initiatives_for_api())
    fast = InitiativeSerializer(initiatives, many=True, context=context).data
    assert as_json(fast) == as_json(
        drf_records(InitiativeSerializer, initiatives, context)
    )
    assert json.loads(as_json(fast))  # valid JSON
