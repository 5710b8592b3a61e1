import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from framework.cache import CachedCountPaginator
from framework.http import public_page
from framework.params import page_number, printable

from . import cards, mapping, peers, selectors
from . import facets as facet_markup
from .filters import SLUG_RE, CityFilter, InitiativeFilter
from .models import City, Initiative, MemberState, Partner

CITIES_PER_PAGE = 24
INITIATIVES_PER_PAGE = 30
COMPARE_MIN, COMPARE_MAX = 2, 4


def filter_errors(filterset):
    """The FilterSet's errors as (field label, message) pairs, for the page."""
    errors = []
    for name, messages in filterset.errors.items():
        label = filterset.filters[name].label if name in filterset.filters else name
        errors.extend((str(label), message) for message in messages)
    return errors


def paginate(request, queryset, per_page):
    """A page of the queryset, or an error message for a bad page number."""
    paginator = CachedCountPaginator(queryset, per_page)
    raw = request.GET.get("page", "1")
    number = page_number(raw)
    if number is None:
        return None, f"“{printable(raw[:50])}” is not a page number."
    if number < 1 or number > paginator.num_pages:
        return (
            None,
            f"There is no page {number}; pages run from 1 to {paginator.num_pages}.",
        )
    return paginator.page(number), None


# A facet group starts open when it has a choice or at most this many options.
FACET_OPEN_MAX = 12
# Facets long enough to get a "find an option" box (with JavaScript).
FACET_SEARCH_MIN = 12


def facet_panel(facets):
    """Each facet with what the filter panel shows: the options that give results
    (or are chosen) first, the others folded behind "show all"; whether its group
    starts open; whether it is long enough to be searchable."""
    for facet in facets:
        facet.shown_options = [o for o in facet.options if o.count or o.selected]
        facet.folded_options = [o for o in facet.options if not (o.count or o.selected)]
        facet.open = bool(facet.selected) or len(facet.options) <= FACET_OPEN_MAX
        facet.searchable = len(facet.options) >= FACET_SEARCH_MIN
        facet_markup.facet_options_html(facet)
    return facets


def keep_params(querydict, *, without):
    """(name, value) pairs of the request's parameters but those named: the
    hidden inputs a second form on the page carries so that it keeps them."""
    return [
        (name, value)
        for name, values in querydict.lists()
        if name not in without
        for value in values
    ]


def panel_context(request, facets):
    """What the filter panel and the sort menu need besides the facets."""
    chosen = sum(len(facet.selected) for facet in facets)
    if request.GET.get("q", "").strip():
        chosen += 1
    return {
        "facets": facet_panel(facets),
        "filter_count": chosen,
        # The sort menu keeps every filter; the filter form keeps the sort and
        # the cities picked for comparison.
        "sort_keep": keep_params(request.GET, without={"sort", "page"}),
        "filter_keep": [
            (name, value)
            for name, value in keep_params(request.GET, without={"page"})
            if name in {"sort", "compare"}
        ],
    }


def valid_part(filterset):
    """The request's filters without the invalid ones and without the page."""
    data = filterset.data.copy()
    for name in filterset.errors:
        data.pop(name, None)
    data.pop("page", None)
    return data


def export_query(filterset):
    """The list's filters for its download links: an export holds every match,
    so it takes no page."""
    return valid_part(filterset).urlencode()


@dataclass(frozen=True)
class ListPage:
    """What differs between the two list pages (cities, initiatives); the flow,
    `list_page`, is the same for both."""

    filterset_class: type
    template: str
    per_page: int
    facets: Callable  # filterset -> facets (selectors.city_facets, ...)
    rows: Callable  # a page's records -> the list the cards show (selectors.city_cards)
    rows_name: str  # the records' name in the template's context
    export_url: str  # the name of the list's export view
    extra: Callable = lambda request, rows: {}  # more context for the page


def sort_context(filterset):
    """The sort menu's choices and current value; none for a list without one."""
    if "sort" not in filterset.filters:
        return {"sort_value": "", "sort_choices": []}
    return {
        "sort_value": filterset.data.get("sort", ""),
        "sort_choices": filterset.filters["sort"].field.choices,
    }


def downloads(page, filterset):
    """The list's download links, (label, address): every match of the valid
    filters, in CSV and JSON."""
    query = export_query(filterset)
    return [
        (label, f"{reverse(page.export_url, args=[fmt])}?{query}")
        for label, fmt in (("CSV", "csv"), ("JSON", "json"))
    ]


