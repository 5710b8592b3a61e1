"""The initiatives library's cards as HTML, written in Python once per request.

The template language costs some 0.2-0.3 ms a card (a dozen variables, three
loops): 5-9 ms of the initiatives list's 30 cards, the largest share of the page.
`initiative_card_html` writes the same markup, byte for byte, in a few µs a card
(as cities/facets.py does for the filter panel's options), from what
selectors.initiative_cards read. templates/cities/initiative_list.html shows a
card's markup in its comment.
"""

from django.utils.html import conditional_escape as esc
from django.utils.safestring import mark_safe


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
