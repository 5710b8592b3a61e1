"""Read-only JSON API for member states, cities, initiatives and partners.

Cities and initiatives are filtered by the same FilterSets as the HTML pages
(`cities.filters`), so `/api/v1/cities/?goal=...` and `/cities/?goal=...` list the
same cities. An invalid parameter answers 400 with the field's error.
"""

import re
from urllib.parse import urlencode

from django.db import models
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.views.decorators.http import conditional_page
from django.views.decorators.vary import vary_on_headers
from django_filters import ModelMultipleChoiceFilter
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination

from framework.addresses import PLACEHOLDER, PLAIN_SLUG_RE
from framework.cache import CachedCountPaginator, cache_public_page
from framework.params import unknown_message, unknown_parameters

from . import selectors
from .filters import CityFilter, InitiativeFilter
from .models import City, Initiative, MemberState, Partner
from .sizes import SIZE_CLASSES

# Helpers shared with framework/api.py.


class PortalPagination(PageNumberPagination):
    """`?page=` and `?page_size=` (up to 500); an invalid page is a JSON 404."""

    django_paginator_class = CachedCountPaginator
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_size(self, request):
        """The asked page size; one that is not a whole number from 1 to
        max_page_size answers 400 (DRF would quietly use the default)."""
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not re.fullmatch(r"[0-9]{1,6}", raw) or not (
            1 <= int(raw) <= self.max_page_size
        ):
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        f"Must be a whole number from 1 to {self.max_page_size}."
                    ]
                }
            )
        return int(raw)

    def get_page_number(self, request, paginator):
        """Only ASCII digits name a page (int() would also take " 1", "+1",
        "1_0" or "１"); anything else is a 404, as any page that is not there."""
        number = request.query_params.get(self.page_query_param)
        if number is None:
            return 1
        if number in self.last_page_strings or re.fullmatch(r"[0-9]{1,9}", number):
            return number
        raise NotFound(self.invalid_page_message.format(page_number=number[:50]))

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
            if parameter["name"] == self.page_query_param:
                parameter["schema"].update(minimum=1)
        return parameters


@extend_schema_field(OpenApiTypes.URI)
class HtmlUrlField(serializers.Field):
    """Absolute address of the record's HTML page."""

    def __init__(self, **kwargs):
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        url = value.get_absolute_url()
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


@extend_schema_field(OpenApiTypes.URI)
class FilteredListUrlField(serializers.Field):
    """Absolute address of an API list filtered to the record, such as
    `/api/v1/cities/?goal=<slug>`: related records are linked and counted, not
    nested, so a record's size does not grow with the data."""

    def __init__(self, list_name, parameter, **kwargs):
        self.list_name = list_name
        self.parameter = parameter
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        query = urlencode({self.parameter: value.slug})
        url = f"{reverse(f'api:{self.list_name}-list')}?{query}"
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


def count_field(**kwargs):
    return serializers.IntegerField(read_only=True, min_value=0, **kwargs)


def count_of(queryset, field):
    """Number of `queryset` rows whose `field` is the outer row, as a correlated
    subquery (an indexed count per row of a short list, such as the six goals).

    Each count is its own subquery: two counts over different relations in one
    GROUP BY would join both relations and multiply their rows.
    """
    rows = queryset.filter(**{field: OuterRef("pk")}).order_by().values(field)
    return Coalesce(Subquery(rows.annotate(total=Count("*")).values("total")), 0)


def slugs(**kwargs):
    return serializers.SlugRelatedField(slug_field="slug", read_only=True, **kwargs)


@extend_schema_field(OpenApiTypes.STR)
class SourceUrlField(serializers.SlugRelatedField):
    """A source address as recorded. Some hold non-ASCII characters (they are
    IRIs, not URIs), so the schema calls them plain strings."""


def source_urls(**kwargs):
    """A list of source URLs."""
    return SourceUrlField(slug_field="url", many=True, read_only=True, **kwargs)


def unverified_field():
    return serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text="Names of fields not confirmed by a source.",
    )


def with_tiebreak(queryset):
    """Keep the queryset's ordering and add the primary key, so pages are stable."""
    ordering = list(queryset.query.order_by or queryset.model._meta.ordering)
    return queryset.order_by(*ordering, "pk")


