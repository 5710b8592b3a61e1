"""Keep the derived tables (cities/services.py) up to date on every edit: the peer
table (PeerCount) and the initiatives list's facet counts (FacetCount).

Each receiver names what an edit may change: the cities whose peer rows change
(the cities running the initiative saved, deleted or relinked) and the facet
options whose counts change (the initiative's status, year, cities, goals...),
before the change for a removal and after it for an addition. They are
recomputed from the records once the edit's transaction commits, all together
(an admin save sends a signal per link field), and the content version is renewed
after that, so no page rendered from the old rows is kept as current. A
rolled-back edit queues nothing, so it leaves the tables as they were.

What a deletion or a clear removes is noted before it (pre_delete, pre_clear),
while the links are there, and queued after it. A deleted city's peer rows go
with it by the foreign key. Goals, challenges, partners and sources cannot be
deleted while an initiative links to them (framework/protection.py), so their
deletion changes no count, but for a challenge's goal tier (which counts the
initiatives under its goals), deleted with it. A change of a challenge's goals
recomputes its goal tier for every city.
"""

import functools
import threading
from collections import defaultdict
from contextlib import contextmanager

from django.db import connections
from django.db.models.signals import (
    m2m_changed,
    post_delete,
    post_save,
    pre_delete,
    pre_save,
)

from framework import cache
from framework.models import Challenge, Goal

from .filters import InitiativeFilter
from .models import City, Initiative, MemberState, Partner, PeerCount
from .services import (
    facet_counts_refresh,
    peer_counts_refresh,
    peer_counts_refresh_goal_tier,
)

CITY_LINKS = Initiative.cities.through
# The links whose changes change peer rows: an initiative's cities, its
# challenges and goals (the topics) and its sources (counted per peer).
PEER_LINKS = {
    CITY_LINKS: "city",
    Initiative.challenges.through: "challenge",
    Initiative.goals.through: "goal",
    Initiative.sources.through: "source",
}
# The links whose changes change facet counts, with the facet they feed.
FACET_LINKS = {
    CITY_LINKS: "city",
    Initiative.goals.through: "goal",
    Initiative.challenges.through: "challenge",
    Initiative.partners.through: "partner",
}
# The records whose slug is a facet's option value.
FACET_RECORDS = {
    City: "city",
    MemberState: "member_state",
    Goal: "goal",
    Challenge: "challenge",
    Partner: "partner",
}
NO_PARTNER = InitiativeFilter.NO_PARTNER

_paused = threading.local()


@contextmanager
def derived_signals_paused():
    """For a bulk write that rebuilds both tables itself once it is done (the
    loader, a restore): in this thread the receivers below note nothing while it
    runs, instead of working out per record what a whole rebuild redoes."""
    depth = getattr(_paused, "depth", 0)
    _paused.depth = depth + 1
    try:
        yield
    finally:
        _paused.depth = depth


def unless_paused(receiver):
    @functools.wraps(receiver)
    def wrapper(*args, **kwargs):
        if getattr(_paused, "depth", 0):
            return None
        return receiver(*args, **kwargs)

    return wrapper


def cities_of(*, initiative_ids):
    return set(
        CITY_LINKS.objects.filter(initiative_id__in=initiative_ids).values_list(
            "city_id", flat=True
        )
    )


def facet_values_of_records(model, pks):
    """{facet: {value}} for records of a facet's model (a city's slug and its
    member state's, a goal's slug...)."""
    records = model.objects.filter(pk__in=pks)
    touched = {FACET_RECORDS[model]: set(records.values_list("slug", flat=True))}
    if model is City:
        states = records.values_list("member_state__slug", flat=True)
        touched["member_state"] = set(states)
    return touched


def facet_values_of_initiatives(initiative_ids):
    """{facet: {value}}: every option these initiatives count for."""
    initiatives = Initiative.objects.filter(pk__in=initiative_ids)
    touched = defaultdict(set)
    for status, year in initiatives.values_list("status", "year"):
        touched["status"].add(status)
        if year is not None:
            touched["year"].add(year)
    touched["partner"].add(NO_PARTNER)
    for through, facet in FACET_LINKS.items():
        field = through._meta.get_field(facet)
        target = field.related_model
        pks = through.objects.filter(initiative_id__in=initiative_ids).values(
            field.attname
        )
        for name, values in facet_values_of_records(target, pks).items():
            touched[name] |= values
    return touched


