"""The learning brief: for each chosen challenge or goal, who in the network has
addressed it, what they did, with whom, and whom to contact.

Every list is computed from the records it names:

- a challenge's initiatives are those the data editors link to it (direct), then
  those of cities a source says face it, classified under a goal that addresses it
  (related, labelled so); a goal's initiatives are those classified under it;
- they are ranked by the status scale (completed first), then other member states
  first (when a city is given), then the most recent, then by name;
- the peer cities are the cities running the listed initiatives (the chosen city
  excluded), with how many of them each runs;
- the partner programmes are the partners linked to the listed initiatives;
- "nothing addresses it" is said only when no initiative (of another city) is
  found, and then names the partners linked to initiatives under the goals that
  address the challenge, if any.

A brief reads a fixed number of queries per section, whatever the data size.
"""

import re
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, Value, When

from cities.models import City, Initiative, Partner, status_rank_expression
from framework.cache import cached_until_edit
from framework.models import Challenge, Goal

INITIATIVES_PER_SECTION = 20
# Related (not linked) initiatives are context: a few, after the direct ones.
RELATED_PER_SECTION = 5
PEERS_PER_SECTION = 12


@dataclass
class BriefItem:
    initiative: Initiative
    direct: bool


@dataclass
class Section:
    topic: object  # Challenge or Goal
    kind: str  # "challenge" or "goal"
    items: list = field(default_factory=list)
    total: int = 0  # linked initiatives (other cities'), before the cap
    related_total: int = 0  # related only through a goal, before the cap
    peers: list = field(default_factory=list)  # [(city, count)]
    partners: list = field(default_factory=list)  # [(partner, count)]
    own: list = field(default_factory=list)
    funding_partners: list = field(default_factory=list)
    nothing: str = ""

    @property
    def slug(self):
        return self.topic.slug

    @property
    def direct_items(self):
        return [item for item in self.items if item.direct]

    @property
    def related_items(self):
        return [item for item in self.items if not item.direct]


@dataclass
class Choice:
    """What the visitor asked for, split into what exists and what does not."""

    city: City | None = None
    challenges: list = field(default_factory=list)
    goals: list = field(default_factory=list)
    other_states_only: bool = False
    unknown: list = field(default_factory=list)  # [(parameter, value)]

    @property
    def empty(self):
        return not self.challenges and not self.goals


TRUE_VALUES = {"1", "true", "on", "yes"}
FALSE_VALUES = {"", "0", "false", "off", "no"}


SLUG = re.compile(r"^[-\w]{1,100}$", re.ASCII)
NAME_MAX = 100


def shown(value):
    """A value as it may be quoted back in a message: no control characters, and
    not too long."""
    visible = "".join(ch for ch in value if ch.isprintable())
    return visible[:NAME_MAX] + ("…" if len(visible) > NAME_MAX else "")


def choice_from_query(query):
    """Choice from a QueryDict: ?city=&challenge=&goal=&other_states=.

    Values that cannot be a slug (or, for the city, a name) are unknown without
    asking the database (PostgreSQL refuses a NUL in a string)."""
    choice = Choice()
    city_slug = query.get("city", "").strip()
    if city_slug and ("\x00" in city_slug or len(city_slug) > NAME_MAX):
        choice.unknown.append(("city", shown(city_slug)))
    elif city_slug:
        cities = City.objects.select_related("member_state")
        # A slug, or a name typed in the text box (exact, any case).
        choice.city = (
            cities.filter(slug=city_slug[:100]).first()
            or cities.filter(name__iexact=city_slug[:100]).order_by("slug").first()
        )
        if choice.city is None:
            choice.unknown.append(("city", city_slug))
    for name, model, target in (
        ("challenge", Challenge, choice.challenges),
        ("goal", Goal, choice.goals),
    ):
        values = list(dict.fromkeys(v.strip() for v in query.getlist(name)))
        wanted = [v for v in values if SLUG.match(v)]
        choice.unknown.extend((name, shown(v)) for v in values if v and v not in wanted)
        found = model.objects.in_bulk(wanted, field_name="slug") if wanted else {}
        target.extend(found[slug] for slug in wanted if slug in found)
        choice.unknown.extend((name, slug) for slug in wanted if slug not in found)
    flag = query.get("other_states", "").strip().lower()
    if flag in TRUE_VALUES:
        choice.other_states_only = True
    elif flag not in FALSE_VALUES:
        choice.unknown.append(("other_states", shown(flag)))
    return choice


