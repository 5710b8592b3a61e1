"""Learn from peers: which other cities to learn from on a challenge or goal.

The rules (also explained on the /about/ page):

1. An initiative of another city counts as evidence on a **goal** when it is
   classified under that goal. It counts on a **challenge** when a source links it to
   the challenge, or when its city documents the same challenge and the initiative is
   classified under a goal that addresses the challenge.
2. Peer cities are ranked by, in this order:
   a. cities in another member state before cities in the same one (transfer across
      borders is what the network is for);
   b. the strongest status among their initiatives on the topic: completed, then
      established or running, then ongoing or planned, then study, then proposed, then
      unknown;
   c. more initiatives on the topic first;
   d. more distinct sources behind those initiatives first;
   e. then by city name and slug, so the order is stable.
3. A city is never recommended to itself.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber

from framework.cache import cached_until_edit

from .models import City, Initiative

# Stronger evidence first. Lower rank is better.
STATUS_RANK = {
    Initiative.Status.COMPLETED: 0,
    Initiative.Status.ESTABLISHED: 1,
    Initiative.Status.ONGOING: 2,
    Initiative.Status.STUDY: 3,
    Initiative.Status.PROPOSED: 4,
    Initiative.Status.UNKNOWN: 5,
}
PEERS_PER_TOPIC = 3
INITIATIVES_PER_PEER = 3


@dataclass
class Peer:
    city: City
    initiative_count: int
    best_status_rank: int
    source_count: int
    initiatives: list = field(default_factory=list)
    reason: str = ""


@dataclass
class TopicPeers:
    topic: object  # a Goal or a Challenge
    kind: str  # "goal" or "challenge"
    peers: list


def status_rank_expression(prefix=""):
    """The status rank of STATUS_RANK as a database expression."""
    return Case(
        *[
            When(**{f"{prefix}status": status}, then=rank)
            for status, rank in STATUS_RANK.items()
        ],
        default=len(STATUS_RANK),
        output_field=IntegerField(),
    )


def _plural(count, word):
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _reason(*, city, peer_city, topic, kind, count, shares_challenge, shares_goal):
    initiatives = _plural(count, "initiative")
    if kind == "challenge" and shares_challenge and not city.name:
        return (
            f"{peer_city.name} faces {topic.name.lower()} and lists {initiatives} "
            "under goals that address it."
        )
    if kind == "challenge" and shares_challenge:
        return (
            f"Both {city.name} and {peer_city.name} face {topic.name.lower()}; "
            f"{peer_city.name} lists {initiatives} under goals that address it."
        )
    if kind == "challenge":
        return (
            f"A source links {initiatives} of {peer_city.name} to {topic.name.lower()}."
        )
    if city.name and shares_goal:
        return (
            f"Both prioritise {topic.name}; {peer_city.name} lists {initiatives} on it."
        )
    return f"{peer_city.name} lists {initiatives} on {topic.name}."


def evidence_initiatives(*, topic, kind, exclude_city_id=None):
    """Initiatives that count as evidence on a goal or challenge (rule 1)."""
    if kind == "goal":
        condition = Q(goals=topic)
    else:
        goal_ids = [goal.pk for goal in topic.goals.all()]
        condition = Q(challenges=topic) | Q(city__challenges=topic, goals__in=goal_ids)
    matching = Initiative.objects.filter(condition)
    if exclude_city_id is not None:
        matching = matching.exclude(city_id=exclude_city_id)
    return Initiative.objects.filter(pk__in=matching.values("pk"))


def topic_leaders(*, topic, kind):
    """Per member state, the cities with the strongest evidence on a topic.

    Keeps the first PEERS_PER_TOPIC + 1 cities of each member state by rule 2b-e
    (one more than shown, in case the viewing city is among them), which is
    enough to rank peers for any city. This is the costly aggregate, so it is
    cached until the next content edit (the cache's content version).
    """
    return cached_until_edit(
        f"peer-leaders:{kind}:{topic.pk}",
        lambda: _topic_leaders(topic=topic, kind=kind),
    )


def _topic_leaders(*, topic, kind):
    evidence = evidence_initiatives(topic=topic, kind=kind)
    ranked = (
        evidence.order_by()
        .values("city_id")
        .annotate(
            state=Max("city__member_state_id"),
            best=Min(status_rank_expression()),
            count=Count("pk", distinct=True),
            sources=Count("sources", distinct=True),
            city_name=Max("city__name"),
            city_slug=Max("city__slug"),
        )
        .annotate(
            position=Window(
                RowNumber(),
                partition_by=[F("state")],
                order_by=[
                    F("best").asc(),
                    F("count").desc(),
                    F("sources").desc(),
                    F("city_name").asc(),
                    F("city_slug").asc(),
                ],
            )
        )
        .filter(position__lte=PEERS_PER_TOPIC + 1)
    )
    return [
        {
            name: row[name]
            for name in (
                "city_id",
                "state",
                "best",
                "count",
                "sources",
                "city_name",
                "city_slug",
            )
        }
        for row in ranked
    ]


def topic_peers(*, city, topic, kind, limit=PEERS_PER_TOPIC):
    """The ranked peers for one topic (rules 2 and 3) from the cached leaders."""
    candidates = [
        row
        for row in topic_leaders(topic=topic, kind=kind)
        if row["city_id"] != city.pk
    ]
    rows = sorted(
        candidates,
        key=lambda row: (
            row["state"] == city.member_state_id,
            row["best"],
            -row["count"],
            -row["sources"],
            row["city_name"],
            row["city_slug"],
        ),
    )[:limit]
    evidence = evidence_initiatives(topic=topic, kind=kind, exclude_city_id=city.pk)
    if not rows:
        return []
    city_ids = [row["city_id"] for row in rows]
    initiatives = defaultdict(list)
    for initiative in (
        evidence.filter(city_id__in=city_ids)
        .select_related("city__member_state")
        .annotate(rank=status_rank_expression())
        .order_by("rank", "name", "slug")
    ):
        initiatives[initiative.city_id].append(initiative)
    # Peer cities that document the challenge, or prioritise the goal, themselves.
    if kind == "challenge":
        links = City.challenges.through.objects.filter(challenge=topic)
    else:
        links = City.focus_goals.through.objects.filter(goal=topic)
    shares = set(links.filter(city_id__in=city_ids).values_list("city_id", flat=True))
    peers = []
    for row in rows:
        found = initiatives[row["city_id"]]
        peer_city = found[0].city
        peers.append(
            Peer(
                city=peer_city,
                initiative_count=row["count"],
                best_status_rank=row["best"],
                source_count=row["sources"],
                initiatives=found[:INITIATIVES_PER_PEER],
                reason=_reason(
                    city=city,
                    peer_city=peer_city,
                    topic=topic,
                    kind=kind,
                    count=row["count"],
                    shares_challenge=kind == "challenge" and row["city_id"] in shares,
                    shares_goal=kind == "goal" and row["city_id"] in shares,
                ),
            )
        )
    return peers


def topic_peers_build(*, city, topics):
    """[(topic, kind)] -> [TopicPeers]; a few queries per topic, none per row."""
    return [
        TopicPeers(
            topic=topic, kind=kind, peers=topic_peers(city=city, topic=topic, kind=kind)
        )
        for topic, kind in topics
    ]


def peers_for_city(*, city):
    """Who to learn from, for each challenge and goal of the city; kept until the
    next content edit."""

    def build():
        topics = [(c, "challenge") for c in city.challenges.all()]
        topics += [(g, "goal") for g in city.focus_goals.all()]
        return topic_peers_build(city=city, topics=topics)

    return cached_until_edit(f"city-peers:{city.pk}", build)


def peers_for_topic(*, topic, kind):
    """Who to learn from on one goal or challenge, for any city (no city excluded)."""
    nobody = City(pk=None, name="", slug="", member_state_id=None)
    return topic_peers(city=nobody, topic=topic, kind=kind)


@dataclass
class SimilarCity:
    city: City
    shared_goals: list
    shared_challenges: list
    same_size: bool

    @property
    def score(self):
        return len(self.shared_goals) + 2 * len(self.shared_challenges) + self.same_size


def _shared_count(model, relation, ids):
    """How many of `ids` a record links to through its many-to-many `relation`:
    a subquery on the link table, so two such counts never multiply each other's
    rows (0 for no ids: an empty IN () would otherwise drop every row)."""
    if not ids:
        return Value(0, output_field=IntegerField())
    m2m = model._meta.get_field(relation)
    source, target = m2m.m2m_field_name(), m2m.m2m_reverse_field_name()
    links = (
        m2m.remote_field.through.objects.filter(
            **{source: OuterRef("pk"), f"{target}__in": ids}
        )
        .order_by()
        .values(source)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(links, output_field=IntegerField()), 0)


def similar_cities(*, city, limit=5):
    """Cities most alike by goals, challenges and size class, shared items named;
    kept until the next content edit (the ranking reads every city)."""
    return cached_until_edit(
        f"similar-cities:{city.pk}:{limit}",
        lambda: _similar_cities(city=city, limit=limit),
    )


def _similar_cities(*, city, limit):
    goal_ids = [goal.pk for goal in city.focus_goals.all()]
    challenge_ids = [challenge.pk for challenge in city.challenges.all()]
    candidates = (
        City.objects.exclude(pk=city.pk)
        .annotate(
            shared_goal_count=_shared_count(City, "focus_goals", goal_ids),
            shared_challenge_count=_shared_count(City, "challenges", challenge_ids),
        )
        .annotate(score=F("shared_goal_count") + 2 * F("shared_challenge_count"))
        .filter(score__gt=0)
        .select_related("member_state")
        .prefetch_related("focus_goals", "challenges")
        .order_by("-score", "name")[: limit * 3]
    )
    size = city.size_class
    similar = []
    for other in candidates:
        similar.append(
            SimilarCity(
                city=other,
                shared_goals=[g for g in other.focus_goals.all() if g.pk in goal_ids],
                shared_challenges=[
                    c for c in other.challenges.all() if c.pk in challenge_ids
                ],
                same_size=size is not None and other.size_class == size,
            )
        )
    similar.sort(key=lambda s: (-s.score, s.city.name))
    return similar[:limit]


def similar_initiatives(*, initiative, limit=5):
    """Initiatives of other cities on the same goals or challenges; kept until the
    next content edit (the ranking reads every initiative)."""
    return cached_until_edit(
        f"similar-initiatives:{initiative.pk}:{limit}",
        lambda: _similar_initiatives(initiative=initiative, limit=limit),
    )


def _similar_initiatives(*, initiative, limit):
    goal_ids = [goal.pk for goal in initiative.goals.all()]
    challenge_ids = [challenge.pk for challenge in initiative.challenges.all()]
    if not goal_ids and not challenge_ids:
        return []
    candidates = list(
        Initiative.objects.exclude(city_id=initiative.city_id)
        .annotate(
            shared=_shared_count(Initiative, "goals", goal_ids)
            + _shared_count(Initiative, "challenges", challenge_ids)
        )
        .filter(shared__gt=0)
        .select_related("city__member_state")
        .order_by("-shared", "name")[: limit * 10]
    )
    candidates.sort(
        key=lambda other: (
            -other.shared,
            other.city.member_state_id == initiative.city.member_state_id,
            STATUS_RANK[other.status],
            other.name,
            other.slug,
        )
    )
    return candidates[:limit]
