"""Initiatives in lists as HTML, written in Python: the initiatives library's
cards, and the goal and challenge pages' list items.

The template language costs some 0.15-0.3 ms an item (a dozen variables, loops
over the cities running it and its goals and partners): 5-9 ms of the 30 cards
of the initiatives list, and of the 50 items of a goal or challenge page, the
largest share of those pages. These functions write the same markup, byte for
byte, in a few µs an item (as cities/facets.py does for the filter panel's
options), from what selectors.initiative_cards and topic_initiatives read;
tests/cities/test_cards.py compares them with the template markup they replace.
templates/cities/initiative_list.html shows a card's markup in its comment.
"""

import functools

from django.contrib.humanize.templatetags.humanize import intcomma
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from framework.markup import esc


def initiative_card_html(initiative):
    """One card: name, the cities running it with their member states, the year
    first reported, the status in the source's words, the goals, the partners."""
    runners = "; ".join(
        f'<a href="{esc(runner.get_absolute_url())}">{esc(runner.name)}</a>, '
        f"{esc(runner.member_state_name)}"
        for runner in initiative.runners
    )
    year = f" · first reported {esc(initiative.year)}" if initiative.year else ""
    goals = ", ".join(esc(goal) for goal in initiative.goal_names)
    partners = "".join(
        f'<a href="{esc(partner.get_absolute_url())}">{esc(partner.name)}</a>; '
        for partner in initiative.partner_links
    )
    return mark_safe(
        '<article class="card">\n'
        f'        <h3><a href="{esc(initiative.get_absolute_url())}">'
        f"{esc(initiative.name)}</a></h3>\n"
        f'        <p class="muted">{runners}{year}</p>\n'
        f'        <p><span class="status status-{esc(initiative.status)}">'
        f"{esc(initiative.status_text)}</span> · {goals or 'goal not stated'}</p>\n"
        f"        <p>Partner: {partners}"
        f"{esc(initiative.partner_text or 'none named yet')}</p>\n"
        "      </article>"
    )


@functools.cache
def unverified_html():
    """The "unverified" mark (includes/unverified.html), rendered once."""
    return render_to_string("includes/unverified.html")


def initiative_row_html(initiative):
    """What one item of includes/initiative_rows.html holds (the goal and
    challenge pages' initiative lists): name, the cities running it with their
    member states, the status in the source's words, the year first reported,
    and the description with the source it summarises."""
    runners = ", ".join(
        f'<a href="{esc(runner.get_absolute_url())}">{esc(runner.name)}</a> '
        f"({esc(runner.member_state_name)})"
        for runner in initiative.runners
    )
    if len(initiative.runners) > 1:
        runners += ' <span class="muted">(run jointly)</span>'
    if initiative.year:
        year = f"First reported {esc(initiative.year)}"
        if "year" in (initiative.unverified or ()):
            year += f" {unverified_html()}"
    else:
        year = "Year not recorded"
    if initiative.description:
        source = initiative.description_source
        cited = (
            f' <span class="muted">(Description: a summary of <a href="'
            f'{esc(source.url)}" rel="noopener external">{esc(source.label)}</a>.)'
            "</span>"
            if source
            else ""
        )
        description = f"<p>{esc(initiative.description)}{cited}</p>\n    "
    else:
        description = '<p class="muted">No description recorded.</p>'
    url = esc(initiative.get_absolute_url())
    return mark_safe(
        "\n"
        f'    <h3 class="initiative-name"><a href="{url}">'
        f"{esc(initiative.name)}</a></h3>\n"
        f'    <p class="initiative-meta">{runners}\n'
        f'      · Status: <span class="status status-{esc(initiative.status)}">'
        f"{esc(initiative.status_text)}</span>\n"
        f"      · {year}</p>\n"
        f"    {description}\n"
        "  "
    )


def initiative_item_html(initiative):
    """One item of a goal page's list of initiatives: its name, the cities
    running it and its status in the source's words."""
    runners = ", ".join(esc(runner.name) for runner in initiative.runners)
    return mark_safe(
        f'<li><a href="{esc(initiative.get_absolute_url())}">{esc(initiative.name)}'
        f"</a> — {runners} "
        f'<span class="status status-{esc(initiative.status)}">'
        f"{esc(initiative.status_text)}</span></li>"
    )


def peers_html(topic_peers, *, for_city=False):
    """The peer cities of one topic (cities.peers.Peer, best first): each city
    with its member state, the cities it runs the evidence jointly with, the
    ranking's reason and its initiatives on the topic; or the sentence saying
    there is none. `for_city`: on a city's profile, where the others are "other"
    cities. Seven such blocks make a profile's peers section, one a goal's or a
    challenge's."""
    if not topic_peers:
        other = "other " if for_city else ""
        return mark_safe(
            f'\n\n<p class="muted no-peers">No {other}city has documented '
            "initiatives on this yet.</p>\n\n"
        )
    return mark_safe(
        '\n\n<ol class="peers">\n  '
        + "".join(_peer_html(peer) for peer in topic_peers)
        + "\n</ol>\n\n"
    )