# Decorators apply bottom-up: the page cache sits inside conditional_page, so a
# cached answer keeps its ETag and still answers If-None-Match with 304; it keeps
# `Vary: Accept` too, telling other caches what this one keys on.
@method_decorator(conditional_page, name="dispatch")
@method_decorator(cache_public_page(vary_on_headers=["Accept"]), name="dispatch")
@method_decorator(vary_on_headers("Accept"), name="dispatch")
class ReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """GET only (other methods get 405); responses carry an ETag and answer
    If-None-Match with 304. Anonymous answers are kept in the page cache until
    the next content edit, like the HTML pages."""

    pagination_class = PortalPagination

    def accepted_parameters(self):
        """The query parameters this request may carry: `format`; the FilterSet's
        filters (a record outside them is not found); on lists the page and the
        page size."""
        names = {"format"}
        if getattr(self, "filterset_class", None) is not None:
            names |= set(self.filterset_class.base_filters)
        if self.action == "list":
            names |= {"page", "page_size"}
        return names

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.method not in ("GET", "HEAD"):
            return  # answered 405 next, whatever its parameters
        accepted = self.accepted_parameters()
        unknown = unknown_parameters(request.query_params, accepted)
        if unknown:
            message = unknown_message(unknown, accepted)
            raise ValidationError({name: [message] for name in unknown})


def describe_filters_for_schema():
    """Tell the schema generator what the shared FilterSets' parameters hold.

    It cannot infer it: slug facets name a field path plus `to_field_name`, and the
    partner facet's choices are loaded per request. Documentation only; filtering
    is untouched. (This could live in cities/filters.py as `extend_schema_field`
    on SlugMultipleFilter and a type hint on `filter_partner`.)
    """
    for filterset in (CityFilter, InitiativeFilter):
        for filter_ in filterset.base_filters.values():
            if isinstance(filter_, ModelMultipleChoiceFilter):
                description = f"{filter_.label} (slug). Repeat for any of several."
                extend_schema_field({"type": "string", "description": description})(
                    filter_
                )
    extend_schema_field(
        {
            "type": "string",
            "description": "Partner slug, or `none` for initiatives with no partner "
            "named. Repeat for any of several.",
        }
    )(InitiativeFilter.base_filters["partner"])


describe_filters_for_schema()


# Query shapes: one query per relation whatever the number of rows. Cities come
# as instances with their foreign keys joined (the record reads their
# properties), initiatives as values rows (theirs needs none, and an instance
# costs more than the rest of its record: some twenty columns, five JSON ones).
# The many-to-many links are read by the list serializers below, as values
# (linked_values), not prefetched as instances.

INITIATIVE_ROW = (
    "pk",
    "slug",
    "name",
    "city__slug",
    "city__member_state__slug",
    "description",
    "description_source__url",
    "challenges_basis",
    "status",
    "status_text",
    "year",
    "partner_text",
    "verification",
    "unverified",
    "primary_source__url",
)


def cities_for_api():
    return City.objects.select_related(
        "member_state", "official_website_source", "population_scope_source"
    )


def initiatives_for_api():
    return Initiative.objects.values(*INITIATIVE_ROW)


def linked_values(relation, pks, *fields, order):
    """{record pk: [value, ...]} for the records `pks` over a many-to-many
    relation (such as `City.focus_goals`), in one query on its link table:
    `fields` are paths from the link row (one gives plain values, several give
    tuples), `order` the linked model's own ordering (what a prefetch would give),
    with its key last so that ties come out the same every time.

    A prefetch makes a model instance and a manager for every link; a page of 100
    cities has some 1,000 links, which cost most of the API list's time.
    """
    through = relation.through
    owner = relation.field.m2m_field_name()
    target = relation.field.m2m_reverse_field_name()
    rows = (
        through.objects.filter(**{f"{owner}__in": pks})
        .order_by(*(f"{target}__{key}" for key in order), target)
        .values_list(f"{owner}_id", *fields)
    )
    found = {pk: [] for pk in pks}
    for owner_pk, *values in rows:
        found[owner_pk].append(values[0] if len(values) == 1 else tuple(values))
    return found


