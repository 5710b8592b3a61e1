"""Keep the peer table (PeerCount, cities/services.py) up to date on every edit.

Each receiver names the cities whose peer rows an edit may change: the cities
running the initiative saved, deleted or relinked (before the change, for a
removal, and after it, for an addition). Their rows are recomputed once the edit's
transaction commits, all together (an admin save sends a signal per link field),
and the content version is renewed after that, so no page rendered from the old
rows is kept as current. A rolled-back edit queues nothing, so it leaves the table
as it was.

A deleted initiative's links go without signals, so its cities are noted in
pre_delete and touched in post_delete (as a clear's are noted before it and
touched after). A deleted city's rows go with it by the foreign key. Goals,
challenges and sources cannot be deleted while an initiative links to them
(framework/protection.py), so their deletion changes no row.
"""

from django.db import connections
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

from framework import cache

from .models import City, Initiative
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
        # Once run, it takes no more cities: a later edit queues its own.
        city_ids, refresh.peer_city_ids = refresh.peer_city_ids, None
        peer_counts_refresh(city_ids=city_ids)
        # Pages rendered between the edit's own version bump and this refresh
        # hold the old rows: make them stale too.
        cache.bump_version()

    refresh.peer_city_ids = city_ids
    # Through the module, as the cache's own bump: tests run it at once.
    cache.after_commit(refresh, using=using)


# Cities noted before a deletion or a clear, touched once it is done (when the
# refresh may run at once, outside a transaction).
NOTED = "_peer_city_ids"


def note_cities(instance, city_ids):
    setattr(instance, NOTED, getattr(instance, NOTED, set()) | set(city_ids))


def touch_noted(instance, *, using):
    peer_cities_touch(city_ids=instance.__dict__.pop(NOTED, set()), using=using)


def initiative_saved(sender, instance, using, **kwargs):
    # Its status may have changed: every city running it ranks anew.
    peer_cities_touch(city_ids=cities_of(initiative_ids=[instance.pk]), using=using)


def initiative_deleting(sender, instance, **kwargs):
    # Its links go without signals: note its cities while they are known.
    note_cities(instance, cities_of(initiative_ids=[instance.pk]))


def noted_deleted(sender, instance, using, **kwargs):
    touch_noted(instance, using=using)


def city_saved(sender, instance, using, **kwargs):
    # Its name, slug or member state are copied into its rows.
    peer_cities_touch(city_ids=[instance.pk], using=using)


def links_changed(sender, instance, action, reverse, pk_set, using, **kwargs):
    """An initiative's cities, challenges, goals or sources changed (from either
    side of the link). Before a clear, the cities of the links about to go are
    noted; after it, and after an addition or a removal, they are touched with
    the cities of the links as they are and the cities added or removed."""
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
    note_cities(instance, city_ids)
    if action != "pre_clear":
        touch_noted(instance, using=using)


def connect_peer_counts():
    uid = "peer-counts"
    post_save.connect(initiative_saved, sender=Initiative, dispatch_uid=f"{uid}-i")
    pre_delete.connect(initiative_deleting, sender=Initiative, dispatch_uid=f"{uid}-id")
    post_delete.connect(noted_deleted, sender=Initiative, dispatch_uid=f"{uid}-idd")
    post_save.connect(city_saved, sender=City, dispatch_uid=f"{uid}-c")
    for through, name in LINKS.items():
        m2m_changed.connect(links_changed, sender=through, dispatch_uid=f"{uid}-{name}")
