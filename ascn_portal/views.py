"""The site-wide pages, above the apps: home, about, search, sources, the API's
documentation and /healthz. They read from every app; no app imports them."""

import functools
import re
import threading

from django.core.paginator import InvalidPage, Paginator
from django.db import connections
from django.db.utils import load_backend
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from cities import mapping, selectors
from cities.models import STATUS_RANK, City, Initiative, MemberState
from cities.sizes import SIZE_CLASSES
from framework import figures
from framework.cache import cached_until_edit
from framework.http import public_page
from framework.markup import esc
from framework.models import (
    CandidateCity,
    Challenge,
    FrameworkPart,
    Goal,
    Milestone,
    NetworkFigure,
    Outcome,
    Publication,
    Source,
)
from framework.params import page_number, printable
from learn.views import form_options as learn_form_options

from . import search as search_backend

MAX_QUERY_LENGTH = 200


# /healthz answers within this many seconds whatever the database does: a load
# balancer must get a 503, not a hung request, from a database that stopped
# answering (DB_CONNECT_TIMEOUT bounds the abandoned check).
HEALTH_TIMEOUT = 1.5


def health_database_settings():
    return connections["default"].settings_dict.copy()


def database_answers(settings_dict, *, timeout):
    """Whether the database answers `SELECT 1` within `timeout` seconds.

    The check runs on a fresh connection in its own thread, so a server that
    accepts the connection and then stays silent cannot hold the request: after
    `timeout` the thread is left to the connection timeout, and the answer is no.
    """
    answered = threading.Event()

    def check():
        database = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(
            settings_dict, alias="healthz"
        )
        try:
            with database.cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchone()
            answered.set()
        except Exception:
            pass
        finally:
            database.close()

    threading.Thread(target=check, daemon=True, name="healthz").start()
    return answered.wait(timeout)


@csrf_exempt
@require_safe
@never_cache
def healthz(request):
    """200 when the app and its database answer, 503 when the database does not
    (down, refusing, or silent) within HEALTH_TIMEOUT seconds."""
    if not database_answers(health_database_settings(), timeout=HEALTH_TIMEOUT):
        return HttpResponse(
            "database unavailable\n", status=503, content_type="text/plain"
        )
    return HttpResponse("ok\n", content_type="text/plain")


# The home page stays light however large the network grows: the matrix and the
# map show the earliest cohorts first, up to these caps, and link to the full list.
HOME_MATRIX_MAX = 60
HOME_MAP_MAX = 100


def home_city_sections():
    """The home page's map and city x goal table, rendered to HTML.

    They are the costly part of the page at scale (a marker, links and cells per
    city shown) and the same for every visitor, so the HTML is kept until the
    next content edit. Two or three queries when it is built, none after.
    """
    cities = list(
        City.objects.for_list().order_by("cohort_year", "name")[:HOME_MAP_MAX]
    )
    matrix_cities = cities[:HOME_MATRIX_MAX]
    goals, rows = selectors.city_goal_matrix(cities=matrix_cities)
    points = mapping.map_points(cities)
    return {
        "map_html": render_to_string("includes/map.html", {"points": points}),
        "map_count": len(cities),
        "matrix_html": render_to_string(
            "includes/matrix.html", {"matrix_goals": goals, "matrix_rows": rows}
        ),
        "matrix_count": len(matrix_cities),
    }


@public_page
def home(request):
    sections = cached_until_edit("home:city-sections", home_city_sections)
    # Whole-table counts: the same for every visitor until the next edit.
    goal_counts = selectors.topic_counts(kind="goal", linked="cities")
    challenge_counts = selectors.topic_counts(kind="challenge", linked="cities")
    challenges = list(Challenge.objects.all())
    for challenge in challenges:
        challenge.city_count = challenge_counts.get(challenge.pk, 0)
    counts = cached_until_edit("home:network-counts", selectors.network_counts)
    return render(
        request,
        "portal/home.html",
        {
            "counts": counts,
            "member_state_count": MemberState.objects.count(),
            "goals": [
                (goal, goal_counts.get(goal.pk, 0)) for goal in Goal.objects.all()
            ],
            # Rendered by our own templates, which escape every value.
            "map_html": mark_safe(sections["map_html"]),
            "map_count": sections["map_count"],
            "map_truncated": counts["cities"] > sections["map_count"],
            "matrix_html": mark_safe(sections["matrix_html"]),
            "matrix_count": sections["matrix_count"],
            "matrix_truncated": counts["cities"] > sections["matrix_count"],
            "challenges": challenges,
            **learn_form_options(),
            "chosen_challenges": (),
            "definition": FrameworkPart.objects.filter(slug="smart-city-definition")
            .prefetch_related("sources")
            .first(),
        },
    )