def city_links(pks):
    """Each city's linked slugs and source addresses: four queries."""
    return {
        "goals": linked_values(City.focus_goals, pks, "goal__slug", order=["order"]),
        "challenges": linked_values(
            City.challenges, pks, "challenge__slug", order=["kind", "name"]
        ),
        "sources": linked_values(City.sources, pks, "source__url", order=["url"]),
        "membership_sources": linked_values(
            City.membership_sources, pks, "source__url", order=["url"]
        ),
    }


def initiative_links(pks):
    """Each initiative's linked slugs and source addresses: five queries."""
    return {
        "cities": linked_values(
            Initiative.cities,
            pks,
            "city__slug",
            "city__member_state__slug",
            order=["name"],
        ),
        "goals": linked_values(Initiative.goals, pks, "goal__slug", order=["order"]),
        "challenges": linked_values(
            Initiative.challenges, pks, "challenge__slug", order=["kind", "name"]
        ),
        "partners": linked_values(
            Initiative.partners,
            pks,
            "partner__slug",
            order=["country_or_org", "programme"],
        ),
        "sources": linked_values(Initiative.sources, pks, "source__url", order=["url"]),
    }


def page_urls(context, view_name):
    """A function from a slug to the absolute address of its page, as
    `request.build_absolute_uri(record.get_absolute_url())` gives it (the
    relative one without a request). Reversed once per list, not once a record
    (reverse() and build_absolute_uri() cost some 30 µs together; see
    framework/addresses.py)."""
    request = context.get("request")

    def absolute(path):
        return request.build_absolute_uri(path) if request is not None else path

    pattern = absolute(reverse(view_name, args=[PLACEHOLDER]))
    head, tail = pattern.split(PLACEHOLDER)

    def url(slug):
        if PLAIN_SLUG_RE.fullmatch(slug):
            return f"{head}{slug}{tail}"
        return absolute(reverse(view_name, args=[slug]))

    return url


def url_or_none(source):
    return source.url if source is not None else None


def strings(values):
    """What `ListField(child=CharField())` gives."""
    if values is None:
        return None
    return [str(value) if value is not None else None for value in values]


class LinkedListSerializer(serializers.ListSerializer):
    """A list of records whose links are read once for the whole list (the
    child's `links()`), then each record is written by the child's `record()`."""

    def to_representation(self, data):
        records = list(data.all() if isinstance(data, models.Manager) else data)
        links = self.child.links(records)
        return [self.child.record(record, links) for record in records]


CITY_CHALLENGES_BASIS = (
    "stated by a source about the city (challenge_sources gives the addresses "
    "where recorded)"
)


# Serializers.


