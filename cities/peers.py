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

from django.db.models import Count, F, Q

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
    initiatives: list = field(default_factory=list)
    source_count: int = 0
    reason: str = ""

    @property
    def best_status_rank(self):
        return min(STATUS_RANK[i.status] for i in self.initiatives)


@dataclass
class TopicPeers:
    topic: object  # a Goal or a Challenge
    kind: str  # "goal" or "challenge"
    peers: list


def peers_rank(*, city, peers):
    """Peers ordered by the documented rules; `city` itself is dropped."""
    candidates = [
        peer for peer in peers if peer.city.pk != city.pk and peer.initiatives
    ]
    return sorted(
        candidates,
        key=lambda peer: (
            peer.city.member_state_id == city.member_state_id,
            peer.best_status_rank,
            -len(peer.initiatives),
            -peer.source_count,
            peer.city.name,
            peer.city.slug,
        ),
    )


def _initiative_order(initiative):
    return (STATUS_RANK[initiative.status], initiative.name, initiative.slug)


def _plural(count, word):
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _reason(*, city, peer_city, topic, kind, count, shares_challenge):
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
    if city.name:
        return (
            f"Both prioritise {topic.name}; {peer_city.name} lists {initiatives} on it."
        )
    return f"{peer_city.name} lists {initiatives} on {topic.name}."


def _candidate_initiatives(*, exclude_city_id, goal_ids, challenge_ids):
    """Initiatives of other cities that touch any of the goals or challenges."""
    condition = Q(goals__in=goal_ids) | Q(challenges__in=challenge_ids)
    condition |= Q(city__challenges__in=challenge_ids)
    return list(
        Initiative.objects.exclude(city_id=exclude_city_id)
        .filter(condition)
        .distinct()
        .select_related("city__member_state")
        .prefetch_related("goals", "challenges", "city__challenges")
        .annotate(source_count=Count("sources", distinct=True))
    )


def _evidence_for(*, initiative, topic, kind):
    goal_ids = {goal.pk for goal in initiative.goals.all()}
    if kind == "goal":
        return topic.pk in goal_ids
    if topic.pk in {c.pk for c in initiative.challenges.all()}:
        return True
    city_faces_it = topic.pk in {c.pk for c in initiative.city.challenges.all()}
    addressed_by = {goal.pk for goal in topic.goals.all()}
    return city_faces_it and bool(goal_ids & addressed_by)


def topic_peers_build(*, city, topics):
    """[(topic, kind)] -> [TopicPeers], in a fixed number of queries."""
    goal_ids = [t.pk for t, kind in topics if kind == "goal"]
    challenges = [t for t, kind in topics if kind == "challenge"]
    challenge_ids = [c.pk for c in challenges]
    for challenge in challenges:
        # Goals that address each challenge must be loaded (prefetched by callers).
        challenge.goals.all()
    candidates = _candidate_initiatives(
        exclude_city_id=city.pk if city.pk else -1,
        goal_ids=goal_ids + [g.pk for c in challenges for g in c.goals.all()],
        challenge_ids=challenge_ids,
    )
    results = []
    for topic, kind in topics:
        by_city = defaultdict(list)
        for initiative in candidates:
            if _evidence_for(initiative=initiative, topic=topic, kind=kind):
                by_city[initiative.city_id].append(initiative)
        peers = []
        for initiatives in by_city.values():
            peer_city = initiatives[0].city
            shares = kind == "challenge" and topic.pk in {
                c.pk for c in peer_city.challenges.all()
            }
            peers.append(
                Peer(
                    city=peer_city,
                    initiatives=sorted(initiatives, key=_initiative_order),
                    source_count=sum(i.source_count for i in initiatives),
                    reason=_reason(
                        city=city,
                        peer_city=peer_city,
                        topic=topic,
                        kind=kind,
                        count=len(initiatives),
                        shares_challenge=shares,
                    ),
                )
            )
        ranked = peers_rank(city=city, peers=peers)[:PEERS_PER_TOPIC]
        for peer in ranked:
            peer.initiatives = peer.initiatives[:INITIATIVES_PER_PEER]
        results.append(TopicPeers(topic=topic, kind=kind, peers=ranked))
    return results


def peers_for_city(*, city):
    """Who to learn from, for each challenge and goal of the city."""
    topics = [(c, "challenge") for c in city.challenges.all()]
    topics += [(g, "goal") for g in city.focus_goals.all()]
    return topic_peers_build(city=city, topics=topics)


def peers_for_topic(*, topic, kind):
    """Who to learn from on one goal or challenge, for any city (no city excluded)."""
    nobody = City(pk=None, name="", slug="", member_state_id=None)
    return topic_peers_build(city=nobody, topics=[(topic, kind)])[0].peers


@dataclass
class SimilarCity:
    city: City
    shared_goals: list
    shared_challenges: list
    same_size: bool

    @property
    def score(self):
        return len(self.shared_goals) + 2 * len(self.shared_challenges) + self.same_size


def similar_cities(*, city, limit=5):
    """Cities most alike by goals, challenges and size class, shared items named."""
    goal_ids = [goal.pk for goal in city.focus_goals.all()]
    challenge_ids = [challenge.pk for challenge in city.challenges.all()]
    candidates = (
        City.objects.exclude(pk=city.pk)
        .annotate(
            shared_goal_count=Count(
                "focus_goals", filter=Q(focus_goals__in=goal_ids), distinct=True
            ),
            shared_challenge_count=Count(
                "challenges", filter=Q(challenges__in=challenge_ids), distinct=True
            ),
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
    """Initiatives of other cities on the same goals or challenges."""
    goal_ids = [goal.pk for goal in initiative.goals.all()]
    challenge_ids = [challenge.pk for challenge in initiative.challenges.all()]
    if not goal_ids and not challenge_ids:
        return []
    candidates = list(
        Initiative.objects.exclude(city_id=initiative.city_id)
        .annotate(
            shared=Count("goals", filter=Q(goals__in=goal_ids), distinct=True)
            + Count("challenges", filter=Q(challenges__in=challenge_ids), distinct=True)
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
