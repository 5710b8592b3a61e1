from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, render

from framework.cache import cache_public_page

from . import peers, selectors
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
    paginator = Paginator(queryset, per_page)
    raw = request.GET.get("page", "1")
    try:
        number = int(raw)
    except ValueError:
        return None, f"“{raw[:50]}” is not a page number."
    if number < 1 or number > paginator.num_pages:
        return (
            None,
            f"There is no page {number}; pages run from 1 to {paginator.num_pages}.",
        )
    return paginator.page(number), None


def valid_part(filterset):
    """The request's filters without the invalid ones and without the page."""
    data = filterset.data.copy()
    for name in filterset.errors:
        data.pop(name, None)
    data.pop("page", None)
    return data


def list_error(request, template, filterset, errors, facets_for):
    """A 400 page that names the problem and keeps the valid filters usable."""
    usable = type(filterset)(valid_part(filterset), queryset=filterset.queryset)
    usable.is_valid()
    context = {
        "filterset": usable,
        "errors": errors,
        "page_obj": None,
        "facets": facets_for(usable),
        "sort_value": usable.data.get("sort", ""),
        "sort_choices": usable.filters["sort"].field.choices
        if "sort" in usable.filters
        else [],
    }
    return render(request, template, context, status=400)


@cache_public_page
def city_list(request):
    filterset = CityFilter(request.GET, queryset=City.objects.for_list())
    template = "cities/city_list.html"
    if not filterset.is_valid():
        return list_error(
            request,
            template,
            filterset,
            filter_errors(filterset),
            selectors.city_facets,
        )
    page_obj, page_error = paginate(request, filterset.qs, CITIES_PER_PAGE)
    if page_error:
        return list_error(
            request, template, filterset, [("Page", page_error)], selectors.city_facets
        )
    context = {"filterset": filterset, "errors": []}
    facets = selectors.city_facets(filterset)
    context.update(
        {
            "page_obj": page_obj,
            "cities": page_obj.object_list,
            "result_count": page_obj.paginator.count,
            "facets": facets,
            "chips": selectors.active_chips(facets, request.GET),
            "sort_value": request.GET.get("sort", ""),
            "sort_choices": filterset.filters["sort"].field.choices,
            "compare_max": COMPARE_MAX,
        }
    )
    return render(request, "cities/city_list.html", context)


@cache_public_page
def city_detail(request, slug):
    city = get_object_or_404(City.objects.for_profile(), slug=slug)
    initiatives = list(city.initiatives.all())
    return render(
        request,
        "cities/city_detail.html",
        {
            "city": city,
            "initiatives": initiatives,
            "goals": list(city.focus_goals.all()),
            "challenges": list(city.challenges.all()),
            "map_points": selectors.map_points_for([city]),
            "peer_groups": peers.peers_for_city(city=city),
            "similar_cities": peers.similar_cities(city=city),
        },
    )


@cache_public_page
def member_state_list(request):
    states = MemberState.objects.annotate(
        city_count=Count("cities", distinct=True),
        initiative_count=Count("cities__initiatives", distinct=True),
    ).order_by("name")
    return render(request, "cities/member_state_list.html", {"member_states": states})


@cache_public_page
def member_state_detail(request, slug):
    state = get_object_or_404(
        MemberState.objects.prefetch_related("sources"), slug=slug
    )
    cities = list(
        City.objects.for_list()
        .filter(member_state=state)
        .annotate(initiative_count=Count("initiatives"))
    )
    goals, rows = selectors.city_goal_matrix(cities=cities)
    covered = [
        goal for index, goal in enumerate(goals) if any(r.cells[index] for r in rows)
    ]
    return render(
        request,
        "cities/member_state_detail.html",
        {
            "member_state": state,
            "cities": cities,
            "goals": goals,
            "matrix_rows": rows,
            "covered_goals": covered,
            "map_points": selectors.map_points_for(cities),
        },
    )