class CitySerializer(serializers.ModelSerializer):
    member_state = slugs()
    member_state_name = serializers.CharField(
        source="member_state.name", read_only=True
    )
    cohort_unverified = serializers.BooleanField(
        read_only=True, help_text="The cohort year is not confirmed by a source."
    )
    is_pilot = serializers.BooleanField(
        read_only=True, help_text="One of the 26 pilot cities named in 2018."
    )
    area_km2 = serializers.DecimalField(
        max_digits=9,
        decimal_places=3,
        coerce_to_string=False,
        read_only=True,
        allow_null=True,
    )
    size_class = serializers.SerializerMethodField()
    goals = slugs(many=True, source="focus_goals")
    challenges = slugs(
        many=True, help_text="Challenges a source says the city faces (sourced)."
    )
    challenges_basis = serializers.SerializerMethodField(
        help_text="How the challenge links were made."
    )
    challenge_sources = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        read_only=True,
        help_text="Source addresses per challenge slug, where recorded.",
    )
    official_website = serializers.CharField(
        read_only=True, help_text="City government website; empty if not recorded."
    )
    official_website_source = SourceUrlField(
        slug_field="url", read_only=True, allow_null=True
    )
    population_scope_source = SourceUrlField(
        slug_field="url", read_only=True, allow_null=True
    )
    html_url = HtmlUrlField()
    sources = source_urls()
    membership_sources = source_urls()
    unverified = unverified_field()

    class Meta:
        model = City
        list_serializer_class = LinkedListSerializer
        fields = [
            "slug",
            "name",
            "member_state",
            "member_state_name",
            "cohort_year",
            "cohort_unverified",
            "is_pilot",
            "is_national_capital",
            "latitude",
            "longitude",
            "population",
            "population_year",
            "population_scope",
            "population_scope_source",
            "area_km2",
            "size_class",
            "official_website",
            "official_website_source",
            "goals",
            "challenges",
            "challenges_basis",
            "challenge_sources",
            "html_url",
            "sources",
            "membership_sources",
            "unverified",
        ]

    @extend_schema_field(
        serializers.ChoiceField(
            choices=[size.slug for size in SIZE_CLASSES],
            allow_null=True,
            help_text="By recorded population; null when the population is unknown.",
        )
    )
    def get_size_class(self, city):
        size = city.size_class
        return size.slug if size else None

    def get_challenges_basis(self, city) -> str:
        return CITY_CHALLENGES_BASIS

    # The fields above name the record's shape (and the schema); these write it
    # without DRF's per-field machinery, which cost some 300 µs a city. The same
    # values, in the same order: tests/api/test_fast_records.py compares the two.

    def to_representation(self, city):
        return self.record(city, self.links([city]))

    def links(self, cities):
        return {
            **city_links([city.pk for city in cities]),
            "html_url": page_urls(self.context, "cities:city-detail"),
        }

    def record(self, city, links):
        size = city.size_class
        area = city.area_km2
        return {
            "slug": city.slug,
            "name": city.name,
            "member_state": city.member_state.slug,
            "member_state_name": city.member_state.name,
            "cohort_year": city.cohort_year,
            "cohort_unverified": city.cohort_unverified,
            "is_pilot": city.is_pilot,
            "is_national_capital": city.is_national_capital,
            "latitude": city.latitude,
            "longitude": city.longitude,
            "population": city.population,
            "population_year": city.population_year,
            "population_scope": city.population_scope,
            "population_scope_source": url_or_none(city.population_scope_source),
            "area_km2": None
            if area is None
            else self.fields["area_km2"].to_representation(area),
            "size_class": size.slug if size else None,
            "official_website": city.official_website,
            "official_website_source": url_or_none(city.official_website_source),
            "goals": links["goals"][city.pk],
            "challenges": links["challenges"][city.pk],
            "challenges_basis": CITY_CHALLENGES_BASIS,
            "challenge_sources": None
            if city.challenge_sources is None
            else {
                str(slug): strings(urls)
                for slug, urls in city.challenge_sources.items()
            },
            "html_url": links["html_url"](city.slug),
            "sources": links["sources"][city.pk],
            "membership_sources": links["membership_sources"][city.pk],
            "unverified": strings(city.unverified),
        }


class InitiativeSerializer(serializers.ModelSerializer):
    city = slugs(help_text="The lead city (listed first); `cities` has them all.")
    member_state = slugs(source="city.member_state")
    cities = slugs(many=True, help_text="Every city that runs it.")
    member_states = serializers.SerializerMethodField()
    goals = slugs(many=True)
    challenges = slugs(
        many=True,
        help_text="An editors' classification from the description, not a sourced "
        "fact (see challenges_basis).",
    )
    description_source = SourceUrlField(
        slug_field="url", read_only=True, allow_null=True
    )
    primary_source = SourceUrlField(slug_field="url", read_only=True, allow_null=True)
    partners = slugs(many=True)
    html_url = HtmlUrlField()
    sources = source_urls()
    unverified = unverified_field()

    class Meta:
        model = Initiative
        list_serializer_class = LinkedListSerializer
        fields = [
            "slug",
            "name",
            "city",
            "member_state",
            "cities",
            "member_states",
            "description",
            "description_source",
            "goals",
            "challenges",
            "challenges_basis",
            "status",
            "status_text",
            "year",
            "partner_text",
            "partners",
            "verification",
            "unverified",
            "html_url",
            "primary_source",
            "sources",
        ]

    def get_member_states(self, initiative) -> list[str]:
        found = [city.member_state.slug for city in initiative.cities.all()]
        return list(dict.fromkeys(found))

    # As for cities: the fields name the shape, these write it, from a values
    # row of initiatives_for_api().

    def to_representation(self, row):
        return self.record(row, self.links([row]))

    def links(self, rows):
        return {
            **initiative_links([row["pk"] for row in rows]),
            "html_url": page_urls(self.context, "cities:initiative-detail"),
        }

    def record(self, row, links):
        """One initiative from its INITIATIVE_ROW values."""
        pk = row["pk"]
        runners = links["cities"][pk]
        return {
            "slug": row["slug"],
            "name": row["name"],
            "city": row["city__slug"],
            "member_state": row["city__member_state__slug"],
            "cities": [city for city, _ in runners],
            "member_states": list(dict.fromkeys(state for _, state in runners)),
            "description": row["description"],
            "description_source": row["description_source__url"],
            "goals": links["goals"][pk],
            "challenges": links["challenges"][pk],
            "challenges_basis": row["challenges_basis"],
            "status": row["status"],
            "status_text": row["status_text"],
            "year": row["year"],
            "partner_text": row["partner_text"],
            "partners": links["partners"][pk],
            "verification": row["verification"],
            "unverified": strings(row["unverified"]),
            "html_url": links["html_url"](row["slug"]),
            "primary_source": row["primary_source__url"],
            "sources": links["sources"][pk],
        }


