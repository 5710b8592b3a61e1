"""Read-only JSON API for member states, cities, initiatives, partners, and the
goals and challenges with the number of cities linked to each.

Cities and initiatives are filtered by the same FilterSets as the HTML pages
(`cities.filters`), so `/api/v1/cities/?goal=...` and `/cities/?goal=...` list the
same cities. An invalid parameter answers 400 with the field's error.
"""

from django.db import models
from django.urls import reverse
from django.utils.functional import cached_property
from django_filters import ModelMultipleChoiceFilter
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from framework.addresses import PLACEHOLDER, PLAIN_SLUG_RE
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
from .links import linked_values
from .models import City, Initiative, MemberState, Partner, is_pilot_cohort
from .sizes import SIZE_CLASSES, size_class_for


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


# Query shapes: City.objects.for_api() and Initiative.objects.for_api() (in
# cities/models.py, shared with the exports). The many-to-many links are read by
# the list serializers below, as values (linked_values), not prefetched.


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
    # without DRF's per-field machinery, which cost some 300 µs a city, from a
    # values row of City.objects.for_api(). The same values, in the same order:
    # tests/api/test_fast_records.py compares the two.

    def to_representation(self, row):
        return self.record(row, self.links([row]))

    def links(self, rows):
        return {
            **city_links([row["pk"] for row in rows]),
            "html_url": page_urls(self.context, "cities:city-detail"),
        }

    def record(self, row, links):
        """One city from its City.API_ROW values."""
        pk = row["pk"]
        size = size_class_for(row["population"])
        area = row["area_km2"]
        challenge_sources = row["challenge_sources"]
        return {
            "slug": row["slug"],
            "name": row["name"],
            "member_state": row["member_state__slug"],
            "member_state_name": row["member_state__name"],
            "cohort_year": row["cohort_year"],
            "cohort_unverified": "cohort_year" in (row["unverified"] or []),
            "is_pilot": is_pilot_cohort(row["cohort_year"]),
            "is_national_capital": row["is_national_capital"],
            "latitude": row["latitude"],
            "longitude": row["longitude"],
            "population": row["population"],
            "population_year": row["population_year"],
            "population_scope": row["population_scope"],
            "population_scope_source": row["population_scope_source__url"],
            "area_km2": None
            if area is None
            else self.fields["area_km2"].to_representation(area),
            "size_class": size.slug if size else None,
            "official_website": row["official_website"],
            "official_website_source": row["official_website_source__url"],
            "goals": links["goals"][pk],
            "challenges": links["challenges"][pk],
            "challenges_basis": CITY_CHALLENGES_BASIS,
            "challenge_sources": None
            if challenge_sources is None
            else {str(slug): strings(urls) for slug, urls in challenge_sources.items()},
            "html_url": links["html_url"](row["slug"]),
            "sources": links["sources"][pk],
            "membership_sources": links["membership_sources"][pk],
            "unverified": strings(row["unverified"]),
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
    # row of Initiative.objects.for_api().

    def to_representation(self, row):
        return self.record(row, self.links([row]))

    def links(self, rows):
        return {
            **initiative_links([row["pk"] for row in rows]),
            "html_url": page_urls(self.context, "cities:initiative-detail"),
        }

    def record(self, row, links):
        """One initiative from its Initiative.API_ROW values."""
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

    queryset = City.objects.for_api()
    serializer_class = CitySerializer
    filterset_class = CityFilter
    lookup_field = "slug"

    def filter_queryset(self, queryset):
        return with_tiebreak(super().filter_queryset(queryset))


class InitiativeViewSet(ReadOnlyViewSet):
    """The cities' initiatives. Repeat a parameter for OR within a facet; facets
    combine with AND. `partner=none`: no partner named."""

    queryset = Initiative.objects.for_api()
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
