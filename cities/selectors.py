"""Reads that span models and apps: facet counts, the city x goal matrix, peers."""

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Model, Q, QuerySet, prefetch_related_objects
from django.utils.text import slugify
from django_filters import OrderingFilter

from framework.addresses import slug_page_url
from framework.cache import cached_until_edit, query_key
from framework.models import Goal

from .filters import SLUG_RE, InitiativeFilter, facet_options_field, no_partner_q
from .links import linked_values
from .models import (
    COHORT_MIN,
    STATUS_RANK,
    City,
    FacetCount,
    Initiative,
    sources_prefetch,
    status_rank_expression,
)
from .names import loose_name
from .services import facet_counts_read
from .sizes import SIZE_CLASSES, population_q

# For each facet: the lookup whose values the facet's options are.
CITY_FACET_PATHS = {
    "member_state": "member_state__slug",
    "goal": "focus_goals__slug",
    "challenge": "challenges__slug",
    "cohort": "cohort_year",
}
INITIATIVE_FACET_PATHS = {
    "member_state": "cities__member_state__slug",
    "city": "cities__slug",
    "goal": "goals__slug",
    "challenge": "challenges__slug",
    "status": "status",
    "year": "year",
    "partner": "partners__slug",
}


# Facet paths that pass two to-many links (see _value_counts).
DISTINCT_COUNT_PATHS = {"cities__member_state__slug"}


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class Facet:
    name: str
    label: str
    options: list = field(default_factory=list)
    # Options left out of a capped facet (see CAPPED_FACETS), and how to reach them.
    more_count: int = 0
    more_hint: str = ""

    @property
    def selected(self):
        return [option for option in self.options if option.selected]


# Facets whose options grow with the data (one per city): while there are at most
# `cap` values every one is offered (those with no result folded away by the page);
# past that only the options with the most matching records, plus any already
# chosen. {name: (cap, hint)}
CAPPED_FACETS = {
    "city": (
        100,
        "Only the cities with the most matching initiatives are listed. To see "
        "another city's initiatives, search for its name or open its profile.",
    ),
}


def _has_value(value):
    """Whether a cleaned filter value restricts anything (a queryset of chosen
    records is already evaluated by the filter that used it)."""
    if isinstance(value, QuerySet):
        return bool(value)
    return value not in (None, "") and value != []


def _value_counts(matching, path):
    """{value: number of records} for one facet, in one GROUP BY query.

    `matching` holds each record once, and a record has at most one row per value
    (foreign keys, and many-to-many links, which are unique per pair), so a plain
    COUNT is exact: no DISTINCT needed.
    """
    # One exception: a record can reach the same value through two links (an
    # initiative run by two cities of one member state), so such paths count
    # DISTINCT records.
    distinct = path in DISTINCT_COUNT_PATHS
    rows = matching.order_by().values(path).annotate(n=Count("pk", distinct=distinct))
    return {str(row[path]): row["n"] for row in rows}


def _capped_options(matching, path, cap, chosen):
    """[(value, label, count)] for the `cap` values with the most records (then by
    label) plus the chosen ones ({value: label}), and how many other values have
    records. Two or three queries."""
    label_path = path.rsplit("__", 1)[0] + "__name"
    grouped = matching.order_by().values(path, label_path).annotate(n=Count("pk"))
    options = [
        (row[path], row[label_path], row["n"])
        for row in grouped.order_by("-n", label_path)[:cap]
    ]
    shown = {value for value, _, _ in options}
    missing = [value for value in chosen if value not in shown]
    if missing:
        counts = {
            row[path]: row["n"] for row in grouped.filter(**{f"{path}__in": missing})
        }
        options += [(value, chosen[value], counts.get(value, 0)) for value in missing]
    with_records = matching.order_by().values(path).distinct().count()
    listed = sum(1 for _, _, count in options if count)
    return options, with_records - listed


def _kept_capped_options(name, cap, chosen):
    """_capped_options from the kept counts (FacetCount), in its index order."""
    kept = FacetCount.objects.filter(facet=name)
    options = [
        (row.value, row.label, row.count)
        for row in kept.order_by("-count", "label")[:cap]
    ]
    shown = {value for value, _, _ in options}
    missing = [value for value in chosen if value not in shown]
    if missing:
        counts = dict(kept.filter(value__in=missing).values_list("value", "count"))
        options += [(value, chosen[value], counts.get(value, 0)) for value in missing]
    listed = sum(1 for _, _, count in options if count)
    return options, kept.count() - listed


