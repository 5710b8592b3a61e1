"""The goal and challenge pages: one flow for both kinds of topic.

Goals and challenges are the framework's records, but their pages list the cities
and initiatives linked to them and rank peers, so the pages sit here, above
`framework`. Their URL names keep the `framework:` namespace (ascn_portal/urls.py).
"""

from django.shortcuts import get_object_or_404, render

from framework.http import public_page
from framework.models import Challenge, Goal

from . import cards, peers, selectors

# For each kind of topic: its model and the topics of the other kind it links to.
TOPICS = {
    "goal": {"model": Goal, "related": "challenges"},
    "challenge": {"model": Challenge, "related": "goals"},
}


def topic_list(request, *, kind):
    """Every goal or challenge, with how many cities and initiatives link to it."""
    city_counts = selectors.topic_counts(kind=kind, linked="cities")
    initiative_counts = selectors.topic_counts(kind=kind, linked="initiatives")
    topics = list(
        TOPICS[kind]["model"].objects.prefetch_related(TOPICS[kind]["related"])
    )
    for topic in topics:
        topic.city_count = city_counts.get(topic.pk, 0)
        topic.initiative_count = initiative_counts.get(topic.pk, 0)
    return render(request, f"framework/{kind}_list.html", {f"{kind}s": topics})


def topic_initiative_items(kind, topic, count):
    """A topic page's initiatives (selectors.topic_initiatives), each with its
    list item written by cities/cards.py: a challenge page's rows with their
    descriptions (`row_html`), a goal page's short items (`item_html`)."""
    initiatives = selectors.topic_initiatives(topic=topic, count=count)
    for initiative in initiatives:
        if kind == "challenge":
            initiative.row_html = cards.initiative_row_html(initiative)
        else:
            initiative.item_html = cards.initiative_item_html(initiative)
    return initiatives


def topic_detail(request, *, kind, slug):
    """One goal or challenge: its sources, linked topics, cities, initiatives and
    peer cities. A challenge page also names the cities related to it only through
    a goal, apart from the peers (cities.peers says why)."""
    related = TOPICS[kind]["related"]
    topic = get_object_or_404(
        TOPICS[kind]["model"].objects.prefetch_related("sources", related), slug=slug
    )
    related_topics = list(getattr(topic, related).all())
    initiative_count = selectors.topic_counts(kind=kind, linked="initiatives").get(
        topic.pk, 0
    )
    context = {
        kind: topic,
        related: related_topics,
        "cities": selectors.topic_cities(topic=topic),
        "city_count": selectors.topic_counts(kind=kind, linked="cities").get(
            topic.pk, 0
        ),
        "initiatives": topic_initiative_items(kind, topic, initiative_count),
        "initiative_count": initiative_count,
    }
    if kind == "challenge":
        context["cities_html"] = cards.challenge_cities_html(context["cities"])
    else:
        context["cities_html"] = cards.goal_cities_html(context["cities"])
    context["peers"] = peers.peers_for_topic(topic=topic, kind=kind)
    context["peers_html"] = cards.peers_html(context["peers"])
    context["peers_per_topic"] = peers.PEERS_PER_TOPIC
    if kind == "challenge":
        context["goal_only"] = peers.goal_only_cities(
            challenge=topic, goals=related_topics
        )
    return render(request, f"framework/{kind}_detail.html", context)


@public_page
def goal_list(request):
    return topic_list(request, kind="goal")


@public_page
def goal_detail(request, slug):
    return topic_detail(request, kind="goal", slug=slug)


@public_page
def challenge_list(request):
    return topic_list(request, kind="challenge")


@public_page
def challenge_detail(request, slug):
    return topic_detail(request, kind="challenge", slug=slug)
