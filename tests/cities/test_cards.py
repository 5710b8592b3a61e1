"""The initiatives library's cards are written in Python (cities/cards.py): they
must give what the template markup they replaced gives, byte for byte, whatever
the text holds."""

from types import SimpleNamespace

import pytest
from django.template import Context, Template

from cities.cards import initiative_card_html
from cities.selectors import LinkedRecord

# The card as the template wrote it before cities/cards.py.
TEMPLATE_CARD = Template(
    '<article class="card">\n'
    '        <h3><a href="{{ initiative.get_absolute_url }}">{{ initiative.name }}'
    "</a></h3>\n"
    '        <p class="muted">{% for runner in initiative.runners %}<a href="'
    '{{ runner.get_absolute_url }}">{{ runner.name }}</a>, '
    "{{ runner.member_state_name }}{% if not forloop.last %}; {% endif %}"
    "{% endfor %}{% if initiative.year %} · first reported {{ initiative.year }}"
    "{% endif %}</p>\n"
    '        <p><span class="status status-{{ initiative.status }}">'
    "{{ initiative.status_text }}</span> · {% for goal in initiative.goal_names %}"
    "{{ goal }}{% if not forloop.last %}, {% endif %}{% empty %}goal not stated"
    "{% endfor %}</p>\n"
    "        <p>Partner: {% for partner in initiative.partner_links %}"
    '<a href="{{ partner.get_absolute_url }}">{{ partner.name }}</a>; '
    '{% endfor %}{{ initiative.partner_text|default:"none named yet" }}</p>\n'
    "      </article>"
)

HOSTILE = '<b>Ma & Pa\'s "plan"</b>'


def card(**fields):
    defaults = {
        "slug": "a-plan",
        "name": "A plan",
        "runners": [],
        "year": None,
        "status": "ongoing",
        "status_text": "Ongoing",
        "goal_names": [],
        "partner_links": [],
        "partner_text": "",
    }
    defaults.update(fields)
    initiative = SimpleNamespace(**defaults)
    initiative.get_absolute_url = lambda: f"/initiatives/{initiative.slug}/"
    return initiative


@pytest.mark.parametrize(
    "fields",
    [
        {},
        {
            "name": HOSTILE,
            "runners": [
                LinkedRecord("cities:city-detail", "a", HOSTILE, HOSTILE),
                LinkedRecord("cities:city-detail", "b", "Bee", "State"),
            ],
            "year": 2019,
            "status_text": HOSTILE,
            "goal_names": [HOSTILE, "Quality Environment"],
            "partner_links": [
                LinkedRecord("cities:partner-detail", "p", HOSTILE),
                LinkedRecord("cities:partner-detail", "q", "Second"),
            ],
            "partner_text": HOSTILE,
        },
        {"runners": [LinkedRecord("cities:city-detail", "c", "Sea", "")]},
        {"year": 0, "partner_text": None, "goal_names": ["One"]},
    ],
)
def test_a_card_is_what_the_template_wrote(db, fields):
    initiative = card(**fields)
    expected = TEMPLATE_CARD.render(Context({"initiative": initiative}))
    assert initiative_card_html(initiative) == expected