def _matching(filterset, name):
    """A function giving the records that every active filter but facet `name`'s
    own allows (each once: no filter joins a to-many relation, see
    SlugMultipleFilter), and a cache key naming them: a facet's counts over the
    same records are the same until the next edit, whatever page, sort or other
    URL asked for them. The queryset is only built when the counts are not kept.

    The filters are applied with the values the filterset already validated, so
    no value is looked up in the database again.
    """
    others = _other_filters(filterset, name)

    def records():
        queryset = filterset._meta.model.objects.all()
        for other, value in others.items():
            queryset = filterset.filters[other].filter(queryset, value)
        return queryset

    return records, f"facet:{name}:{_filters_key(filterset, others, records)}"


def _filters_key(filterset, cleaned, records):
    """A key naming the records that the validated filter values `cleaned` select
    from all of the filterset's model: the values themselves (the chosen records
    by primary key), so that no SQL is compiled to name them. A value of another
    kind than those the list filters give is named by the SQL of `records()`
    (query_key)."""
    parts = [type(filterset).__name__]
    for other in sorted(cleaned):
        value = cleaned[other]
        if isinstance(value, str):
            parts.append((other, "text", value))
        elif isinstance(value, QuerySet) or (
            isinstance(value, (list, tuple))
            and all(isinstance(item, Model) for item in value)
        ):
            parts.append((other, "pks", [item.pk for item in value]))
        elif isinstance(value, (list, tuple)) and all(
            isinstance(item, str) for item in value
        ):
            parts.append((other, "values", list(value)))
        else:
            return query_key(records())
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def _other_filters(filterset, name):
    """{filter name: cleaned value} of the active filters but facet `name`'s."""
    cleaned = getattr(filterset.form, "cleaned_data", {})
    return {
        other: value
        for other, value in cleaned.items()
        if other != name
        and not isinstance(filterset.filters[other], OrderingFilter)
        and _has_value(value)
    }


def _kept_counts(filterset, name):
    """Whether facet `name`'s counts are kept (FacetCount): an initiatives facet
    with no other filter active, so over every initiative (the list as first
    opened, and one facet chosen). Kept up to date on every edit, they spare the
    first view after an edit a GROUP BY over every initiative per facet."""
    return isinstance(filterset, InitiativeFilter) and not _other_filters(
        filterset, name
    )


def _counted_facet(facet, filterset, path, extra_counts):
    """Fill a facet offering all its values, each with its count."""
    matching, key = _matching(filterset, facet.name)

    def counts():
        if _kept_counts(filterset, facet.name):
            return facet_counts_read(facet=facet.name)
        records = matching()
        found = _value_counts(records, path) if path else {}
        if extra_counts:
            found.update(extra_counts(records))
        return found

    found = cached_until_edit(key, counts)
    selected = {str(v) for v in filterset.data.getlist(facet.name)}
    facet.options = [
        FacetOption(
            value=value,
            label=label,
            count=found.get(value, 0),
            selected=value in selected,
        )
        for value, label in cached_until_edit(
            f"facet-options:{type(filterset).__name__}:{facet.name}",
            lambda: facet_options_field(filterset, facet.name),
        )
    ]


def _capped_facet(facet, filterset, path):
    """Fill a facet offering only its leading values (see CAPPED_FACETS)."""
    matching, key = _matching(filterset, facet.name)
    cap, facet.more_hint = CAPPED_FACETS[facet.name]
    cleaned = getattr(filterset.form, "cleaned_data", {})
    chosen = {obj.slug: str(obj) for obj in cleaned.get(facet.name) or []}

    def options():
        if _kept_counts(filterset, facet.name):
            return _kept_capped_options(facet.name, cap, chosen)
        return _capped_options(matching(), path, cap, chosen)

    key = f"{key}:{','.join(sorted(chosen))}"
    found, facet.more_count = cached_until_edit(key, options)
    facet.options = [
        FacetOption(value=value, label=label, count=count, selected=value in chosen)
        for value, label, count in found
    ]


def _over_cap(filterset, name):
    """Whether a capped facet has more values than its cap (one COUNT query,
    kept until the next edit)."""
    field = filterset.form.fields[name]
    total = cached_until_edit(f"facet-size:{name}", field.queryset.count)
    return total > CAPPED_FACETS[name][0]


