"""Learn from peers: which cities to learn from on a challenge or goal.

The rules (also explained on the /about/ page):

1. An initiative counts as evidence on a **challenge** only when it is linked to
   that challenge (an editors' classification from the initiative's description,
   labelled so on the pages), and on a **goal** when it is classified under that
   goal. Nothing else makes a city a peer on a challenge: cities related only
   through a goal are never offered as the lesson on it.
2. An initiative run jointly by several cities is one record linked to each of
   them; each of its cities may learn-from it, but one shared initiative fills one
   place in a ranking: cities whose evidence is all in initiatives already shown
   for a higher-ranked peer are named with that peer ("run jointly with"), not
   given places of their own.
3. Peer cities are ranked by, in this order:
   a. cities in another member state before cities in the same one (transfer across
      borders is what the network is for);
   b. the strongest status among their initiatives on the topic, on the status
      scale (Initiative.Status): completed, then under way or planned, then agreed,
      studied or presented, then not in later reports, then before ASCN;
   c. more initiatives on the topic first;
   d. more distinct sources behind those initiatives first;
   e. then by city name and slug, so the order is stable.
4. A city is never recommended to itself.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse

from framework.cache import cached_until_edit

from .links import one_of
from .models import (
    PEER_RANKING,
    STATUS_RANK,
    City,
    Initiative,
    PeerCount,
    runners_queryset,
    status_rank_expression,
)

PEERS_PER_TOPIC = 3
INITIATIVES_PER_PEER = 3


@dataclass
class Peer:
    city: City
    initiative_count: int
    best_status_rank: int
    source_count: int
    initiatives: list = field(default_factory=list)
    # Other cities whose evidence here is the same shared initiatives.
    joint_cities: list = field(default_factory=list)
    reason: str = ""
    # The list of all its initiatives on the topic, when more than are shown.
    all_url: str = ""


@dataclass
class TopicPeers:
    topic: object  # a Goal or a Challenge
    kind: str  # "goal" or "challenge"
    peers: list
    # For a city's profile: the city's own initiatives on the topic.
    own_initiatives: list = field(default_factory=list)


def _plural(count, word):
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _reason(*, peer_city, topic, kind, count):
    initiatives = _plural(count, "initiative")
    if kind == "challenge":
        return (
            f"{peer_city.name} has {initiatives} the editors link to "
            f"{topic.name.lower()}."
        )
    return f"{peer_city.name} has {initiatives} classified under {topic.name}."


def evidence_initiatives(*, topic, kind):
    """Initiatives that count as evidence on a goal or challenge (rule 1)."""
    if kind == "goal":
        return Initiative.objects.filter(goals=topic)
    return Initiative.objects.filter(challenges=topic)


def ranked_rows(*, city, topic, kind, count):
    """The first `count` cities with evidence on a topic in the order of rule 3,
    for `city` (never itself, rule 4): cities of other member states first (3a),
    then those of its own. Rows of the peer table (kept up to date on every edit,
    cities/signals.py), read in its index order: one or two queries of `count`
    rows, whatever the number of cities. Ties in name are ordered by the
    database's collation (code point order in SQLite and in PostgreSQL's C
    collations, as Python's)."""
    rows = PeerCount.objects.filter(kind=kind, topic_id=topic.pk)
    rows = rows.order_by(*PEER_RANKING)
    if city.pk is not None:
        rows = rows.exclude(city_id=city.pk)
    if city.member_state_id is None:
        return list(rows[:count])
    found = list(rows.exclude(member_state_id=city.member_state_id)[:count])
    if len(found) < count:
        home = rows.filter(member_state_id=city.member_state_id)
        found += home[: count - len(found)]
    return found


def topic_peers(*, city, topic, kind, limit=PEERS_PER_TOPIC):
    """The ranked peers for one topic (rules 2-4)."""
    # Enough candidates for `limit` places once joint runners are folded in (a
    # shared initiative has a handful of cities, not dozens).
    rows = ranked_rows(city=city, topic=topic, kind=kind, count=limit * 4)
    if not rows:
        return []
    city_ids = [row.city_id for row in rows]
    found = list(
        evidence_initiatives(topic=topic, kind=kind)
        .filter(cities__in=city_ids)
        .annotate(rank=status_rank_expression())
        # What the peer block shows of them (includes/peers.html).
        .only("slug", "name", "year", "status", "status_text")
        .order_by("rank", "-year", "name", "slug")
        .distinct()
    )
    # Which of the candidates run each: the link rows as values, not a city
    # record per link.
    runs = defaultdict(set)
    links = Initiative.cities.through.objects.filter(
        one_of("initiative_id", [initiative.pk for initiative in found]),
        one_of("city_id", city_ids),
    )
    for initiative_id, city_id in links.values_list("initiative_id", "city_id"):
        runs[initiative_id].add(city_id)
    evidence = defaultdict(list)
    for initiative in found:
        for city_id in runs[initiative.pk]:
            evidence[city_id].append(initiative)
    cities = runners_queryset().in_bulk(city_ids)
    peers, shown = [], {}
    for row in rows:
        initiatives = evidence[row.city_id]
        ids = {initiative.pk for initiative in initiatives}
        covering = next((peer for peer in peers if ids <= shown[peer.city.pk]), None)
        if covering is not None:
            covering.joint_cities.append(cities[row.city_id])
            continue
        if len(peers) == limit:
            continue
        peer_city = cities[row.city_id]
        count = row.initiative_count
        peers.append(
            Peer(
                city=peer_city,
                initiative_count=count,
                best_status_rank=row.best_status_rank,
                source_count=row.source_count,
                initiatives=initiatives[:INITIATIVES_PER_PEER],
                reason=_reason(
                    peer_city=peer_city, topic=topic, kind=kind, count=count
                ),
                all_url=(
                    reverse("cities:initiative-list")
                    + "?"
                    + urlencode({"city": peer_city.slug, kind: topic.slug})
                    if count > INITIATIVES_PER_PEER
                    else ""
                ),
            )
        )
        shown[peer_city.pk] = ids
    return peers