@public_page
def about(request):
    goals = list(Goal.objects.prefetch_related("sources"))
    goal_names = {goal.slug: goal.name for goal in goals}
    network_figures = list(NetworkFigure.objects.prefetch_related("sources"))
    candidates = list(CandidateCity.objects.prefetch_related("sources"))
    return render(
        request,
        "portal/about.html",
        {
            "parts": FrameworkPart.objects.prefetch_related("sources"),
            "outcomes": Outcome.objects.prefetch_related("sources"),
            "goals": goals,
            "milestones": Milestone.objects.prefetch_related("sources"),
            "figures": [
                figures.figure_table(figure, goal_names=goal_names)
                for figure in network_figures
            ],
            "roster": figures.roster_gap(
                network_figures,
                city_count=City.objects.count(),
                candidates=candidates,
            ),
            "size_classes": SIZE_CLASSES,
            "status_rank": STATUS_RANK,
            "status_labels": Initiative.Status,
        },
    )


SOURCES_PER_PAGE = 50


def source_item_html(source, records):
    """One item of the list of sources: its address and the records citing it
    (search.CitingRecord), written in Python: a page of 50 sources is cited some 550
    times, and the template language cost half the page."""
    cited = ""
    if records:
        cited = '<br><span class="muted">Cited by:</span> ' + "; ".join(
            f'<a href="{esc(record.get_absolute_url())}">{esc(record.name)}</a>'
            for record in records
        )
    url = esc(source.url)
    return mark_safe(
        f'<li id="source-{esc(source.pk)}"><a href="{url}" rel="noopener external">'
        f"{url}</a>\n    {cited}\n  </li>"
    )


@public_page(accepts=["source", "page"])
def source_list(request):
    sources = Source.objects.select_related("publication").order_by("url")
    one = request.GET.get("source", "")
    if one:
        # One source with the records citing it: the target of Source permalinks.
        # ASCII digits only: "²" is a digit to str.isdigit() but not to int(),
        # and 18 at most, as a database integer holds.
        is_id = re.fullmatch(r"[0-9]{1,18}", one)
        sources = sources.filter(pk=int(one)) if is_id else sources.none()
    paginator = Paginator(sources, SOURCES_PER_PAGE)
    number = page_number(request.GET.get("page", "1"))
    try:
        if number is None:
            raise InvalidPage
        page_obj = paginator.page(number)
    except InvalidPage:
        return render(
            request,
            "portal/source_list.html",
            {"errors": [("", "There is no such page of sources.")], "publications": []},
            status=400,
        )
    if one and not page_obj.object_list:
        # A permalink to a source that is not (or no longer) recorded.
        return render(
            request,
            "portal/source_list.html",
            {
                "errors": [("", f"There is no source {printable(one[:50])}.")],
                "publications": [],
            },
            status=404,
        )
    cited_by = search_backend.citing_records(sources=page_obj.object_list)
    return render(
        request,
        "portal/source_list.html",
        {
            "publications": Publication.objects.all() if page_obj.number == 1 else [],
            "page_obj": page_obj,
            "source_items": [
                source_item_html(source, cited_by.get(source.pk, []))
                for source in page_obj
            ],
        },
    )


@public_page(accepts=["q"])
def search(request):
    query = request.GET.get("q", "").strip()
    context = {"query": query, "groups": [], "errors": []}
    if "\x00" in query:
        context["query"] = ""
        context["errors"].append(
            ("", "The search text contains a character we cannot use.")
        )
        return render(request, "portal/search.html", context, status=400)
    if len(query) > MAX_QUERY_LENGTH:
        context["errors"].append(
            (
                "",
                f"The search text is too long ({len(query)} characters); "
                f"use at most {MAX_QUERY_LENGTH}.",
            )
        )
        return render(request, "portal/search.html", context, status=400)
    if query:
        searched = search_backend.respell(query)
        if searched != " ".join(query.split()):
            context["searched_as"] = searched
        context["groups"] = search_backend.search_all(query)
        context["total"] = sum(len(group["results"]) for group in context["groups"])
        context["capped"] = any(group["more"] for group in context["groups"])
    return render(request, "portal/search.html", context)


@functools.cache
def api_schema():
    """The API's OpenAPI schema as a dict: the same for every request, built
    once per process."""
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)


def api_endpoints(schema):
    """The schema's read operations in words: path, description, parameters."""
    endpoints = []
    for path, operations in schema["paths"].items():
        operation = operations.get("get")
        if not operation:
            continue
        parameters = [
            {
                "name": parameter["name"],
                "where": parameter["in"],
                "type": parameter.get("schema", {}).get("type", ""),
                "repeat": parameter.get("schema", {}).get("type") == "array",
                "description": parameter.get("description", ""),
                "enum": parameter.get("schema", {}).get("items", {}).get("enum")
                or parameter.get("schema", {}).get("enum")
                or [],
            }
            for parameter in operation.get("parameters", [])
        ]
        endpoints.append(
            {
                "path": path,
                "id": operation.get("operationId", path),
                "tag": (operation.get("tags") or [""])[0],
                "description": operation.get("description", ""),
                "parameters": parameters,
                "example": path if "{" not in path else "",
            }
        )
    return endpoints


@public_page
def api_docs(request):
    """The API's documentation inside the portal's layout: made from the OpenAPI
    schema on the server, so it reads without JavaScript."""
    schema = api_schema()
    return render(
        request,
        "portal/api_docs.html",
        {"info": schema.get("info", {}), "endpoints": api_endpoints(schema)},
    )