def facets_build(*, filterset, paths, extra_counts=None):
    """Each facet's options with the number of records they would give.

    A facet's counts apply every other active facet but not its own, so that
    choosing a second value in a facet (OR) shows what it would add. One aggregate
    query per facet, whatever the number of rows.
    """
    extra_counts = extra_counts or {}
    facets = []
    for name in filterset.FACETS:
        facet = Facet(name=name, label=str(filterset.filters[name].label))
        if name in CAPPED_FACETS and _over_cap(filterset, name):
            _capped_facet(facet, filterset, paths[name])
        else:
            _counted_facet(facet, filterset, paths.get(name), extra_counts.get(name))
        facets.append(facet)
    return facets


def _size_counts(queryset):
    aggregates = {
        size.slug: Count("pk", filter=Q(**population_q(size.slug)))
        for size in SIZE_CLASSES
    }
    return queryset.aggregate(**aggregates)


def _no_partner_counts(queryset):
    return {InitiativeFilter.NO_PARTNER: queryset.filter(no_partner_q()).count()}


def city_facets(filterset):
    return facets_build(
        filterset=filterset,
        paths=CITY_FACET_PATHS,
        extra_counts={"size": _size_counts},
    )


def initiative_facets(filterset):
    return facets_build(
        filterset=filterset,
        paths=INITIATIVE_FACET_PATHS,
        extra_counts={"partner": _no_partner_counts},
    )


def active_chips(facets, querydict):
    """Active filters as chips, each with the query string that removes it."""
    chips = []
    for facet in facets:
        for option in facet.selected:
            remaining = querydict.copy()
            remaining.setlist(
                facet.name,
                [v for v in querydict.getlist(facet.name) if v != option.value],
            )
            remaining.pop("page", None)
            chips.append(
                {
                    "facet": facet.label,
                    "label": option.label,
                    "query": remaining.urlencode(),
                }
            )
    text = querydict.get("q", "").strip()
    if text:
        remaining = querydict.copy()
        remaining.pop("q")
        remaining.pop("page", None)
        chips.append({"facet": "Search", "label": text, "query": remaining.urlencode()})
    return chips


@dataclass
class MatrixRow:
    city: City
    cells: list  # one bool per goal, in goal order


def city_goal_matrix(*, cities):
    """Rows of cities with, per ASCF goal, whether the city prioritises it: the
    goals and one query on the cities' goal links (read as values)."""
    goals = list(Goal.objects.all())
    chosen = linked_values(
        City.focus_goals, [city.pk for city in cities], "goal_id", order=["order"]
    )
    rows = []
    for city in cities:
        linked = set(chosen[city.pk])
        rows.append(MatrixRow(city=city, cells=[goal.pk in linked for goal in goals]))
    return goals, rows


# A goal or challenge page lists at most this many of its cities and of its
# initiatives, and links to the full filtered list. The real data has at most 24
# cities and 40 initiatives per goal, so its pages show everything.
TOPIC_CITIES_MAX = 50
TOPIC_INITIATIVES_MAX = 50

# The link tables that tie cities and initiatives to a goal or a challenge.
TOPIC_LINKS = {
    "goal": {
        "cities": City.focus_goals.through,
        "initiatives": Initiative.goals.through,
    },
    "challenge": {
        "cities": City.challenges.through,
        "initiatives": Initiative.challenges.through,
    },
}


def _link_counts(through, field):
    """{pk: number of links} over one M2M link table, in one grouped query.

    Each relation is counted on its own: annotating two to-many counts on one
    query joins both tables, whose cross product grows as cities x initiatives."""
    return dict(through.objects.order_by().values_list(field).annotate(n=Count("pk")))


def topic_counts(*, kind, linked):
    """{topic pk: n}: how many `linked` records ("cities" or "initiatives") link to
    each goal (kind "goal") or each challenge ("challenge").

    The one count of a topic's cities and initiatives: the home page, the goal and
    challenge lists and pages and the API all read it. Counted on the link table
    alone (joining the linked rows adds nothing), and kept until the next edit:
    it is the same for every visitor."""
    return cached_until_edit(
        f"topic-counts:{kind}:{linked}",
        lambda: _link_counts(TOPIC_LINKS[kind][linked], kind),
    )


@dataclass(frozen=True)
class LinkedRecord:
    """A record that a listed one links to, as the listing names it: its page,
    its name, and for a city its member state's name."""

    view_name: str
    slug: str
    name: str
    member_state_name: str = ""

    def get_absolute_url(self):
        return slug_page_url(self.view_name, self.slug)