def list_error(request, page, filterset, errors):
    """A 400 page that names the problem and keeps the valid filters usable."""
    usable = type(filterset)(valid_part(filterset), queryset=filterset.queryset)
    usable.is_valid()
    context = {
        "filterset": usable,
        # The text box keeps what was typed, even when it was refused.
        "form": filterset.form,
        "errors": errors,
        "page_obj": None,
        **panel_context(request, page.facets(usable)),
        **sort_context(usable),
    }
    return render(request, page.template, context, status=400)


def list_page(request, page, queryset):
    """A list page: bind the FilterSet to the query string, answer 400 with the
    errors (the valid filters kept) if it or the page number is invalid, else
    the page of results with its facets, chips, sort menu and downloads."""
    filterset = page.filterset_class(request.GET, queryset=queryset)
    if not filterset.is_valid():
        return list_error(request, page, filterset, filter_errors(filterset))
    page_obj, page_error = paginate(request, filterset.qs, page.per_page)
    if page_error:
        return list_error(request, page, filterset, [("Page", page_error)])
    facets = page.facets(filterset)
    rows = page_obj.object_list = page.rows(page_obj.object_list)
    context = {
        "filterset": filterset,
        "form": filterset.form,
        "errors": [],
        "page_obj": page_obj,
        page.rows_name: rows,
        "result_count": page_obj.paginator.count,
        **panel_context(request, facets),
        "chips": selectors.active_chips(facets, request.GET),
        "downloads": downloads(page, filterset),
        **sort_context(filterset),
        **page.extra(request, rows),
    }
    return render(request, page.template, context)


def city_list_extra(request, cities):
    """The compare tray, and each city's item of the list written in Python
    (cities/cards.py), ticked when picked to compare."""
    tray = compare_tray(request, cities)
    compare_slugs = set(tray["compare_slugs"])
    for city in cities:
        city.card_html = cards.city_card_html(city, compare_slugs=compare_slugs)
    return {"compare_max": COMPARE_MAX, **tray}


CITY_LIST = ListPage(
    filterset_class=CityFilter,
    template="cities/city_list.html",
    per_page=CITIES_PER_PAGE,
    facets=selectors.city_facets,
    rows=selectors.city_cards,
    rows_name="cities",
    export_url="cities:city-export",
    extra=city_list_extra,
)


def initiative_card_rows(initiatives):
    """A page of the initiatives library, each initiative with its card's HTML
    (cities/cards.py) written from the links selectors.initiative_cards read."""
    rows = selectors.initiative_cards(initiatives)
    for initiative in rows:
        initiative.card_html = cards.initiative_card_html(initiative)
    return rows


INITIATIVE_LIST = ListPage(
    filterset_class=InitiativeFilter,
    template="cities/initiative_list.html",
    per_page=INITIATIVES_PER_PAGE,
    facets=selectors.initiative_facets,
    rows=initiative_card_rows,
    rows_name="initiatives",
    export_url="cities:initiative-export",
)


@public_page(accepts=[*CityFilter.base_filters, "page", "compare"])
def city_list(request):
    return list_page(request, CITY_LIST, City.objects.for_cards())


def compare_tray(request, cities):
    """The cities picked for comparison on /cities/ (`?compare=<slug>`, kept
    across pages and filters in the query string): at most COMPARE_MAX known
    slugs, in the order picked, and those not on this page (carried as hidden
    inputs). One query, only when something was picked."""
    wanted = [
        value
        for value in dict.fromkeys(request.GET.getlist("compare"))
        if len(value) <= 100 and SLUG_RE.fullmatch(value)
    ][:COMPARE_LOOKUP_MAX]
    names = {}
    if wanted:
        names = dict(City.objects.filter(slug__in=wanted).values_list("slug", "name"))
    picked = [(slug, names[slug]) for slug in wanted if slug in names]
    dropped = picked[COMPARE_MAX:]
    picked = picked[:COMPARE_MAX]
    on_page = {city.slug for city in cities}
    return {
        "compare_picked": picked,
        "compare_slugs": [slug for slug, _ in picked],
        # (slug, name): the status line names them, as the boxes on this page.
        "compare_elsewhere": [pick for pick in picked if pick[0] not in on_page],
        "compare_dropped": [name for _, name in dropped],
        "compare_query": urlencode([("city", slug) for slug, _ in picked]),
        "keep_compare": urlencode([("compare", slug) for slug, _ in picked]),
        "list_keep": keep_params(request.GET, without={"compare"}),
    }


