"""Read-only JSON API for the framework's goals and challenges, and the sources."""

from rest_framework import serializers

from cities.api import (
    FilteredListUrlField,
    HtmlUrlField,
    ReadOnlyViewSet,
    count_field,
    count_of,
    slugs,
    source_urls,
    with_tiebreak,
)
from cities.models import City

from .models import Challenge, Goal, Publication, Source


class GoalSerializer(serializers.ModelSerializer):
    covers = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text="Kinds of project classified under the goal.",
    )
    challenges = slugs(many=True, help_text="Challenges the goal addresses.")
    city_count = count_field(help_text="Number of cities that prioritise the goal.")
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
    city_count = count_field(help_text="Number of cities that document it.")
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


class PublicationSerializer(serializers.ModelSerializer):
    # Addresses as recorded; some are IRIs with non-ASCII characters, not URIs.
    url = serializers.CharField(read_only=True)

    class Meta:
        model = Publication
        fields = ["key", "authors", "year", "title", "venue", "doi", "url"]


class SourceSerializer(serializers.ModelSerializer):
    url = serializers.CharField(read_only=True)
    publication = PublicationSerializer(read_only=True, allow_null=True)
    html_url = HtmlUrlField()

    class Meta:
        model = Source
        fields = ["id", "url", "title", "publication", "html_url"]


class GoalViewSet(ReadOnlyViewSet):
    """The six strategic goals of the ASEAN Smart Cities Framework, with the
    number of cities that prioritise each and a link to the list of them."""

    queryset = with_tiebreak(
        Goal.objects.annotate(
            city_count=count_of(City.focus_goals.through.objects, "goal")
        ).prefetch_related("challenges", "sources")
    )
    serializer_class = GoalSerializer
    lookup_field = "slug"


class ChallengeViewSet(ReadOnlyViewSet):
    """Urban and governance challenges, with the goals that address them, the
    number of cities that document each and a link to the list of them."""

    queryset = with_tiebreak(
        Challenge.objects.annotate(
            city_count=count_of(City.challenges.through.objects, "challenge")
        ).prefetch_related("goals", "sources")
    )
    serializer_class = ChallengeSerializer
    lookup_field = "slug"


class SourceViewSet(ReadOnlyViewSet):
    """The web addresses the portal's facts come from."""

    queryset = with_tiebreak(Source.objects.select_related("publication"))
    serializer_class = SourceSerializer