def runner_links(pks):
    """{initiative pk: [the cities running it, by name, as LinkedRecord]}."""
    found = linked_values(
        Initiative.cities,
        pks,
        "city__slug",
        "city__name",
        "city__member_state__name",
        order=["name"],
    )
    return {
        pk: [LinkedRecord("cities:city-detail", *row) for row in rows]
        for pk, rows in found.items()
    }


def city_cards(cities):
    """The cities of a list page with the goal names their cards show
    (`goal_names`), read as values: one query."""
    cities = list(cities)
    if cities:
        goals = linked_values(
            City.focus_goals,
            [city.pk for city in cities],
            "goal__name",
            order=["order"],
        )
        for city in cities:
            city.goal_names = goals[city.pk]
    return cities


def initiative_cards(initiatives):
    """The initiatives of a page of the library with what their cards link to,
    read as values: the cities running each (`runners`), its goal names
    (`goal_names`) and partners (`partner_links`). Three queries."""
    initiatives = list(initiatives)
    if not initiatives:
        return initiatives
    pks = [initiative.pk for initiative in initiatives]
    runners = runner_links(pks)
    goals = linked_values(Initiative.goals, pks, "goal__name", order=["order"])
    partners = linked_values(
        Initiative.partners,
        pks,
        "partner__slug",
        "partner__programme",
        order=["country_or_org", "programme"],
    )
    for initiative in initiatives:
        initiative.runners = runners[initiative.pk]
        initiative.goal_names = goals[initiative.pk]
        initiative.partner_links = [
            LinkedRecord("cities:partner-detail", slug, programme)
            for slug, programme in partners[initiative.pk]
        ]
    return initiatives


def profile_initiatives(initiatives):
    """A city's initiatives with what its profile's table shows of their links,
    read as values: the cities running each (`runners`), its goal names
    (`goal_names`) and partners (`partner_links`); and the sources of those
    with no primary source, whose first source the table cites. Three or four
    queries."""
    initiatives = list(initiatives)
    if not initiatives:
        return initiatives
    with_links = initiative_cards(initiatives)
    prefetch_related_objects(
        [i for i in with_links if i.primary_source_id is None],
        sources_prefetch("sources"),
    )
    return with_links


def topic_cities(*, topic):
    """The first TOPIC_CITIES_MAX cities linked to a goal or challenge, by name
    (the columns the topic pages show of them)."""
    return list(
        topic.cities.select_related("member_state")
        .only("slug", "name", "member_state__name", "member_state__slug")
        .order_by("name", "slug")[:TOPIC_CITIES_MAX]
    )


def topic_initiatives(*, topic, count):
    """The TOPIC_INITIATIVES_MAX initiatives of a goal or challenge a city official
    learns most from: the strongest status first (the status scale, as the peer
    ranking), then by name; with the cities running them (`runners`).

    `count`, the topic's number of initiatives (topic_counts), picks how: up to
    the cap, one query sorted by status rank. Past it, one query per status,
    strongest first, stopping once the cap is reached: each stops after a few
    rows, where one query sorted by status rank would sort every initiative of the
    topic (25,000 for a goal at 100,000 initiatives). Both give the same rows
    whatever `count` says; it only picks the faster plan."""
    initiatives = topic.initiatives.for_rows()
    if count <= TOPIC_INITIATIVES_MAX:
        shown = list(
            initiatives.order_by(status_rank_expression(), "name", "slug")[
                :TOPIC_INITIATIVES_MAX
            ]
        )
    else:
        shown = []
        for status in STATUS_RANK:
            room = TOPIC_INITIATIVES_MAX - len(shown)
            if room <= 0:
                break
            shown += initiatives.filter(status=status).order_by("name", "slug")[:room]
    if shown:
        runners = runner_links([initiative.pk for initiative in shown])
        for initiative in shown:
            initiative.runners = runners[initiative.pk]
    return shown


def network_counts():
    return {
        "cities": City.objects.count(),
        "pilot_cities": City.objects.filter(cohort_year=2018).count(),
        "member_states_with_cities": City.objects.values("member_state")
        .distinct()
        .count(),
        "initiatives": Initiative.objects.count(),
        "cohort_unverified": sum(
            "cohort_year" in (unverified or [])
            for unverified in City.objects.values_list("unverified", flat=True)
        ),
    }


