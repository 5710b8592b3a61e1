from django.core.paginator import InvalidPage, Paginator
from django.db import connection
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache

from cities import peers, selectors
from cities.models import City, Initiative, MemberState

from . import search as search_backend
from .cache import cache_public_page
from .models import (
    Challenge,
    FrameworkPart,
    Goal,
    Milestone,
    NetworkFigure,
    Outcome,
    Publication,
    Source,
)

MAX_QUERY_LENGTH = 200


@never_cache
def healthz(request):
    """200 when the app and its database answer, 503 when the database does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return HttpResponse(
            "database unavailable\n", status=503, content_type="text/plain"
        )
    return HttpResponse("ok\n", content_type="text/plain")


# The home page stays light however large the network grows: the matrix and the
# map show the earliest cohorts first, up to these caps, and link to the full list.
HOME_MATRIX_MAX = 60
HOME_MAP_MAX = 150


@cache_public_page
def home(request):
    by_cohort = City.objects.for_list().order_by("cohort_year", "name")
    map_cities = list(by_cohort[:HOME_MAP_MAX])
    matrix_cities = map_cities[:HOME_MATRIX_MAX]
    goals, rows = selectors.city_goal_matrix(cities=matrix_cities)
    goal_counts = selectors.goal_city_counts()
    counts = selectors.network_counts()
    return render(
        request,
        "framework/home.html",
        {
            "counts": counts,
            "member_state_count": MemberState.objects.count(),
            "goals": [(goal, goal_counts.get(goal.pk, 0)) for goal in goals],
            "matrix_goals": goals,
            "matrix_rows": rows,
            "matrix_truncated": counts["cities"] > len(matrix_cities),
            "map_points": selectors.map_points_for(map_cities),
            "map_truncated": counts["cities"] > len(map_cities),
            "challenges": Challenge.objects.annotate(city_count=Count("cities")),
            "definition": FrameworkPart.objects.filter(slug="smart-city-definition")
            .prefetch_related("sources")
            .first(),
        },
    )


@cache_public_page
def about(request):
    return render(
        request,
        "framework/about.html",
        {
            "parts": FrameworkPart.objects.prefetch_related("sources"),
            "outcomes": Outcome.objects.prefetch_related("sources"),
            "goals": Goal.objects.prefetch_related("sources"),
            "milestones": Milestone.objects.prefetch_related("sources"),
            "figures": NetworkFigure.objects.prefetch_related("sources"),
            "status_rank": peers.STATUS_RANK,
            "status_labels": Initiative.Status,
        },
    )


@cache_public_page
def goal_list(request):
    goals = Goal.objects.annotate(
        city_count=Count("cities", distinct=True),
        initiative_count=Count("initiatives", distinct=True),
    ).prefetch_related("challenges")
    return render(request, "framework/goal_list.html", {"goals": goals})


@cache_public_page
def goal_detail(request, slug):
    goal = get_object_or_404(
        Goal.objects.prefetch_related("sources", "challenges"), slug=slug
    )
    cities = list(goal.cities.select_related("member_state"))
    initiatives = list(
        goal.initiatives.select_related("city__member_state").prefetch_related(
            "partners"
        )
    )
    return render(
        request,
        "framework/goal_detail.html",
        {
            "goal": goal,
            "cities": cities,
            "challenges": list(goal.challenges.all()),
            "initiatives": initiatives,
            "peers": peers.peers_for_topic(topic=goal, kind="goal"),
        },
    )


@cache_public_page
def challenge_list(request):
    challenges = Challenge.objects.annotate(
        city_count=Count("cities", distinct=True)
    ).prefetch_related("goals")
    return render(request, "framework/challenge_list.html", {"challenges": challenges})


@cache_public_page
def challenge_detail(request, slug):
    challenge = get_object_or_404(
        Challenge.objects.prefetch_related("sources", "goals"), slug=slug
    )
    cities = list(challenge.cities.select_related("member_state"))
    topic_peers = peers.peers_for_topic(topic=challenge, kind="challenge")
    addressing = list(
        challenge.initiatives.select_related("city__member_state").prefetch_related(
            "goals"
        )
    )
    return render(
        request,
        "framework/challenge_detail.html",
        {
            "challenge": challenge,
            "cities": cities,
            "goals": list(challenge.goals.all()),
            "initiatives": addressing,
            "peers": topic_peers,
        },
    )


SOURCES_PER_PAGE = 50


@cache_public_page
def source_list(request):
    sources = Source.objects.select_related("publication").order_by("url")
    one = request.GET.get("source", "")
    if one:
        # One source with the records citing it: the target of Source permalinks.
        sources = sources.filter(pk=int(one)) if one.isdigit() else sources.none()
    paginator = Paginator(sources, SOURCES_PER_PAGE)
    try:
        page_obj = paginator.page(int(request.GET.get("page", "1")))
    except (ValueError, InvalidPage):
        return render(
            request,
            "framework/source_list.html",
            {"errors": ["There is no such page of sources."], "publications": []},
            status=400,
        )
    cited_by = search_backend.citing_records(sources=page_obj.object_list)
    return render(
        request,
        "framework/source_list.html",
        {
            "publications": Publication.objects.all() if page_obj.number == 1 else [],
            "page_obj": page_obj,
            "sources": [(source, cited_by.get(source.pk, [])) for source in page_obj],
        },
    )


@cache_public_page
def search(request):
    query = request.GET.get("q", "").strip()
    context = {"query": query, "groups": [], "errors": []}
    if "\x00" in query:
        context["query"] = ""
        context["errors"].append("The search text contains a character we cannot use.")
        return render(request, "framework/search.html", context, status=400)
    if len(query) > MAX_QUERY_LENGTH:
        context["errors"].append(
            f"The search text is too long ({len(query)} characters); "
            f"use at most {MAX_QUERY_LENGTH}."
        )
        return render(request, "framework/search.html", context, status=400)
    if query:
        context["groups"] = search_backend.search_all(query)
        context["total"] = sum(len(group["results"]) for group in context["groups"])
    return render(request, "framework/search.html", context)
