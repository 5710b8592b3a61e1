"""The initiatives library's cards are written in Python (cities/cards.py): they
must give what the template markup they replaced gives, byte for byte, whatever
the text holds."""

from types import SimpleNamespace

import pytest
from django.template import Context, Template

from cities.cards import initiative_card_html, peers_html
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


# The peers block as includes/peers.html wrote it before cities/cards.peers_html.
TEMPLATE_PEERS = Template(
    "{% comment %}Peer cities for one topic.{% endcomment %}\n"
    "{% if topic_peers %}\n"
    '<ol class="peers">\n'
    "  {% for peer in topic_peers %}\n"
    "  <li>\n"
    '    <a href="{{ peer.city.get_absolute_url }}">{{ peer.city.name }}</a> '
    '<span class="muted">({{ peer.city.member_state.name }})</span>'
    '{% if peer.joint_cities %} <span class="muted">— run jointly with '
    '{% for other in peer.joint_cities %}<a href="{{ other.get_absolute_url }}">'
    "{{ other.name }}</a>{% if not forloop.last %}, {% endif %}{% endfor %}</span>"
    "{% endif %}\n"
    "    <p>{{ peer.reason }}</p>\n"
    "    <ul>\n"
    "      {% for initiative in peer.initiatives %}\n"
    '      <li><a href="{{ initiative.get_absolute_url }}">{{ initiative.name }}</a> '
    '<span class="status status-{{ initiative.status }}">{{ initiative.status_text }}'
    '</span>{% if initiative.year %} <span class="muted">({{ initiative.year }})'
    "</span>{% endif %}</li>\n"
    "      {% endfor %}\n"
    "    </ul>\n"
    "  </li>\n"
    "  {% endfor %}\n"
    "</ol>\n"
    "{% else %}\n"
    '<p class="muted no-peers">No {% if for_city %}other {% endif %}city has '
    "documented initiatives on this yet.</p>\n"
    "{% endif %}\n"
)


def peer_city(slug, name, state):
    city = SimpleNamespace(
        slug=slug, name=name, member_state=SimpleNamespace(name=state)
    )
    city.get_absolute_url = lambda: f"/cities/{slug}/"
    return city


def peer(city, *, initiatives=(), joint=(), reason="Reason."):
    return SimpleNamespace(
        city=city,
        initiatives=list(initiatives),
        joint_cities=list(joint),
        reason=reason,
    )


@pytest.mark.parametrize("for_city", [False, True])
@pytest.mark.parametrize(
    "topic_peers",
    [
        [],
        [peer(peer_city("a", "Ay", "State"))],
        [
            peer(
                peer_city("h", HOSTILE, HOSTILE),
                initiatives=[
                    card(name=HOSTILE, status_text=HOSTILE, year=2019),
                    card(slug="b", year=0),
                    card(slug="c", year=None, status="planned"),
                ],
                joint=[peer_city("j", HOSTILE, "S"), peer_city("k", "Kay", "S")],
                reason=HOSTILE,
            ),
            peer(peer_city("z", "Zed", "Other"), joint=[peer_city("y", "Why", "S")]),
        ],
    ],
)
def test_a_peers_block_is_what_the_template_wrote(topic_peers, for_city):
    expected = TEMPLATE_PEERS.render(
        Context({"topic_peers": topic_peers, "for_city": for_city})
    )
    assert peers_html(topic_peers, for_city=for_city) == expected