def status_counts_by_city(*, cities):
    """{city pk: {status label: count}} for the given cities, in one query."""
    labels = dict(Initiative.Status.choices)
    rows = (
        Initiative.cities.through.objects.filter(city__in=cities)
        .order_by()
        .values("city_id", "initiative__status")
        .annotate(n=Count("pk"))
    )
    counts = defaultdict(dict)
    for row in rows:
        counts[row["city_id"]][labels[row["initiative__status"]]] = row["n"]
    return counts


def challenge_rows(*, cities):
    """[(challenge, [bool per city])] for every challenge any of the cities documents.

    `cities` should come with `challenges` prefetched.
    """
    seen = {}
    for city in cities:
        for challenge in city.challenges.all():
            seen.setdefault(challenge.pk, challenge)
    rows = []
    for challenge in sorted(seen.values(), key=lambda c: c.name):
        rows.append(
            (
                challenge,
                [
                    challenge.pk in {c.pk for c in city.challenges.all()}
                    for city in cities
                ],
            )
        )
    return rows


# Member-state pages: totals for the whole state, then its first cities.
STATE_CITIES_SHOWN = 20
NO_STATE_COUNTS = {"cities": 0, "initiatives": 0, "goals": {}}


def member_state_city_counts():
    """{member state pk: number of its ASCN cities}, kept until the next edit:
    the member-state pages (through member_state_counts) and the API read it."""

    def compute():
        cities = City.objects.order_by().values_list("member_state")
        return dict(cities.annotate(n=Count("pk")))

    return cached_until_edit("member-state-city-counts", compute)


def member_state_counts():
    """{member state pk: {"cities": n, "initiatives": n, "goals": {goal pk: n}}}.

    "initiatives" counts the distinct initiatives that at least one of the state's
    cities runs (a joint initiative counts once for each state taking part);
    "goals" counts the state's cities that prioritise each goal. Each count is its
    own GROUP BY query: counting cities and initiatives in one query would count
    over their cross product. They read whole tables, so they are kept until the
    next content edit. The member-state pages and the API read them.
    """

    def compute():
        counts = {}

        def entry(pk):
            return counts.setdefault(pk, {"cities": 0, "initiatives": 0, "goals": {}})

        for pk, n in member_state_city_counts().items():
            entry(pk)["cities"] = n
        runs = Initiative.cities.through.objects.order_by()
        initiatives = runs.values_list("city__member_state").annotate(
            n=Count("initiative", distinct=True)
        )
        for pk, n in initiatives:
            entry(pk)["initiatives"] = n
        links = City.focus_goals.through.objects.order_by()
        goals = links.values_list("city__member_state", "goal")
        for pk, goal, n in goals.annotate(n=Count("pk")):
            entry(pk)["goals"][goal] = n
        return counts

    return cached_until_edit("member-state-counts", compute)


def state_cities(*, state):
    """The first STATE_CITIES_SHOWN cities of a member state (pilot cities first,
    then by the year they joined and name), each with `initiative_count`: the
    initiatives it runs, alone or jointly, as its profile lists them."""
    cities = list(
        City.objects.filter(member_state=state)
        .select_related("member_state")
        .order_by("cohort_year", "name")[:STATE_CITIES_SHOWN]
    )
    runs = Initiative.cities.through.objects.filter(city__in=cities).order_by()
    counts = dict(runs.values_list("city").annotate(n=Count("pk")))
    for city in cities:
        city.initiative_count = counts.get(city.pk, 0)
    return cities


# Partner pages: the cities with the most of the partner's initiatives.
PARTNER_CITIES_SHOWN = 30


def partner_summary(*, partner):
    """One partner's totals (linked initiatives, the distinct cities running them,
    alone or jointly) and the cities with the most of them, most first, as
    (slug, name, count); three queries on that partner's links, kept until the
    next edit."""

    def compute():
        links = Initiative.partners.through.objects.filter(partner=partner).order_by()
        runs = Initiative.cities.through.objects.filter(
            initiative__in=links.values("initiative")
        ).order_by()
        top = (
            runs.values("city__slug", "city__name")
            .annotate(n=Count("initiative", distinct=True))
            .order_by("-n", "city__name")[:PARTNER_CITIES_SHOWN]
        )
        return {
            "initiatives": links.count(),
            "cities": runs.values("city").distinct().count(),
            "top_cities": [
                (row["city__slug"], row["city__name"], row["n"]) for row in top
            ],
        }

    return cached_until_edit(f"partner-summary:{partner.pk}", compute)