def own_initiatives(*, city, topic, kind):
    return list(
        evidence_initiatives(topic=topic, kind=kind)
        .filter(cities=city)
        .annotate(rank=status_rank_expression())
        .order_by("rank", "-year", "name", "slug")
    )


def peers_for_city(*, city):
    """Who to learn from, led by the city's own challenges, then (a second tier)
    by its goals; kept until the next content edit. {"challenges": [TopicPeers],
    "goals": [TopicPeers]}."""

    def build():
        return {
            "challenges": [
                TopicPeers(
                    topic=challenge,
                    kind="challenge",
                    peers=topic_peers(city=city, topic=challenge, kind="challenge"),
                    own_initiatives=own_initiatives(
                        city=city, topic=challenge, kind="challenge"
                    ),
                )
                for challenge in city.challenges.all()
            ],
            "goals": [
                TopicPeers(
                    topic=goal,
                    kind="goal",
                    peers=topic_peers(city=city, topic=goal, kind="goal"),
                )
                for goal in city.focus_goals.all()
            ],
        }

    return cached_until_edit(f"city-peers:{city.pk}", build)


GOAL_ONLY_MAX = 5


def goal_only_cities(*, challenge, goals, limit=GOAL_ONLY_MAX):
    """Cities with no initiative linked to the challenge but with initiatives under
    a goal that addresses it: [(city, number of such initiatives)], most first.
    Shown apart, under a heading that says how they are related (rule 1).

    `goals` are the challenge's goals (Challenge.goals): the peer table keeps,
    per city, the number of its initiatives under any of them (the goal tier), so
    this reads that table's index, leaving out the cities with challenge rows."""

    def build():
        if not goals:
            return []
        direct = PeerCount.objects.filter(
            kind=PeerCount.Kind.CHALLENGE, topic_id=challenge.pk
        ).values("city_id")
        rows = (
            PeerCount.objects.filter(
                kind=PeerCount.Kind.GOAL_TIER, topic_id=challenge.pk
            )
            .exclude(city_id__in=direct)
            .order_by("-initiative_count", "city_name")
            .values_list("city_id", "initiative_count")[:limit]
        )
        counts = dict(rows)
        cities = City.objects.select_related("member_state").in_bulk(counts)
        return [(cities[pk], n) for pk, n in counts.items()]

    key = f"goal-only:{challenge.pk}:{','.join(str(g.pk) for g in goals)}:{limit}"
    return cached_until_edit(key, build)


NOBODY = City(pk=None, name="", slug="", member_state_id=None)


def peers_for_topic(*, topic, kind, limit=PEERS_PER_TOPIC):
    """Who to learn from on one goal or challenge, for any city (none excluded);
    kept until the next content edit, as a city's peers are."""
    return cached_until_edit(
        f"topic-peers:{kind}:{topic.pk}:{limit}",
        lambda: topic_peers(city=NOBODY, topic=topic, kind=kind, limit=limit),
    )


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


def _shared_link_scores(city, goal_ids, challenge_ids):
    """{other city pk: shared goals + 2 x shared challenges} for every city that
    shares any, counted on the two link tables (one grouped query each)."""
    scores = defaultdict(int)
    for through, column, ids, weight in (
        (City.focus_goals.through, "goal_id", goal_ids, 1),
        (City.challenges.through, "challenge_id", challenge_ids, 2),
    ):
        if not ids:
            continue
        rows = (
            through.objects.filter(one_of(column, ids))
            .exclude(city_id=city.pk)
            .order_by()
            .values("city_id")
            .annotate(n=Count("pk"))
            .values_list("city_id", "n")
        )
        for city_id, n in rows:
            scores[city_id] += weight * n
    return scores


def _similar_candidates(scores, count):
    """The pks of the `count` cities with the highest score, then by name (in the
    database's collation): the leaders are read by score in Python, and only the
    cities tied at the last place taken are ordered by name in the database."""
    by_score = sorted(scores.items(), key=lambda item: -item[1])
    if len(by_score) <= count:
        contenders = [pk for pk, _ in by_score]
    else:
        last = by_score[count - 1][1]
        contenders = [pk for pk, score in by_score if score >= last]
    by_name = City.objects.filter(one_of("id", contenders)).order_by("name", "pk")
    ordered = list(by_name.values_list("pk", flat=True))
    ordered.sort(key=lambda pk: -scores[pk])  # stable: by name within a score
    return ordered[:count]


def _similar_cities(*, city, limit):
    goal_ids = [goal.pk for goal in city.focus_goals.all()]
    challenge_ids = [challenge.pk for challenge in city.challenges.all()]
    scores = _shared_link_scores(city, goal_ids, challenge_ids)
    pks = _similar_candidates(scores, limit * 3) if scores else []
    found = (
        City.objects.select_related("member_state")
        .prefetch_related("focus_goals", "challenges")
        .in_bulk(pks)
    )
    size = city.size_class
    similar = []
    for pk in pks:
        other = found[pk]
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
    own_cities = [city.pk for city in initiative.cities.all()] or [initiative.city_id]
    candidates = list(
        Initiative.objects.exclude(cities__in=own_cities)
        .exclude(city_id__in=own_cities)
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
            STATUS_RANK.get(other.status, len(STATUS_RANK)),
            other.name,
            other.slug,
        )
    )
    return candidates[:limit]