def derived_touch(*, using, city_ids=(), facet_values=None, challenge_ids=()):
    """Recompute these cities' peer rows, these facet options' counts and these
    challenges' goal tier once the current transaction commits (at once outside
    one); one refresh per transaction, however many edits."""
    city_ids, challenge_ids = set(city_ids), set(challenge_ids)
    facet_values = {k: set(v) for k, v in (facet_values or {}).items() if v}
    if not city_ids and not facet_values and not challenge_ids:
        return
    connection = connections[using]
    if connection.in_atomic_block:
        for _, callback, _ in connection.run_on_commit:
            if getattr(callback, "derived_pending", False):
                callback.city_ids |= city_ids
                callback.challenge_ids |= challenge_ids
                for facet, values in facet_values.items():
                    callback.facet_values[facet] |= values
                return

    def refresh():
        # Once run, it takes no more: a later edit queues its own.
        refresh.derived_pending = False
        peer_counts_refresh(city_ids=refresh.city_ids)
        peer_counts_refresh_goal_tier(challenge_ids=refresh.challenge_ids)
        facet_counts_refresh(touched=refresh.facet_values)
        # Pages must not be kept from the old rows under a new version: if the
        # edit's own version bump (framework/cache.py) already ran, bump again.
        # (These receivers are connected first, so it usually runs after.)
        pending = connections[using].run_on_commit
        if not any(getattr(c, "bump_pending", False) for _, c, _ in pending):
            cache.bump_version()

    refresh.derived_pending = True
    refresh.city_ids = city_ids
    refresh.challenge_ids = challenge_ids
    refresh.facet_values = defaultdict(set, facet_values)
    # Through the module, as the cache's own bump: tests run it at once.
    cache.after_commit(refresh, using=using)


# What is noted before a deletion, a clear or a save, queued once it is done
# (when the refresh may run at once, outside a transaction).
NOTED = "_derived_noted"


def note(instance, *, city_ids=(), facet_values=None):
    noted = instance.__dict__.setdefault(NOTED, (set(), defaultdict(set)))
    noted[0].update(city_ids)
    for facet, values in (facet_values or {}).items():
        noted[1][facet] |= set(values)


def touch_noted(instance, *, using, city_ids=(), facet_values=None):
    note(instance, city_ids=city_ids, facet_values=facet_values)
    noted_cities, noted_values = instance.__dict__.pop(NOTED)
    derived_touch(using=using, city_ids=noted_cities, facet_values=noted_values)


@unless_paused
def initiative_saving(sender, instance, raw, **kwargs):
    # The status and year it had: their options lose it if they changed.
    if instance.pk is not None:
        old = Initiative.objects.filter(pk=instance.pk).values("status", "year")
        for row in old:
            note(instance, facet_values={"status": {row["status"]}})
            note(instance, facet_values={"year": {row["year"]} - {None}})


@unless_paused
def initiative_saved(sender, instance, using, **kwargs):
    # Its status may have changed: every city running it ranks anew.
    touch_noted(
        instance,
        using=using,
        city_ids=cities_of(initiative_ids=[instance.pk]),
        facet_values={
            "status": {instance.status},
            "year": {instance.year} - {None},
            "partner": {NO_PARTNER},  # its partner text may have changed
        },
    )


@unless_paused
def initiative_deleting(sender, instance, **kwargs):
    # Its links go without signals: note them while they are known.
    note(
        instance,
        city_ids=cities_of(initiative_ids=[instance.pk]),
        facet_values=facet_values_of_initiatives([instance.pk]),
    )


@unless_paused
def city_deleting(sender, instance, **kwargs):
    note(instance, facet_values=facet_values_of_records(City, [instance.pk]))


@unless_paused
def noted_deleted(sender, instance, using, **kwargs):
    touch_noted(instance, using=using)


@unless_paused
def record_saving(sender, instance, raw, **kwargs):
    # A renamed slug (or a city moved to another member state) leaves its old
    # option without records.
    if instance.pk is not None:
        note(instance, facet_values=facet_values_of_records(sender, [instance.pk]))


@unless_paused
def record_saved(sender, instance, using, **kwargs):
    # A city's name, slug and member state are copied into its peer rows.
    touch_noted(
        instance,
        using=using,
        city_ids=[instance.pk] if sender is City else (),
        facet_values=facet_values_of_records(sender, [instance.pk]),
    )


