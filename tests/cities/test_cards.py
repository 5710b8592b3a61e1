"""The initiatives library's cards are written in Python (cities/cards.py): they
must give what the template markup they replaced gives, byte for byte, whatever
the text holds."""

from types import SimpleNamespace

import pytest
from django.template import Context, Template

from cities.cards import (
    challenge_cities_html,
    city_card_html,
    goal_cities_html,
    initiative_card_html,
    peers_html,
    profile_initiative_row_html,
)
from cities.selectors import LinkedRecord
from cities.sizes import size_class_for

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
    '{% if peer.all_url %}    <p class="muted all-initiatives">'
    '<a href="{{ peer.all_url }}">'
    "All {{ peer.initiative_count }} of {{ peer.city.name }}'s initiatives on this"
    "</a></p>\n{% endif %}"
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


def peer(city, *, initiatives=(), joint=(), reason="Reason.", count=0, all_url=""):
    return SimpleNamespace(
        city=city,
        initiatives=list(initiatives),
        joint_cities=list(joint),
        reason=reason,
        initiative_count=count,
        all_url=all_url,
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
            peer(
                peer_city("m", HOSTILE, "S"),
                initiatives=[card(slug="d"), card(slug="e"), card(slug="f")],
                count=7,
                all_url='/initiatives/?city=m&goal=<x>"',
            ),
        ],
    ],
)
def test_a_peers_block_is_what_the_template_wrote(topic_peers, for_city):
    expected = TEMPLATE_PEERS.render(
        Context({"topic_peers": topic_peers, "for_city": for_city})
    )
    assert peers_html(topic_peers, for_city=for_city) == expected


# A city list's item as cities/city_list.html wrote it before
# cities/cards.city_card_html.
TEMPLATE_CITY = Template(
    "{% load humanize %}"
    '\n          <article class="card">\n'
    '            <h3><a href="{{ city.get_absolute_url }}">{{ city.name }}</a></h3>\n'
    '            <p class="muted">{{ city.member_state.name }} · joined '
    "{{ city.cohort_year }}{% if city.cohort_unverified %} "
    '<span class="unverified">(year unverified)</span>{% endif %}'
    "{% if city.is_pilot %} · pilot city{% endif %}</p>\n"
    "            <p>{% if city.population %}Population "
    "{{ city.population|intcomma }} "
    '({{ city.population_year|default:"year unknown" }})'
    '{% if "population" in city.unverified %} {% include "includes/unverified.html" %}'
    "{% endif %} · "
    '{{ city.size_class.label }} <span class="muted">'
    "({{ city.size_class.description }})</span>{% else %}Population not recorded"
    "{% endif %}</p>\n"
    '            {% if city.goal_names %}<p class="card-goals">Goals: <span>'
    "{% for goal in city.goal_names %}{{ goal }}{% if not forloop.last %} · "
    "{% endif %}{% endfor %}</span></p>{% endif %}\n"
    "          </article>\n"
    '          <div class="compare-pick"><input type="checkbox" name="compare" '
    'value="{{ city.slug }}" id="cmp-{{ city.slug }}" data-name="{{ city.name }}"'
    "{% if city.slug in compare_slugs %} checked{% endif %}>"
    '<label for="cmp-{{ city.slug }}">Compare {{ city.name }}</label></div>\n'
    "        "
)


def list_city(**fields):
    defaults = {
        "slug": "a-city",
        "name": "A city",
        "member_state": SimpleNamespace(name="A state"),
        "cohort_year": 2018,
        "cohort_unverified": False,
        "is_pilot": False,
        "population": None,
        "population_year": None,
        "goal_names": [],
        "unverified": [],
    }
    defaults.update(fields)
    city = SimpleNamespace(**defaults)
    city.size_class = size_class_for(city.population)
    city.get_absolute_url = lambda: f"/cities/{city.slug}/"
    return city


@pytest.mark.parametrize("compare_slugs", [set(), {"a-city"}, {"other"}])
@pytest.mark.parametrize(
    "fields",
    [
        {},
        {
            "name": HOSTILE,
            "slug": "h&<",
            "member_state": SimpleNamespace(name=HOSTILE),
            "cohort_year": 2020,
            "cohort_unverified": True,
            "is_pilot": True,
            "population": 10_562_088,
            "population_year": 2020,
            "goal_names": [HOSTILE, "Quality Environment"],
        },
        {"population": 499_999, "population_year": None, "goal_names": ["One"]},
        {"population": 1_700_000, "unverified": ["population", "area_km2"]},
        {"population": None, "unverified": ["population"]},
        {"population": 0, "cohort_year": None},
        {"population": -5, "population_year": 2001},
        {"population": 1_000_000, "population_year": 0},
    ],
)
def test_a_city_item_is_what_the_template_wrote(fields, compare_slugs):
    city = list_city(**fields)
    expected = TEMPLATE_CITY.render(
        Context({"city": city, "compare_slugs": compare_slugs})
    )
    assert city_card_html(city, compare_slugs=compare_slugs) == expected


