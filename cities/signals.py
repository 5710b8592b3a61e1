"""Keep the peer table (PeerCount, cities/services.py) up to date on every edit.

Each receiver names the cities whose peer rows an edit may change: the cities
running the initiative saved, deleted or relinked (before the change, for a
removal, and after it, for an addition). Their rows are recomputed once the edit's
transaction commits, all together (an admin save sends a signal per link field),
and the content version is renewed after that, so no page rendered from the old
rows is kept as current. A rolled-back edit queues nothing, so it leaves the table
as it was.

Deletions that cascade without signals are caught before they happen: a deleted
initiative's or source's cities are noted in pre_delete. A deleted goal or
challenge takes its rows with it at once (no other row depends on it); a deleted
city's rows go with it by the foreign key.
"""

from django.db import connections
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

from framework import cache
from framework.models import Challenge, Goal, Source

from .models import City, Initiative, PeerCount
from .services import peer_counts_refresh

CITY_LINKS = Initiative.cities.through
# The links whose changes change peer rows: an initiative's cities, its
# challenges and goals (the topics) and its sources (counted per peer).
LINKS = {
    CITY_LINKS: "city",
    Initiative.challenges.through: "challenge",
    Initiative.goals.through: "goal",
    Initiative.sources.through: "source",
}


def cities_of(*, initiative_ids):
    return set(
        CITY_LINKS.objects.filter(initiative_id__in=initiative_ids).values_list(
            "city_id", flat=True
        )
    )


def peer_cities_touch(*, city_ids, using):
    """Recompute these cities' peer rows once the current transaction commits
    (at once outside one); one refresh per transaction, however many edits."""
    city_ids = set(city_ids)
    if not city_ids:
        return
    connection = connections[using]
    if connection.in_atomic_block:
        for _, callback, _ in connection.run_on_commit:
            pending = getattr(callback, "peer_city_ids", None)
            if pending is not None:
                pending.update(city_ids)
                return

    def refresh():
        peer_counts_refresh(city_ids=refresh.peer_city_ids)
        # Pages rendered between the edit's own version bump and this refresh
        # hold the old rows: make them stale too.
        cache.bump_version()

    refresh.peer_city_ids = city_ids
    # Through the module, as the cache's own bump: tests run it at once.
    cache.after_commit(refresh, using=using)


def initiative_saved(sender, instance, using, **kwargs):
    # Its status may have changed: every city running it ranks anew.
    peer_cities_touch(city_ids=cities_of(initiative_ids=[instance.pk]), using=using)


def initiative_deleting(sender, instance, using, **kwargs):
    # Its links go without signals: note its cities while they are known.
    peer_cities_touch(city_ids=cities_of(initiative_ids=[instance.pk]), using=using)


def source_deleting(sender, instance, using, **kwargs):
    initiative_ids = Initiative.sources.through.objects.filter(
        source_id=instance.pk
    ).values("initiative_id")
    peer_cities_touch(city_ids=cities_of(initiative_ids=initiative_ids), using=using)


def topic_deleted(sender, instance, **kwargs):
    kind = PeerCount.Kind.GOAL if sender is Goal else PeerCount.Kind.CHALLENGE
    PeerCount.objects.filter(kind=kind, topic_id=instance.pk).delete()


def city_saved(sender, instance, using, **kwargs):
    # Its name, slug or member state are copied into its rows.
    peer_cities_touch(city_ids=[instance.pk], using=using)


def links_changed(sender, instance, action, reverse, pk_set, using, **kwargs):
    """An initiative's cities, challenges, goals or sources changed (from either
    side of the link). Before a clear, the links about to go; after an addition
    or a removal, the links as they are, plus the cities added or removed."""
    if action not in {"pre_clear", "post_add", "post_remove", "post_clear"}:
        return
    if not reverse:  # instance is an initiative; pk_set its cities, topics...
        city_ids = cities_of(initiative_ids=[instance.pk])
        if sender is CITY_LINKS:
            city_ids |= set(pk_set or ())
    elif sender is CITY_LINKS:  # instance is a city; pk_set initiatives
        city_ids = {instance.pk}
    elif pk_set is None:  # a clear from the topic's or source's side
        field = LINKS[sender]
        initiative_ids = sender.objects.filter(**{field: instance.pk}).values(
            "initiative_id"
        )
        city_ids = cities_of(initiative_ids=initiative_ids)
    else:
        city_ids = cities_of(initiative_ids=pk_set)
    peer_cities_touch(city_ids=city_ids, using=using)


def connect_peer_counts():
    uid = "peer-counts"
    post_save.connect(initiative_saved, sender=Initiative, dispatch_uid=f"{uid}-i")
    pre_delete.connect(initiative_deleting, sender=Initiative, dispatch_uid=f"{uid}-id")
    pre_delete.connect(source_deleting, sender=Source, dispatch_uid=f"{uid}-s")
    post_save.connect(city_saved, sender=City, dispatch_uid=f"{uid}-c")
    for topic in (Goal, Challenge):
        post_delete.connect(
            topic_deleted, sender=topic, dispatch_uid=f"{uid}-{topic.__name__}"
        )
    for through, name in LINKS.items():
        m2m_changed.connect(links_changed, sender=through, dispatch_uid=f"{uid}-{name}")
