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


# An item of includes/initiative_rows.html as the template wrote it.
TEMPLATE_ROW = Template(
    """{% for initiative in initiatives %}
  <li>
    <h3 class="initiative-name"><a href="{{ initiative.get_absolute_url }}">{{ initiative.name }}</a></h3>
    <p class="initiative-meta">{% for runner in initiative.runners %}<a href="{{ runner.get_absolute_url }}">{{ runner.name }}</a> ({{ runner.member_state_name }}){% if not forloop.last %}, {% endif %}{% endfor %}{% if initiative.runners|length > 1 %} <span class="muted">(run jointly)</span>{% endif %}
      · Status: <span class="status status-{{ initiative.status }}">{{ initiative.status_text }}</span>
      · {% if initiative.year %}First reported {{ initiative.year }}{% if "year" in initiative.unverified %} {% include "includes/unverified.html" %}{% endif %}{% else %}Year not recorded{% endif %}</p>
    {% if initiative.description %}<p>{{ initiative.description }}{% if initiative.description_source %} <span class="muted">(Description: a summary of <a href="{{ initiative.description_source.url }}" rel="noopener external">{{ initiative.description_source.label }}</a>.)</span>{% endif %}</p>
    {% else %}<p class="muted">No description recorded.</p>{% endif %}
  </li>
  {% endfor %}"""  # noqa: E501
)
NEW_ROW = Template(
    "{% for initiative in initiatives %}\n  <li>{{ initiative.row_html }}</li>\n"
    "  {% endfor %}"
)
# An item of a goal page's list as the template wrote it.
TEMPLATE_ITEM = Template(
    '<li><a href="{{ initiative.get_absolute_url }}">{{ initiative.name }}</a> — '
    "{% for runner in initiative.runners %}{{ runner.name }}"
    "{% if not forloop.last %}, {% endif %}{% endfor %} "
    '<span class="status status-{{ initiative.status }}">'
    "{{ initiative.status_text }}</span></li>"
)

SOURCE = SimpleNamespace(url="https://example.org/a?b=1&c=<2>", label=HOSTILE)
RUNNERS = [
    LinkedRecord("cities:city-detail", "a", HOSTILE, HOSTILE),
    LinkedRecord("cities:city-detail", "b", "Bee", "State"),
]
ROW_CASES = [
    {"unverified": [], "description": "", "description_source": None},
    {
        "name": HOSTILE,
        "runners": RUNNERS,
        "year": 2019,
        "unverified": ["year", "status"],
        "status_text": HOSTILE,
        "description": HOSTILE,
        "description_source": SOURCE,
    },
    {
        "runners": RUNNERS[1:],
        "year": 2021,
        "unverified": None,
        "description": "Plain text.",
        "description_source": None,
    },
]


@pytest.mark.parametrize("fields", ROW_CASES)
def test_a_topic_row_and_item_are_what_the_templates_wrote(db, fields):
    from cities.cards import initiative_item_html, initiative_row_html

    initiative = card(**fields)
    expected = TEMPLATE_ROW.render(Context({"initiatives": [initiative]}))
    initiative.row_html = initiative_row_html(initiative)
    assert NEW_ROW.render(Context({"initiatives": [initiative]})) == expected
    expected = TEMPLATE_ITEM.render(Context({"initiative": initiative}))
    assert initiative_item_html(initiative) == expected
