"""Writes derived from the content: the peer table (PeerCount) and the initiatives
list's facet counts (FacetCount, below).

The peer ranking (cities/peers.py) orders, per goal or challenge, the cities with
evidence on it by their strongest status, their number of initiatives and of
sources. Computing that from the initiatives on every first view after an edit
means aggregating every initiative on the topic (tens of thousands at 10,000
cities, for each topic of a profile). The peer table keeps the result, one row per
(topic, city), and cities/signals.py refreshes the rows of the cities an edit
touches once it commits.

A city's rows depend only on the initiatives it runs (their status, goal,
challenge and source links), so refreshing a city recomputes its rows from those
initiatives alone: a handful of rows, whatever the size of the data.
"""

from django.db import transaction
from django.db.models import Count, Min

from framework.models import Challenge

from .filters import InitiativeFilter, no_partner_q
from .models import City, FacetCount, Initiative, PeerCount, status_rank_expression

# For each kind of topic: the initiative's link to it (rule 1 of cities/peers.py:
# challenge evidence is the initiatives linked to the challenge, goal evidence
# the initiatives classified under the goal).
TOPIC_LINKS = {
    PeerCount.Kind.CHALLENGE: "initiative__challenges",
    PeerCount.Kind.GOAL: "initiative__goals",
    # The goals addressing a challenge, by the challenge.
    PeerCount.Kind.GOAL_TIER: "initiative__goals__challenges",
}


def peer_counts_compute(*, city_ids=None, goal_tier_of=None):
    """The peer table's rows for the given cities (every city for None), from the
    records, as unsaved PeerCount objects: one GROUP BY query per kind of topic,
    and one for the cities' names. With `goal_tier_of` (challenge ids), only the
    goal tier's rows of those challenges, for every city."""
    links = Initiative.cities.through.objects.order_by()
    if city_ids is not None:
        links = links.filter(city_id__in=city_ids)
    kinds = TOPIC_LINKS
    if goal_tier_of is not None:
        kinds = {PeerCount.Kind.GOAL_TIER: TOPIC_LINKS[PeerCount.Kind.GOAL_TIER]}
    found = []
    for kind, topic in kinds.items():
        # One filter() call: values() below then groups by the same join.
        if goal_tier_of is None:
            condition = {f"{topic}__isnull": False}
        else:
            condition = {f"{topic}__in": goal_tier_of}
        rows = (
            links.filter(**condition)
            .values("city_id", topic)
            .annotate(
                best=Min(status_rank_expression("initiative__")),
                count=Count("initiative_id", distinct=True),
                sources=Count("initiative__sources", distinct=True),
            )
        )
        found += [(kind, row[topic], row) for row in rows]
    cities = City.objects.only("name", "slug", "member_state_id").in_bulk(
        {row["city_id"] for _, _, row in found}
    )
    return [
        PeerCount(
            kind=kind,
            topic_id=topic_id,
            city_id=row["city_id"],
            member_state_id=cities[row["city_id"]].member_state_id,
            city_name=cities[row["city_id"]].name,
            city_slug=cities[row["city_id"]].slug,
            best_status_rank=row["best"],
            initiative_count=row["count"],
            source_count=row["sources"],
        )
        for kind, topic_id, row in found
    ]


def peer_counts_refresh(*, city_ids):
    """Recompute the peer rows of these cities (after an edit touching them)."""
    city_ids = set(city_ids)
    if not city_ids:
        return
    with transaction.atomic():
        # Two edits of one city committed at once refresh its rows one after the
        # other, the second reading what the first wrote (PostgreSQL).
        list(City.objects.select_for_update().filter(pk__in=city_ids).order_by("pk"))
        PeerCount.objects.filter(city_id__in=city_ids).delete()
        PeerCount.objects.bulk_create(
            peer_counts_compute(city_ids=city_ids), batch_size=1000
        )


