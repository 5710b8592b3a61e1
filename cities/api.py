"""Read-only JSON API for member states, cities, initiatives, partners, and the
goals and challenges with the number of cities linked to each.

Cities and initiatives are filtered by the same FilterSets as the HTML pages
(`cities.filters`), so `/api/v1/cities/?goal=...` and `/cities/?goal=...` list the
same cities. An invalid parameter answers 400 with the field's error.
"""

from django.utils.functional import cached_property
from django_filters import ModelMultipleChoiceFilter
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from framework.api import (
    FilteredListUrlField,
    HtmlUrlField,
    LookedUpCountField,
    ReadOnlyViewSet,
    SourceUrlField,
    slugs,
    source_urls,
    unverified_field,
    with_tiebreak,
)
from framework.models import Challenge, Goal

from . import selectors
from .filters import CityFilter, InitiativeFilter
from .models import City, Initiative, MemberState, Partner
from .sizes import SIZE_CLASSES


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
    return (
        City.objects.for_list()
        .select_related("official_website_source", "population_scope_source")
        .prefetch_related("sources", "membership_sources")
    )


def initiatives_for_api():
    return (
        Initiative.objects.for_list()
        .select_related("description_source", "primary_source")
        .prefetch_related("challenges", "sources", "cities__member_state")
    )


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


class MemberStateSerializer(serializers.ModelSerializer):
    city_count = LookedUpCountField(
        counts=selectors.member_state_city_counts,
        help_text="Number of the member state's ASCN cities.",
    )
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
        help_text="Cities running an initiative naming the partner, alone or jointly."
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


class GoalSerializer(serializers.ModelSerializer):
    covers = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text="Kinds of project classified under the goal.",
    )
    challenges = slugs(many=True, help_text="Challenges the goal addresses.")
    city_count = LookedUpCountField(
        counts=lambda: selectors.topic_counts(kind="goal", linked="cities"),
        help_text="Number of cities that prioritise the goal.",
    )
    cities_url = FilteredListUrlField(
        "city", "goal", help_text="Those cities, in the API."
    )
    html_url = HtmlUrlField()
    sources = source_urls()

    class Meta:
        model = Goal
        fields = [
            "slug",
            "name",
            "order",
            "covers",
            "challenges",
            "city_count",
            "cities_url",
            "html_url",
            "sources",
        ]


class ChallengeSerializer(serializers.ModelSerializer):
    goals = slugs(many=True, help_text="Goals that address the challenge.")
    city_count = LookedUpCountField(
        counts=lambda: selectors.topic_counts(kind="challenge", linked="cities"),
        help_text="Number of cities that document it.",
    )
    cities_url = FilteredListUrlField(
        "city", "challenge", help_text="Those cities, in the API."
    )
    html_url = HtmlUrlField()
    sources = source_urls()

    class Meta:
        model = Challenge
        fields = [
            "slug",
            "name",
            "kind",
            "goals",
            "city_count",
            "cities_url",
            "html_url",
            "sources",
        ]


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

    queryset = with_tiebreak(MemberState.objects.prefetch_related("sources"))
    serializer_class = MemberStateSerializer
    lookup_field = "slug"


class PartnerViewSet(ReadOnlyViewSet):
    """External partners of ASCN and their programmes."""

    queryset = with_tiebreak(Partner.objects.prefetch_related("sources"))
    serializer_class = PartnerSerializer
    lookup_field = "slug"


class GoalViewSet(ReadOnlyViewSet):
    """The six strategic goals of the ASEAN Smart Cities Framework, with the
    number of cities that prioritise each and a link to the list of them."""

    queryset = with_tiebreak(Goal.objects.prefetch_related("challenges", "sources"))
    serializer_class = GoalSerializer
    lookup_field = "slug"


class ChallengeViewSet(ReadOnlyViewSet):
    """Urban and governance challenges, with the goals that address them, the
    number of cities that document each and a link to the list of them."""

    queryset = with_tiebreak(Challenge.objects.prefetch_related("goals", "sources"))
    serializer_class = ChallengeSerializer
    lookup_field = "slug"