def _matching(*, topic, kind):
    """(direct, related) initiative filters for a topic."""
    if kind == "goal":
        return Q(goals=topic), None
    goal_ids = [goal.pk for goal in topic.goals.all()]
    direct = Q(challenges=topic)
    related = Q(cities__challenges=topic, goals__in=goal_ids) if goal_ids else None
    return direct, related


def _ranked(queryset, *, city):
    """Order by the status scale, then other member states first, then newest."""
    ordering = [F("rank").asc()]
    annotations = {"rank": status_rank_expression()}
    if city is not None:
        same_state = Initiative.cities.through.objects.filter(
            initiative=OuterRef("pk"), city__member_state=city.member_state_id
        )
        annotations["same_state"] = Case(
            When(Exists(same_state), then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
        ordering.append(F("same_state").asc())
    ordering += [F("year").desc(nulls_last=True), "name", "slug"]
    return queryset.annotate(**annotations).order_by(*ordering)


def _section_ids(*, topic, kind, choice):
    """([direct ids], [related ids], (direct total, related total), [own ids]) in
    brief order: the costly
    ranking over every matching initiative, kept until the next content edit."""
    city = choice.city
    direct_q, related_q = _matching(topic=topic, kind=kind)
    candidates = Initiative.objects.all()
    if city is not None:
        candidates = candidates.exclude(cities=city)
        if choice.other_states_only:
            candidates = candidates.exclude(cities__member_state=city.member_state_id)
    direct_ids = Initiative.objects.filter(direct_q).values("pk")
    direct = candidates.filter(pk__in=direct_ids)
    if related_q is not None:
        related = candidates.filter(
            pk__in=Initiative.objects.filter(related_q).values("pk")
        ).exclude(pk__in=direct_ids)
    else:
        related = Initiative.objects.none()
    total = (direct.count(), related.count() if related_q is not None else 0)
    shown = list(
        _ranked(direct, city=city).values_list("pk", flat=True)[
            :INITIATIVES_PER_SECTION
        ]
    )
    room = min(INITIATIVES_PER_SECTION - len(shown), RELATED_PER_SECTION)
    related_shown = []
    if room > 0 and related_q is not None:
        related_shown = list(
            _ranked(related, city=city).values_list("pk", flat=True)[:room]
        )
    own = []
    if city is not None:
        own = list(
            _ranked(Initiative.objects.filter(cities=city), city=None)
            .filter(pk__in=direct_ids)
            .values_list("pk", flat=True)[:INITIATIVES_PER_SECTION]
        )
    return shown, related_shown, total, own


def _fetch(ids):
    """The initiatives with these ids, in this order, with what the brief shows."""
    found = (
        Initiative.objects.filter(pk__in=ids)
        .select_related("description_source", "primary_source")
        .prefetch_related("cities__member_state", "partners", "sources")
        .in_bulk()
    )
    return [found[pk] for pk in ids if pk in found]


def section_key(prefix, *, topic, kind, choice):
    """A cache key naming one section of a brief: the topic and what was chosen."""
    city = choice.city.pk if choice.city else ""
    scope = "other" if choice.other_states_only else "all"
    return f"{prefix}:{kind}:{topic.pk}:{city}:{scope}"


def section_build(*, topic, kind, choice):
    shown, related_shown, total, own = cached_until_edit(
        section_key("brief-ids", topic=topic, kind=kind, choice=choice),
        lambda: _section_ids(topic=topic, kind=kind, choice=choice),
    )
    fetched = {i.pk: i for i in _fetch(shown + related_shown + own)}
    section = Section(topic=topic, kind=kind, total=total[0], related_total=total[1])
    section.items = [
        BriefItem(initiative=fetched[pk], direct=True) for pk in shown if pk in fetched
    ] + [
        BriefItem(initiative=fetched[pk], direct=False)
        for pk in related_shown
        if pk in fetched
    ]
    section.own = [fetched[pk] for pk in own if pk in fetched]
    _contacts(section, choice)
    if not section.direct_items:
        section.funding_partners = _funding_partners(topic=topic, kind=kind)
    return section


def _contacts(section, choice):
    """Peer cities and partner programmes of the listed initiatives."""
    cities, partners = Counter(), Counter()
    city_objects, partner_objects = {}, {}
    for item in section.items:
        for runner in item.initiative.cities.all():
            if choice.city is not None and runner.pk == choice.city.pk:
                continue
            cities[runner.pk] += 1
            city_objects[runner.pk] = runner
        for partner in item.initiative.partners.all():
            partners[partner.pk] += 1
            partner_objects[partner.pk] = partner
    ranked = sorted(
        cities.items(), key=lambda pair: (-pair[1], city_objects[pair[0]].name)
    )
    section.peers = [(city_objects[pk], n) for pk, n in ranked[:PEERS_PER_SECTION]]
    section.partners = [
        (partner_objects[pk], n)
        for pk, n in sorted(
            partners.items(), key=lambda pair: (-pair[1], str(partner_objects[pair[0]]))
        )
    ]


def _funding_partners(*, topic, kind):
    """Partners linked to initiatives under the goal (or the goals addressing the
    challenge): the programmes that have funded work in that area."""
    goal_ids = [topic.pk] if kind == "goal" else [g.pk for g in topic.goals.all()]
    if not goal_ids:
        return []
    return list(
        Partner.objects.filter(initiatives__goals__in=goal_ids)
        .distinct()
        .order_by("country_or_org", "programme")
    )


def brief_build(choice):
    """[Section] for the choice: challenges first, then goals, as chosen."""
    sections = [
        section_build(topic=challenge, kind="challenge", choice=choice)
        for challenge in choice.challenges
    ]
    sections += [
        section_build(topic=goal, kind="goal", choice=choice) for goal in choice.goals
    ]
    return sections


def _absolute(request, url):
    return request.build_absolute_uri(url) if request is not None else url


def initiative_data(initiative, *, request=None, direct=True):
    return {
        "name": initiative.name,
        "url": _absolute(request, initiative.get_absolute_url()),
        "link": "direct" if direct else "related through a goal",
        "cities": [
            {
                "name": runner.name,
                "slug": runner.slug,
                "member_state": runner.member_state.name,
            }
            for runner in initiative.cities.all()
        ],
        "status_words": initiative.status_text,
        "status_scale": initiative.get_status_display(),
        "year": initiative.year,
        "description": initiative.description,
        "description_source": (
            initiative.description_source.url if initiative.description_source else ""
        ),
        "partners": [
            {
                "programme": partner.programme,
                "url": _absolute(request, partner.get_absolute_url()),
            }
            for partner in initiative.partners.all()
        ],
        "partner_as_in_source": initiative.partner_text,
        "sources": [source.url for source in initiative.sources.all()],
    }


def nothing_line(section, city=None):
    """The honest line for a section with no initiative linked to (or, for a goal,
    classified under) its topic, or ""."""
    if section.direct_items:
        return ""
    who = "no other city" if city is not None else "no city"
    line = (
        f"In the portal's records, {who} in the network has an initiative "
        f"{'linked to' if section.kind == 'challenge' else 'classified under'} "
        f"{section.topic.name}."
    )
    if section.funding_partners:
        names = ", ".join(str(p) for p in section.funding_partners)
        line += (
            " Partner programmes linked to initiatives under "
            f"{'the goals that address it' if section.kind == 'challenge' else 'it'}"
            f": {names}."
        )
    return line


def brief_data(choice, sections, *, request=None):
    """The brief as plain data: the JSON download and the API answer."""
    city = choice.city
    return {
        "city": (
            {
                "name": city.name,
                "slug": city.slug,
                "member_state": city.member_state.name,
                "url": _absolute(request, city.get_absolute_url()),
            }
            if city
            else None
        ),
        "other_states_only": choice.other_states_only,
        "classification_note": (
            "Which challenge an initiative addresses is the data editors' "
            "classification from its description, not a sourced fact."
        ),
        "sections": [
            {
                "kind": section.kind,
                "slug": section.slug,
                "name": section.topic.name,
                "url": _absolute(request, section.topic.get_absolute_url()),
                "initiative_count": section.total,
                "related_initiative_count": section.related_total,
                "initiatives": [
                    initiative_data(
                        item.initiative, request=request, direct=item.direct
                    )
                    for item in section.items
                ],
                "peer_cities": [
                    {
                        "name": peer.name,
                        "slug": peer.slug,
                        "member_state": peer.member_state.name,
                        "url": _absolute(request, peer.get_absolute_url()),
                        "official_website": peer.official_website,
                        "relevant_initiatives": count,
                    }
                    for peer, count in section.peers
                ],
                "partner_programmes": [
                    {
                        "programme": partner.programme,
                        "country_or_org": partner.country_or_org,
                        "url": _absolute(request, partner.get_absolute_url()),
                        "initiatives": count,
                    }
                    for partner, count in section.partners
                ],
                "own_initiatives": [
                    initiative_data(initiative, request=request)
                    for initiative in section.own
                ],
                "nothing_found": nothing_line(section, city),
            }
            for section in sections
        ],
    }


CSV_COLUMNS = [
    "topic",
    "topic_kind",
    "row",
    "link",
    "initiative",
    "url",
    "cities",
    "member_states",
    "status_words",
    "status_scale",
    "year",
    "description",
    "description_source",
    "partners",
    "sources",
    "official_website",
    "relevant_initiatives",
]


def brief_rows(data):
    """The brief as CSV rows (the same content as brief_data)."""
    for section in data["sections"]:
        base = {"topic": section["name"], "topic_kind": section["kind"]}
        groups = (
            ("initiative", section["initiatives"]),
            ("own initiative", section["own_initiatives"]),
        )
        for row_kind, initiatives in groups:
            for item in initiatives:
                yield {
                    **base,
                    "row": row_kind,
                    "link": item["link"],
                    "initiative": item["name"],
                    "url": item["url"],
                    "cities": "; ".join(c["name"] for c in item["cities"]),
                    "member_states": "; ".join(
                        dict.fromkeys(c["member_state"] for c in item["cities"])
                    ),
                    "status_words": item["status_words"],
                    "status_scale": item["status_scale"],
                    "year": item["year"] or "",
                    "description": item["description"],
                    "description_source": item["description_source"],
                    "partners": "; ".join(p["programme"] for p in item["partners"]),
                    "sources": " ".join(item["sources"]),
                }
        for peer in section["peer_cities"]:
            yield {
                **base,
                "row": "peer city",
                "cities": peer["name"],
                "member_states": peer["member_state"],
                "url": peer["url"],
                "official_website": peer["official_website"],
                "relevant_initiatives": peer["relevant_initiatives"],
            }
        for partner in section["partner_programmes"]:
            yield {
                **base,
                "row": "partner programme",
                "partners": partner["programme"],
                "url": partner["url"],
                "relevant_initiatives": partner["initiatives"],
            }
        if section["nothing_found"]:
            yield {
                **base,
                "row": "nothing found",
                "description": section["nothing_found"],
            }