@unless_paused
def links_changed(sender, instance, action, reverse, model, pk_set, using, **kwargs):
    """An initiative's cities, challenges, goals, partners or sources changed
    (from either side of the link). Before a clear, what the links about to go
    reach is noted; after it, and after an addition or a removal, it is queued
    with what the links as they are reach and what was added or removed."""
    if action not in {"pre_clear", "post_add", "post_remove", "post_clear"}:
        return
    city_ids, facet_values = set(), defaultdict(set)
    facet = FACET_LINKS.get(sender)
    if not reverse:  # instance is an initiative; pk_set its cities, goals...
        if sender in PEER_LINKS:
            city_ids = cities_of(initiative_ids=[instance.pk])
            if sender is CITY_LINKS:
                city_ids |= set(pk_set or ())
        if facet:
            field = sender._meta.get_field(facet)
            if pk_set is None:  # a clear: the links still there
                pk_set = sender.objects.filter(initiative_id=instance.pk).values(
                    field.attname
                )
            facet_values.update(facet_values_of_records(model, pk_set))
    else:  # instance is a city, goal, source...; pk_set initiatives
        if sender is CITY_LINKS:
            city_ids = {instance.pk}
        elif sender in PEER_LINKS:
            if pk_set is None:  # a clear from the topic's or source's side
                field = PEER_LINKS[sender]
                pk_set = sender.objects.filter(**{field: instance.pk}).values(
                    "initiative_id"
                )
            city_ids = cities_of(initiative_ids=pk_set)
        if facet:
            facet_values.update(facet_values_of_records(type(instance), [instance.pk]))
    if facet == "partner":
        facet_values["partner"].add(NO_PARTNER)
    note(instance, city_ids=city_ids, facet_values=facet_values)
    if action != "pre_clear":
        touch_noted(instance, using=using)


@unless_paused
def challenge_goals_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """A challenge's goals changed: its goal tier, for every city. Before a clear
    the challenges about to lose goals are noted, and queued after it."""
    if action not in {"pre_clear", "post_add", "post_remove", "post_clear"}:
        return
    if not reverse:  # instance is a challenge
        challenge_ids = {instance.pk}
    elif pk_set is not None:  # instance is a goal; pk_set challenges
        challenge_ids = set(pk_set)
    else:
        challenge_ids = set(
            sender.objects.filter(goal_id=instance.pk).values_list(
                "challenge_id", flat=True
            )
        )
    noted = instance.__dict__.setdefault("_goal_tier_noted", set())
    noted |= challenge_ids
    if action != "pre_clear":
        challenge_ids = instance.__dict__.pop("_goal_tier_noted")
        derived_touch(using=kwargs["using"], challenge_ids=challenge_ids)


@unless_paused
def challenge_deleted(sender, instance, **kwargs):
    # Allowed only when no initiative links to it, but its goal tier counts the
    # initiatives under its goals: those rows go with it.
    PeerCount.objects.filter(
        kind=PeerCount.Kind.GOAL_TIER, topic_id=instance.pk
    ).delete()


def connect_derived_tables():
    uid = "derived"
    pre_save.connect(initiative_saving, sender=Initiative, dispatch_uid=f"{uid}-is")
    post_save.connect(initiative_saved, sender=Initiative, dispatch_uid=f"{uid}-i")
    pre_delete.connect(initiative_deleting, sender=Initiative, dispatch_uid=f"{uid}-id")
    pre_delete.connect(city_deleting, sender=City, dispatch_uid=f"{uid}-cd")
    for model in (Initiative, City):
        post_delete.connect(
            noted_deleted, sender=model, dispatch_uid=f"{uid}-{model.__name__}-del"
        )
    for model in FACET_RECORDS:
        name = model.__name__
        pre_save.connect(record_saving, sender=model, dispatch_uid=f"{uid}-{name}-s")
        post_save.connect(record_saved, sender=model, dispatch_uid=f"{uid}-{name}")
    m2m_changed.connect(
        challenge_goals_changed,
        sender=Challenge.goals.through,
        dispatch_uid=f"{uid}-challenge-goals",
    )
    post_delete.connect(challenge_deleted, sender=Challenge, dispatch_uid=f"{uid}-ch")
    for through in {**PEER_LINKS, **FACET_LINKS}:
        m2m_changed.connect(
            links_changed, sender=through, dispatch_uid=f"{uid}-{through.__name__}"
        )