def peer_counts_refresh_goal_tier(*, challenge_ids):
    """Recompute the goal tier of these challenges (after their goals changed):
    every city's, one aggregate per challenge edit."""
    challenge_ids = set(challenge_ids)
    if not challenge_ids:
        return
    with transaction.atomic():
        list(
            Challenge.objects.select_for_update()
            .filter(pk__in=challenge_ids)
            .order_by("pk")
        )
        PeerCount.objects.filter(
            kind=PeerCount.Kind.GOAL_TIER, topic_id__in=challenge_ids
        ).delete()
        PeerCount.objects.bulk_create(
            peer_counts_compute(goal_tier_of=challenge_ids), batch_size=1000
        )


def peer_counts_rebuild():
    """Recompute the whole peer table (after a bulk load, which sends no signals).
    Returns the number of rows."""
    rows = peer_counts_compute()
    with transaction.atomic():
        PeerCount.objects.all().delete()
        PeerCount.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


# The initiatives list's facet counts (FacetCount), for the list with no other
# filter active. Per facet: the table holding the links, the lookup to the
# option's value, whether an initiative can reach one value twice (two cities of
# one member state: count distinct initiatives), and the lookup to a label. The
# same counts as cities/selectors.py's _value_counts over every initiative.
FACET_SOURCES = {
    "member_state": (Initiative.cities.through, "city__member_state__slug", True, ""),
    "city": (Initiative.cities.through, "city__slug", False, "city__name"),
    "goal": (Initiative.goals.through, "goal__slug", False, ""),
    "challenge": (Initiative.challenges.through, "challenge__slug", False, ""),
    "partner": (Initiative.partners.through, "partner__slug", False, ""),
    "status": (Initiative, "status", False, ""),
    "year": (Initiative, "year", False, ""),
}


def facet_counts_compute(*, facet, values=None):
    """FacetCount rows (unsaved) of one facet, for the given option values (every
    value for None): one GROUP BY, on an index when values are given. The
    partner facet's "none" (no partner named) is a count of its own."""
    model, path, distinct, label = FACET_SOURCES[facet]
    rows = model.objects.order_by().exclude(**{f"{path}__isnull": True})
    wanted = None if values is None else set(values) - {InitiativeFilter.NO_PARTNER}
    if wanted is not None:
        rows = rows.filter(**{f"{path}__in": wanted})
    key = "initiative_id" if model is not Initiative else "pk"
    found = []
    if wanted is None or wanted:
        grouped = rows.values(path, *([label] if label else [])).annotate(
            n=Count(key, distinct=distinct)
        )
        found = [
            FacetCount(
                facet=facet,
                value=str(row[path]),
                label=row[label] if label else "",
                count=row["n"],
            )
            for row in grouped
        ]
    if facet == "partner" and (values is None or InitiativeFilter.NO_PARTNER in values):
        none = Initiative.objects.filter(no_partner_q()).count()
        if none:
            found.append(
                FacetCount(facet=facet, value=InitiativeFilter.NO_PARTNER, count=none)
            )
    return found


def facet_counts_refresh(*, touched):
    """Recompute the counts of these option values: {facet: {value, ...}}."""
    with transaction.atomic():
        for facet, values in touched.items():
            if not values:
                continue
            values = {str(value) for value in values}
            FacetCount.objects.filter(facet=facet, value__in=values).delete()
            # An upsert: a refresh committing at the same time may have written
            # one of these options since the delete.
            FacetCount.objects.bulk_create(
                facet_counts_compute(facet=facet, values=values),
                update_conflicts=True,
                unique_fields=["facet", "value"],
                update_fields=["label", "count"],
            )


def facet_counts_rebuild():
    """Recompute every facet count (after a bulk load). Returns the number of rows."""
    rows = [row for facet in FACET_SOURCES for row in facet_counts_compute(facet=facet)]
    with transaction.atomic():
        FacetCount.objects.all().delete()
        FacetCount.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def derived_tables_rebuild():
    """Both derived tables, whole: after a bulk load (which sends no signals) or
    a change by raw SQL. Returns (peer rows, facet rows)."""
    return peer_counts_rebuild(), facet_counts_rebuild()


def facet_counts_read(*, facet):
    """{value: count} of one facet, as kept."""
    return dict(FacetCount.objects.filter(facet=facet).values_list("value", "count"))