def _peer_html(peer):
    city = peer.city
    joint = ""
    if peer.joint_cities:
        others = ", ".join(
            f'<a href="{esc(other.get_absolute_url())}">{esc(other.name)}</a>'
            for other in peer.joint_cities
        )
        joint = f' <span class="muted">— run jointly with {others}</span>'
    items = "".join(
        f'\n      <li><a href="{esc(initiative.get_absolute_url())}">'
        f"{esc(initiative.name)}</a> "
        f'<span class="status status-{esc(initiative.status)}">'
        f"{esc(initiative.status_text)}</span>"
        + (
            f' <span class="muted">({esc(initiative.year)})</span>'
            if initiative.year
            else ""
        )
        + "</li>\n      "
        for initiative in peer.initiatives
    )
    # After the list, which holds only the initiatives shown.
    all_url = getattr(peer, "all_url", "")  # a Peer kept before it had one: none
    more = ""
    if all_url:
        more = (
            f'    <p class="muted all-initiatives"><a href="{esc(all_url)}">All '
            f"{peer.initiative_count} of {esc(city.name)}'s initiatives on this"
            "</a></p>\n"
        )
    return (
        f'\n  <li>\n    <a href="{esc(city.get_absolute_url())}">{esc(city.name)}</a>'
        f' <span class="muted">({esc(city.member_state.name)})</span>{joint}\n'
        f"    <p>{esc(peer.reason)}</p>\n"
        f"    <ul>\n      {items}\n    </ul>\n{more}  </li>\n  "
    )


def city_card_html(city, *, compare_slugs):
    """What one item of the city list (cities/city_list.html) holds: the card
    (name, member state, year joined, pilot, population and size class, goals)
    and the box that picks the city to compare (ticked when its slug is in
    `compare_slugs`). Reads what selectors.city_cards sets (`goal_names`)."""
    name = esc(city.name)
    slug = esc(city.slug)
    unverified = (
        ' <span class="unverified">(year unverified)</span>'
        if city.cohort_unverified
        else ""
    )
    pilot = " · pilot city" if city.is_pilot else ""
    if city.population:
        size = city.size_class
        mark = (
            f" {unverified_html()}" if "population" in (city.unverified or ()) else ""
        )
        population = (
            f"Population {esc(intcomma(city.population))} "
            f"({esc(city.population_year or 'year unknown')}){mark} · "
            f"{esc(size.label if size else '')} "
            f'<span class="muted">({esc(size.description if size else "")})</span>'
        )
    else:
        population = "Population not recorded"
    goals = ""
    if city.goal_names:
        goals = (
            '<p class="card-goals">Goals: <span>'
            + " · ".join(esc(goal) for goal in city.goal_names)
            + "</span></p>"
        )
    checked = " checked" if city.slug in compare_slugs else ""
    return mark_safe(
        '\n          <article class="card">\n'
        f'            <h3><a href="{esc(city.get_absolute_url())}">{name}</a></h3>\n'
        f'            <p class="muted">{esc(city.member_state.name)} · joined '
        f"{esc(city.cohort_year)}{unverified}{pilot}</p>\n"
        f"            <p>{population}</p>\n"
        f"            {goals}\n"
        "          </article>\n"
        '          <div class="compare-pick"><input type="checkbox" name="compare" '
        f'value="{slug}" id="cmp-{slug}" data-name="{name}"{checked}>'
        f'<label for="cmp-{slug}">Compare {name}</label></div>\n        '
    )


def profile_initiative_row_html(initiative, *, city_slug):
    """One row of a city profile's table of initiatives: its name (and the other
    cities running it), goals, status in the source's words, year first reported,
    partners, and the source it comes from (its primary source, else its first
    source). Reads what selectors.profile_initiatives sets."""
    others = ""
    if len(initiative.runners) > 1:
        names = ", ".join(
            esc(runner.name)
            for runner in initiative.runners
            if runner.slug != city_slug
        )
        others = f'<br><span class="muted">run jointly with {names}</span>'
    goals = (
        ", ".join(esc(goal) for goal in initiative.goal_names)
        or '<span class="muted">not stated</span>'
    )
    year = esc(initiative.year or "—")
    if "year" in (initiative.unverified or ()):
        year += f" {unverified_html()}"
    partners = "".join(
        f'<a href="{esc(partner.get_absolute_url())}">{esc(partner.name)}</a><br>'
        for partner in initiative.partner_links
    )
    source = initiative.primary_source or next(iter(initiative.sources.all()), None)
    cited = (
        f'<a href="{esc(source.url)}" rel="noopener external">{esc(source.label)}</a>'
        if source
        else ""
    )
    return mark_safe(
        "<tr>\n"
        f'        <th scope="row"><a href="{esc(initiative.get_absolute_url())}">'
        f"{esc(initiative.name)}</a>{others}</th>\n"
        f'        <td data-label="Goals">{goals}</td>\n'
        '        <td data-label="Status (source\'s words)">'
        f'<span class="status status-{esc(initiative.status)}">'
        f"{esc(initiative.status_text)}</span></td>\n"
        f'        <td data-label="First reported">{year}</td>\n'
        f'        <td data-label="Partner">{partners}'
        f"{esc(initiative.partner_text or 'None named')}</td>\n"
        f'        <td data-label="Source">{cited}</td>\n'
        "      </tr>"
    )


def challenge_cities_html(cities):
    """The items of a challenge page's list of the cities facing it: each city
    with its member state."""
    return mark_safe(
        "".join(
            f'<li><a href="{esc(city.get_absolute_url())}">{esc(city.name)}</a> '
            f"({esc(city.member_state.name)})</li>"
            for city in cities
        )
    )


def goal_cities_html(cities):
    """A goal page's line of the cities that prioritise it, or "None
    recorded."."""
    return mark_safe(
        ", ".join(
            f'<a href="{esc(city.get_absolute_url())}">{esc(city.name)}</a>'
            for city in cities
        )
        or "None recorded."
    )
