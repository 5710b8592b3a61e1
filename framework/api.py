"""Read-only JSON API for the framework's goals and challenges, and the sources."""

from django.db.models import Prefetch
from rest_framework import serializers

from cities.api import (
    HtmlUrlField,
    ReadOnlyViewSet,
    slugs,
    source_urls,
    with_tiebreak,
)
from cities.models import City

from .models import Challenge, Goal, Publication, Source


def _city_slugs():
    return Prefetch("cities", queryset=City.objects.only("id", "slug", "name"))


class GoalSerializer(serializers.ModelSerializer):
    covers = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text="Kinds of project classified under the goal.",
    )
    challenges = slugs(many=True, help_text="Challenges the goal addresses.")
    cities = slugs(many=True, help_text="Cities that prioritise the goal.")
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
            "cities",
            "html_url",
            "sources",
        ]


class ChallengeSerializer(serializers.ModelSerializer):
    goals = slugs(many=True, help_text="Goals that address the challenge.")
    cities = slugs(many=True, help_text="Cities that document the challenge.")
    html_url = HtmlUrlField()
    sources = source_urls()

    class Meta:
        model = Challenge
        fields = ["slug", "name", "kind", "goals", "cities", "html_url", "sources"]


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
    """The six strategic goals of the ASEAN Smart Cities Framework."""

    queryset = with_tiebreak(
        Goal.objects.prefetch_related("challenges", _city_slugs(), "sources")
    )
    serializer_class = GoalSerializer
    lookup_field = "slug"


class ChallengeViewSet(ReadOnlyViewSet):
    """Urban and governance challenges, with the goals that address them."""

    queryset = with_tiebreak(
        Challenge.objects.prefetch_related("goals", _city_slugs(), "sources")
    )
    serializer_class = ChallengeSerializer
    lookup_field = "slug"


class SourceViewSet(ReadOnlyViewSet):
    """The web addresses the portal's facts come from."""

    queryset = with_tiebreak(Source.objects.select_related("publication"))
    serializer_class = SourceSerializer