class MemberStateSerializer(serializers.ModelSerializer):
    city_count = count_field(help_text="Number of the member state's ASCN cities.")
    cities_url = FilteredListUrlField(
        "city", "member_state", help_text="The member state's cities, in the API."
    )
    html_url = HtmlUrlField()
    sources = source_urls()

    class Meta:
        model = MemberState
        fields = [
            "slug",
            "name",
            "iso2",
            "iso3",
            "capital",
            "asean_member_since",
            "city_count",
            "cities_url",
            "html_url",
            "sources",
        ]


class PartnerSerializer(serializers.ModelSerializer):
    initiative_count = serializers.SerializerMethodField(
        help_text="Initiatives naming the partner."
    )
    city_count = serializers.SerializerMethodField(
        help_text="Cities with an initiative naming the partner."
    )
    initiatives_url = FilteredListUrlField(
        "initiative", "partner", help_text="Those initiatives, in the API."
    )
    html_url = HtmlUrlField()
    sources = source_urls()
    unverified = unverified_field()

    class Meta:
        model = Partner
        fields = [
            "slug",
            "programme",
            "country_or_org",
            "year_started",
            "funds",
            "agencies",
            "initiative_count",
            "city_count",
            "initiatives_url",
            "unverified",
            "html_url",
            "sources",
        ]

    @cached_property
    def counts(self):
        # A list serializes every record with one child serializer: one lookup.
        return selectors.partner_counts()

    @extend_schema_field(OpenApiTypes.INT)
    def get_initiative_count(self, partner):
        return self.counts.get(partner.pk, (0, 0))[0]

    @extend_schema_field(OpenApiTypes.INT)
    def get_city_count(self, partner):
        return self.counts.get(partner.pk, (0, 0))[1]


# Viewsets.


class CityViewSet(ReadOnlyViewSet):
    """ASCN cities. Repeat a parameter for OR within a facet; facets combine
    with AND."""

    queryset = cities_for_api()
    serializer_class = CitySerializer
    filterset_class = CityFilter
    lookup_field = "slug"

    def filter_queryset(self, queryset):
        return with_tiebreak(super().filter_queryset(queryset))


class InitiativeViewSet(ReadOnlyViewSet):
    """The cities' initiatives. Repeat a parameter for OR within a facet; facets
    combine with AND. `partner=none`: no partner named."""

    queryset = initiatives_for_api()
    serializer_class = InitiativeSerializer
    filterset_class = InitiativeFilter
    lookup_field = "slug"

    def filter_queryset(self, queryset):
        return with_tiebreak(super().filter_queryset(queryset))


class MemberStateViewSet(ReadOnlyViewSet):
    """The ten ASEAN member states, with the number of their ASCN cities and a
    link to the list of them."""

    queryset = with_tiebreak(
        MemberState.objects.annotate(
            city_count=count_of(City.objects, "member_state")
        ).prefetch_related("sources")
    )
    serializer_class = MemberStateSerializer
    lookup_field = "slug"


class PartnerViewSet(ReadOnlyViewSet):
    """External partners of ASCN and their programmes."""

    queryset = with_tiebreak(Partner.objects.prefetch_related("sources"))
    serializer_class = PartnerSerializer
    lookup_field = "slug"