# A row of a profile's initiatives table as cities/city_detail.html wrote it
# before cities/cards.profile_initiative_row_html (which also drops the ", " the
# template left after the other cities when the profile's city came last).
TEMPLATE_PROFILE_ROW = Template(
    '<tr>\n        <th scope="row"><a href="{{ initiative.get_absolute_url }}">'
    "{{ initiative.name }}</a>{% if initiative.runners|length > 1 %}<br>"
    '<span class="muted">run jointly with {% for runner in initiative.runners %}'
    "{% if runner.slug != city.slug %}{{ runner.name }}{% if not forloop.last %}, "
    "{% endif %}{% endif %}{% endfor %}</span>{% endif %}</th>\n"
    '        <td data-label="Goals">{% for goal in initiative.goal_names %}{{ goal }}'
    '{% if not forloop.last %}, {% endif %}{% empty %}<span class="muted">not stated'
    "</span>{% endfor %}</td>\n"
    '        <td data-label="Status (source\'s words)"><span class="status '
    'status-{{ initiative.status }}">{{ initiative.status_text }}</span></td>\n'
    '        <td data-label="First reported">{{ initiative.year|default:"—" }}'
    '{% if "year" in initiative.unverified %} {% include "includes/unverified.html" %}'
    "{% endif %}</td>\n"
    '        <td data-label="Partner">{% for partner in initiative.partner_links %}'
    '<a href="{{ partner.get_absolute_url }}">{{ partner.name }}</a><br>{% endfor %}'
    '{{ initiative.partner_text|default:"None named" }}</td>\n'
    '        <td data-label="Source">{% if initiative.primary_source %}<a href="'
    '{{ initiative.primary_source.url }}" rel="noopener external">'
    "{{ initiative.primary_source.label }}</a>{% else %}"
    "{% with source=initiative.sources.all|first %}{% if source %}"
    '<a href="{{ source.url }}" rel="noopener external">{{ source.label }}</a>'
    "{% endif %}{% endwith %}{% endif %}</td>\n"
    "      </tr>"
)


def profile_row(*, sources=(), **fields):
    initiative = card(**{"unverified": None, "primary_source": None, **fields})
    initiative.sources = SimpleNamespace(all=lambda: list(sources))
    return initiative


SOURCE = SimpleNamespace(url="https://example.org/a?b=1&c=2", label=HOSTILE)
OTHER_SOURCE = SimpleNamespace(url="https://example.org/other", label="Other")


@pytest.mark.parametrize(
    "fields",
    [
        {},
        {
            "name": HOSTILE,
            "runners": [
                LinkedRecord("cities:city-detail", "here", "Here", "S"),
                LinkedRecord("cities:city-detail", "b", HOSTILE, "S"),
                LinkedRecord("cities:city-detail", "c", "Sea", "S"),
            ],
            "goal_names": [HOSTILE, "Two"],
            "status_text": HOSTILE,
            "year": 2019,
            "unverified": ["year", "status"],
            "partner_links": [
                LinkedRecord("cities:partner-detail", "p", HOSTILE),
                LinkedRecord("cities:partner-detail", "q", "Second"),
            ],
            "partner_text": HOSTILE,
            "primary_source": SOURCE,
            "sources": [OTHER_SOURCE],
        },
        {"year": None, "unverified": ["year"], "sources": [SOURCE, OTHER_SOURCE]},
        {"year": 0, "unverified": [], "partner_text": None},
        {"runners": [LinkedRecord("cities:city-detail", "here", "Here", "S")]},
    ],
)
def test_a_profile_row_is_what_the_template_wrote(db, fields):
    initiative = profile_row(**fields)
    expected = TEMPLATE_PROFILE_ROW.render(
        Context({"initiative": initiative, "city": SimpleNamespace(slug="here")})
    )
    assert profile_initiative_row_html(initiative, city_slug="here") == expected


def test_a_profile_row_names_the_other_cities_without_a_trailing_comma():
    initiative = profile_row(
        runners=[
            LinkedRecord("cities:city-detail", "a", "Ay", "S"),
            LinkedRecord("cities:city-detail", "b", "Bee", "S"),
            LinkedRecord("cities:city-detail", "here", "Here", "S"),
        ]
    )
    html = profile_initiative_row_html(initiative, city_slug="here")
    assert '<span class="muted">run jointly with Ay, Bee</span>' in html


TEMPLATE_CHALLENGE_CITIES = Template(
    '{% for city in cities %}<li><a href="{{ city.get_absolute_url }}">'
    "{{ city.name }}</a> ({{ city.member_state.name }})</li>{% endfor %}"
)
TEMPLATE_GOAL_CITIES = Template(
    '{% for city in cities %}<a href="{{ city.get_absolute_url }}">{{ city.name }}'
    "</a>{% if not forloop.last %}, {% endif %}{% empty %}None recorded.{% endfor %}"
)


@pytest.mark.parametrize(
    "cities",
    [
        [],
        [peer_city("a", "Ay", "State")],
        [peer_city("h&", HOSTILE, HOSTILE), peer_city("b", "Bee", "S")],
    ],
)
def test_topic_city_lists_are_what_the_templates_wrote(cities):
    context = Context({"cities": cities})
    assert challenge_cities_html(cities) == TEMPLATE_CHALLENGE_CITIES.render(context)
    assert goal_cities_html(cities) == TEMPLATE_GOAL_CITIES.render(context)