@public_page
def city_detail(request, slug):
    city = get_object_or_404(City.objects.for_profile(), slug=slug)
    initiatives = selectors.profile_initiatives(city.initiatives.all())
    for initiative in initiatives:
        initiative.row_html = cards.profile_initiative_row_html(
            initiative, city_slug=city.slug
        )
    challenges = list(city.challenges.all())
    brief = QueryDict(mutable=True)
    brief["city"] = city.slug
    brief.setlist("challenge", [challenge.slug for challenge in challenges])
    peer_groups = peers.peers_for_city(city=city)
    for group in (*peer_groups["challenges"], *peer_groups["goals"]):
        group.peers_html = cards.peers_html(group.peers, for_city=True)
    return render(
        request,
        "cities/city_detail.html",
        {
            "city": city,
            "initiatives": initiatives,
            "goals": list(city.focus_goals.all()),
            "challenges": [
                {"challenge": c, "urls": city.challenge_source_urls(c)}
                for c in challenges
            ],
            "brief_url": f"{reverse('learn:brief')}?{brief.urlencode()}",
            "map_points": mapping.map_points([city]),
            "peer_groups": peer_groups,
            "similar_cities": peers.similar_cities(city=city),
        },
    )


@public_page
def member_state_list(request):
    states = list(MemberState.objects.order_by("name"))
    counts = selectors.member_state_counts()
    for state in states:
        state_counts = counts.get(state.pk, selectors.NO_STATE_COUNTS)
        state.city_count = state_counts["cities"]
        state.initiative_count = state_counts["initiatives"]
    return render(request, "cities/member_state_list.html", {"member_states": states})


@public_page
def member_state_detail(request, slug):
    state = get_object_or_404(
        MemberState.objects.prefetch_related("sources"), slug=slug
    )
    counts = selectors.member_state_counts().get(state.pk, selectors.NO_STATE_COUNTS)
    cities = selectors.state_cities(state=state)
    goals, rows = selectors.city_goal_matrix(cities=cities)
    goal_counts = [
        (goal, counts["goals"][goal.pk]) for goal in goals if goal.pk in counts["goals"]
    ]
    return render(
        request,
        "cities/member_state_detail.html",
        {
            "member_state": state,
            "cities": cities,
            "city_total": counts["cities"],
            "initiative_total": counts["initiatives"],
            "cities_truncated": counts["cities"] > len(cities),
            "goals": goals,
            "matrix_rows": rows,
            "goal_counts": goal_counts,
            "map_points": mapping.map_points(cities),
        },
    )


# The compare picker offers the chosen cities plus this many others (pilot cities,
# then cities of the chosen cities' member states); any other city can be typed.
COMPARE_OPTIONS_SHOWN = 40
# At most this many `city` values are looked up, whatever the query string holds.
COMPARE_LOOKUP_MAX = 2 * COMPARE_MAX