def partner_initiatives(*, partner, limit):
    """The partner's first `limit` initiatives by name, with their cities."""
    return list(
        partner.initiatives.select_related("city__member_state")
        .prefetch_related("cities")
        .order_by("name", "slug")[:limit]
    )


# The compare page.


def cities_named(values):
    """{value: city} for the values that name a city: its slug, the slug of the
    text ("Kuala Lumpur" gives kuala-lumpur), or its name, in any case; and the
    values naming several cities, {value: [slugs]}. One query by slug, and one by
    name only for values no slug matched.
    """
    candidates = {}
    for value in values:
        if any(ord(char) < 32 for char in value):
            continue  # control characters never name a city
        slugs = dict.fromkeys([value, slugify(value)])
        candidates[value] = [slug for slug in slugs if SLUG_RE.fullmatch(slug)]
    wanted = {slug for slugs in candidates.values() for slug in slugs}
    by_slug = {
        city.slug: city for city in City.objects.for_list().filter(slug__in=wanted)
    }
    found, ambiguous = {}, {}
    for value, slugs in candidates.items():
        for slug in slugs:
            if slug in by_slug:
                found[value] = by_slug[slug]
                break
    by_name = [value for value in candidates if value not in found]
    if by_name:
        condition = Q()
        for value in by_name:
            condition |= Q(name__iexact=value)
        named = {}
        for city in City.objects.for_list().filter(condition).order_by("slug"):
            for value in by_name:
                if city.name.casefold() == value.casefold():
                    named.setdefault(value, []).append(city)
        for value, cities in named.items():
            if len(cities) == 1:
                found[value] = cities[0]
            else:
                ambiguous[value] = [city.slug for city in cities]
    loose = {
        value: loose_name(value)
        for value in candidates
        if value not in found and value not in ambiguous
    }
    loose = {value: key for value, key in loose.items() if key}
    if loose:
        matches = defaultdict(list)
        for pk, name in City.objects.values_list("pk", "name").order_by("slug"):
            key = loose_name(name)
            for value, wanted_key in loose.items():
                if key == wanted_key:
                    matches[value].append(pk)
        cities = City.objects.for_list().in_bulk(
            [pk for pks in matches.values() for pk in pks]
        )
        for value, pks in matches.items():
            if len(pks) == 1:
                found[value] = cities[pks[0]]
            else:
                ambiguous[value] = [cities[pk].slug for pk in pks]
    return found, ambiguous


def compare_options(*, chosen, shown):
    """(slug, name) choices for the picker, by name: the chosen cities and up to
    `shown` others (the pilot cities, then cities of the chosen
    cities' member states, then the earliest members); and whether cities were
    left out. Two or three small queries, each along an index."""
    options = [(city.slug, city.name) for city in chosen]
    taken = {city.pk for city in chosen}
    states = {city.member_state_id for city in chosen}
    cities = City.objects.values_list("pk", "slug", "name")
    groups = [cities.filter(cohort_year=COHORT_MIN).order_by("name")]
    if states:
        groups.append(
            cities.filter(member_state__in=states).order_by("cohort_year", "name")
        )
    groups.append(cities.order_by("cohort_year", "name"))
    room, more = shown, False
    for index, group in enumerate(groups):
        last = index == len(groups) - 1
        if not room and not last:
            continue
        # The last group asks for one more row, to tell whether any were left out.
        rows = list(group.exclude(pk__in=taken)[: room + 1 if last else room])
        more = len(rows) > room
        for pk, slug, name in rows[:room]:
            taken.add(pk)
            options.append((slug, name))
        room -= len(rows[:room])
    options.sort(key=lambda option: option[1])
    return options, more


def partner_counts():
    """{partner id: (initiatives, cities)} from one pass over the initiative-partner
    links, kept until the next content edit. The cities are those running the
    initiatives, alone or jointly (as partner_summary counts them).

    Both counts follow the same links, so one GROUP BY gives both without
    multiplying rows; only the cities need DISTINCT. It still reads every linked
    initiative (tens of thousands at scale) whatever the page, hence the cache.
    """

    def count():
        links = Initiative.partners.through.objects.order_by().values("partner")
        totals = links.annotate(
            initiatives=Count("initiative", distinct=True),
            cities=Count("initiative__cities", distinct=True),
        )
        return {row["partner"]: (row["initiatives"], row["cities"]) for row in totals}

    return cached_until_edit("partner-counts", count)
