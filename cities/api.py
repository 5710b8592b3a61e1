"""Read-only JSON API for member states, cities, initiatives and partners.

Cities and initiatives are filtered by the same FilterSets as the HTML pages
(`cities.filters`), so `/api/v1/cities/?goal=...` and `/cities/?goal=...` list the
same cities. An invalid parameter answers 400 with the field's error.
"""

from django.utils.decorators import method_decorator
from django.views.decorators.http import conditional_page
from django_filters import ModelMultipleChoiceFilter
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.pagination import PageNumberPagination

from .filters import CityFilter, InitiativeFilter
from .models import City, Initiative, MemberState, Partner
from .sizes import SIZE_CLASSES

# Helpers shared with framework/api.py.


class PortalPagination(PageNumberPagination):
    """`?page=` and `?page_size=` (up to 500); an invalid page is a JSON 404."""

    page_size_query_param = "page_size"
    max_page_size = 500


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


@method_decorator(conditional_page, name="dispatch")
class ReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """GET only (other methods get 405); responses carry an ETag and answer
    If-None-Match with 304."""

    pagination_class = PortalPagination


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


# Query shapes: one query per relation whatever the number of rows.


def cities_for_api():
    return City.objects.for_list().prefetch_related("sources", "membership_sources")


def initiatives_for_api():
    return Initiative.objects.for_list().prefetch_related("challenges", "sources")


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
    challenges = slugs(many=True)
    html_url = HtmlUrlField()
    sources = source_urls()
    membership_sources = source_urls()
    unverified = unverified_field()

    class Meta:
        model = City
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
            "area_km2",
            "size_class",
            "goals",
            "challenges",
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


class InitiativeSerializer(serializers.ModelSerializer):
    city = slugs()
    member_state = slugs(source="city.member_state")
    goals = slugs(many=True)
    challenges = slugs(many=True)
    partners = slugs(many=True)
    html_url = HtmlUrlField()
    sources = source_urls()
    unverified = unverified_field()

    class Meta:
        model = Initiative
        fields = [
            "slug",
            "name",
            "city",
            "member_state",
            "goals",
            "challenges",
            "status",
            "status_text",
            "year",
            "partner_text",
            "partners",
            "verification",
            "unverified",
            "html_url",
            "sources",
        ]


class MemberStateSerializer(serializers.ModelSerializer):
    cities = slugs(many=True)
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
            "cities",
            "html_url",
            "sources",
        ]


class PartnerSerializer(serializers.ModelSerializer):
    initiative_count = serializers.IntegerField(read_only=True)
    city_count = serializers.IntegerField(read_only=True)
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
            "unverified",
            "html_url",
            "sources",
        ]


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
    """The ten ASEAN member states and their ASCN cities."""

    queryset = with_tiebreak(MemberState.objects.prefetch_related("cities", "sources"))
    serializer_class = MemberStateSerializer
    lookup_field = "slug"


class PartnerViewSet(ReadOnlyViewSet):
    """External partners of ASCN and their programmes."""

    queryset = with_tiebreak(Partner.objects.with_counts().prefetch_related("sources"))
    serializer_class = PartnerSerializer
    lookup_field = "slug"