# The list page's compare form carries its filters along: accepted, then dropped
# by the redirect to the permanent address.
@public_page(accepts=["city", "compare", *CityFilter.base_filters, "page"])
def compare(request):
    # `city` from the pickers; `compare` from the tick boxes on /cities/. A typed
    # value may name several cities: "Jakarta, Bangkok, Manila".
    raw = request.GET.getlist("city") + request.GET.getlist("compare")
    values = [part.strip()[:100] for value in raw for part in re.split(r"[,;]", value)]
    values = list(dict.fromkeys(value for value in values if value))
    looked_up = values[:COMPARE_LOOKUP_MAX]
    found, ambiguous = selectors.cities_named(looked_up)
    chosen = list(dict.fromkeys(found[value] for value in looked_up if value in found))
    unknown = [v for v in looked_up if v not in found and v not in ambiguous]
    errors = []
    if unknown:
        errors.append(
            (
                "",
                "No city has the name or slug "
                + ", ".join(f"“{value[:60]}”" for value in unknown)
                + ".",
            )
        )
    for value, slugs in ambiguous.items():
        errors.append(
            (
                "",
                f"Several cities are called “{value[:60]}”; "
                f"choose one by its slug: {', '.join(slugs[:10])}.",
            )
        )
    if len(values) > COMPARE_MAX:
        errors.append(
            (
                "",
                f"Choose {COMPARE_MIN} to {COMPARE_MAX} cities to compare; "
                f"you chose {len(values)}.",
            )
        )
    # Anything but `city=<slug>` (typed names, repeats, empty pickers, the list
    # page's filters carried by its compare form) becomes the page's permanent
    # address.
    if not errors and (
        any(found[value].slug != value for value in values)
        or set(request.GET) - {"city"}
        or len(raw) > len(values)
    ):
        query = urlencode([("city", city.slug) for city in chosen])
        url = reverse("cities:compare")
        return redirect(f"{url}?{query}" if query else url)
    options, more = selectors.compare_options(
        chosen=chosen, shown=COMPARE_OPTIONS_SHOWN
    )
    slots = [city.slug for city in chosen]
    context = {
        "city_options": options,
        "more_cities": more,
        "slots": (slots + [""] * COMPARE_MAX)[: max(COMPARE_MAX, len(slots))],
        "typed": (unknown or list(ambiguous) or [""])[0],
        "compare_max": COMPARE_MAX,
        "errors": errors,
    }
    if errors:
        return render(request, "cities/compare.html", context, status=400)
    if len(chosen) == 1:
        context["notice"] = (
            f"Choose at least one more city to compare with {chosen[0].name}."
        )
    if len(chosen) < COMPARE_MIN:
        return render(request, "cities/compare.html", context)
    status_counts = selectors.status_counts_by_city(cities=chosen)
    for city in chosen:
        city.initiative_count = sum(status_counts.get(city.pk, {}).values())
    goals, rows = selectors.city_goal_matrix(cities=chosen)
    context.update(
        {
            "cities": chosen,
            "goals": goals,
            # Each cell with its city: a narrow screen shows "city: value".
            "goal_rows": [
                (goal, [(row.city, row.cells[index]) for row in rows])
                for index, goal in enumerate(goals)
            ],
            "challenge_rows": [
                (challenge, list(zip(chosen, cells, strict=True)))
                for challenge, cells in selectors.challenge_rows(cities=chosen)
            ],
            "status_counts": [
                (city, status_counts.get(city.pk, {})) for city in chosen
            ],
        }
    )
    return render(request, "cities/compare.html", context)


@public_page(accepts=[*InitiativeFilter.base_filters, "page"])
def initiative_list(request):
    return list_page(request, INITIATIVE_LIST, Initiative.objects.for_cards())


@public_page
def initiative_detail(request, slug):
    initiative = get_object_or_404(Initiative.objects.for_detail(), slug=slug)
    return render(
        request,
        "cities/initiative_detail.html",
        {
            "initiative": initiative,
            # Whether any stored source backs the record (an editor can save
            # one without): the page then says its facts are unconfirmed.
            "sourced": bool(initiative.primary_source or initiative.sources.all()),
            "similar": peers.similar_initiatives(initiative=initiative),
        },
    )


# Partner pages: totals, the first initiatives by name (page 1 of the library's
# list for the partner) and the cities with the most of them.
PARTNER_INITIATIVES_SHOWN = INITIATIVES_PER_PAGE


@public_page
def partner_list(request):
    partners = list(Partner.objects.all())
    counts = selectors.partner_counts()
    for partner in partners:
        partner.initiative_count, partner.city_count = counts.get(partner.pk, (0, 0))
    return render(request, "cities/partner_list.html", {"partners": partners})


@public_page
def partner_detail(request, slug):
    partner = get_object_or_404(Partner.objects.prefetch_related("sources"), slug=slug)
    summary = selectors.partner_summary(partner=partner)
    initiatives = selectors.partner_initiatives(
        partner=partner, limit=PARTNER_INITIATIVES_SHOWN
    )
    return render(
        request,
        "cities/partner_detail.html",
        {
            "partner": partner,
            "initiatives": initiatives,
            "initiative_total": summary["initiatives"],
            "initiatives_truncated": summary["initiatives"] > len(initiatives),
            "cities": summary["top_cities"],
            "city_total": summary["cities"],
            "cities_truncated": summary["cities"] > len(summary["top_cities"]),
        },
    )