@cache_public_page
def compare(request):
    slugs = [slug[:100] for slug in request.GET.getlist("city") if slug]
    slugs = list(dict.fromkeys(slugs))
    all_cities = City.objects.order_by("name").only("slug", "name")
    context = {
        "all_cities": all_cities,
        "slots": (slugs + [""] * COMPARE_MAX)[: max(COMPARE_MAX, len(slugs))],
        "errors": [],
    }
    if not slugs:
        return render(request, "cities/compare.html", context)
    valid = [slug for slug in slugs if SLUG_RE.fullmatch(slug)]
    cities = {
        city.slug: city
        for city in City.objects.for_list()
        .filter(slug__in=valid)
        .annotate(initiative_count=Count("initiatives"))
    }
    unknown = [slug for slug in slugs if slug not in cities]
    if unknown:
        context["errors"].append(
            "No city has the slug " + ", ".join(f"“{s[:60]}”" for s in unknown) + "."
        )
    elif len(slugs) == 1:
        context["notice"] = (
            f"Choose at least one more city to compare with {cities[slugs[0]].name}."
        )
        return render(request, "cities/compare.html", context)
    elif len(slugs) > COMPARE_MAX:
        context["errors"].append(
            f"Choose {COMPARE_MIN} to {COMPARE_MAX} cities to compare; "
            f"you chose {len(slugs)}."
        )
    if context["errors"]:
        return render(request, "cities/compare.html", context, status=400)
    ordered = [cities[slug] for slug in slugs]
    goals, rows = selectors.city_goal_matrix(cities=ordered)
    status_counts = selectors.status_counts_by_city(cities=ordered)
    context.update(
        {
            "cities": ordered,
            "goals": goals,
            "goal_rows": [
                (goal, [row.cells[index] for row in rows])
                for index, goal in enumerate(goals)
            ],
            "challenge_rows": selectors.challenge_rows(cities=ordered),
            "status_counts": [status_counts.get(city.pk, {}) for city in ordered],
        }
    )
    return render(request, "cities/compare.html", context)


@cache_public_page
def initiative_list(request):
    filterset = InitiativeFilter(request.GET, queryset=Initiative.objects.for_list())
    template = "cities/initiative_list.html"
    facets_for = selectors.initiative_facets
    if not filterset.is_valid():
        errors = filter_errors(filterset)
        return list_error(request, template, filterset, errors, facets_for)
    page_obj, page_error = paginate(request, filterset.qs, INITIATIVES_PER_PAGE)
    if page_error:
        errors = [("Page", page_error)]
        return list_error(request, template, filterset, errors, facets_for)
    context = {"filterset": filterset, "errors": []}
    facets = selectors.initiative_facets(filterset)
    context.update(
        {
            "page_obj": page_obj,
            "initiatives": page_obj.object_list,
            "result_count": page_obj.paginator.count,
            "facets": facets,
            "chips": selectors.active_chips(facets, request.GET),
        }
    )
    return render(request, "cities/initiative_list.html", context)


@cache_public_page
def initiative_detail(request, slug):
    initiative = get_object_or_404(
        Initiative.objects.select_related(
            "city__member_state", "primary_source__publication"
        ).prefetch_related("goals", "challenges", "partners", "sources"),
        slug=slug,
    )
    return render(
        request,
        "cities/initiative_detail.html",
        {
            "initiative": initiative,
            "similar": peers.similar_initiatives(initiative=initiative),
        },
    )


@cache_public_page
def partner_list(request):
    partners = Partner.objects.with_counts().prefetch_related("sources")
    return render(request, "cities/partner_list.html", {"partners": partners})


@cache_public_page
def partner_detail(request, slug):
    partner = get_object_or_404(Partner.objects.prefetch_related("sources"), slug=slug)
    initiatives = list(
        partner.initiatives.select_related("city__member_state").prefetch_related(
            "goals"
        )
    )
    cities = sorted({i.city for i in initiatives}, key=lambda city: city.name)
    return render(
        request,
        "cities/partner_detail.html",
        {"partner": partner, "initiatives": initiatives, "cities": cities},
    )
