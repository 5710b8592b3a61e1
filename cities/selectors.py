"""Reads that span models and apps: facet counts, the city x goal matrix, peers."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q

from framework.models import Goal

from .filters import InitiativeFilter, facet_options_field
from .mapping import map_points
from .models import City, Initiative
from .sizes import SIZE_CLASSES, population_q

# For each facet: the lookup whose values the facet's options are.
CITY_FACET_PATHS = {
    "member_state": "member_state__slug",
    "goal": "focus_goals__slug",
    "challenge": "challenges__slug",
    "cohort": "cohort_year",
}
INITIATIVE_FACET_PATHS = {
    "member_state": "city__member_state__slug",
    "city": "city__slug",
    "goal": "goals__slug",
    "challenge": "challenges__slug",
    "status": "status",
    "year": "year",
    "partner": "partners__slug",
}


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

    @property
    def selected(self):
        return [option for option in self.options if option.selected]


def _without(data, name):
    data = data.copy()
    data.pop(name, None)
    data.pop("page", None)
    return data


def facets_build(*, filterset, paths, extra_counts=None):
    """Each facet's options with the number of records they would give.

    A facet's counts apply every other active facet but not its own, so that
    choosing a second value in a facet (OR) shows what it would add. One aggregate
    query per facet, whatever the number of rows.
    """
    filterset_class = type(filterset)
    model = filterset._meta.model
    selected_values = {
        name: {str(v) for v in filterset.data.getlist(name)}
        for name in filterset.FACETS
    }
    facets = []
    for name in filterset.FACETS:
        others = filterset_class(
            _without(filterset.data, name),
            queryset=model.objects.all(),
            choices=filterset.choices,
        )
        matching = model.objects.filter(pk__in=others.qs.order_by().values("pk"))
        if name in paths:
            rows = (
                matching.order_by()
                .values(paths[name])
                .annotate(n=Count("pk", distinct=True))
            )
            counts = {str(row[paths[name]]): row["n"] for row in rows}
        else:
            counts = {}
        if extra_counts and name in extra_counts:
            counts.update(extra_counts[name](matching))
        facet = Facet(name=name, label=str(filterset.filters[name].label))
        for value, label in facet_options_field(filterset, name):
            facet.options.append(
                FacetOption(
                    value=value,
                    label=label,
                    count=counts.get(value, 0),
                    selected=value in selected_values[name],
                )
            )
        facets.append(facet)
    return facets


def _size_counts(queryset):
    aggregates = {
        size.slug: Count("pk", filter=Q(**population_q(size.slug)))
        for size in SIZE_CLASSES
    }
    return queryset.aggregate(**aggregates)


def _no_partner_counts(queryset):
    return {
        InitiativeFilter.NO_PARTNER: queryset.filter(
            partner_text="", partners=None
        ).count()
    }


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
    """Rows of cities with, per ASCF goal, whether the city prioritises it.

    `cities` should come with `focus_goals` prefetched (for_list() does).
    """
    goals = list(Goal.objects.all())
    rows = []
    for city in cities:
        chosen = {goal.pk for goal in city.focus_goals.all()}
        rows.append(MatrixRow(city=city, cells=[goal.pk in chosen for goal in goals]))
    return goals, rows


def goal_city_counts():
    """{goal pk: number of cities prioritising it} in one query."""
    rows = Goal.objects.annotate(n=Count("cities")).values_list("pk", "n")
    return dict(rows)


def initiatives_by_city(*, initiatives):
    grouped = defaultdict(list)
    for initiative in initiatives:
        grouped[initiative.city_id].append(initiative)
    return grouped


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


def map_points_for(cities):
    return map_points(cities)


def status_counts_by_city(*, cities):
    """{city pk: {status label: count}} for the given cities, in one query."""
    labels = dict(Initiative.Status.choices)
    rows = (
        Initiative.objects.filter(city__in=cities)
        .order_by()
        .values("city_id", "status")
        .annotate(n=Count("pk"))
    )
    counts = defaultdict(dict)
    for row in rows:
        counts[row["city_id"]][labels[row["status"]]] = row["n"]
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
