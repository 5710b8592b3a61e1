"""/learn/: the learning brief as a page, a CSV and a JSON download, and its API."""

import json

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.decorators import api_view
from rest_framework.response import Response

from cities.exports import render_csv
from cities.models import City
from framework.cache import cached_until_edit
from framework.http import bad_parameters_text, public_page
from framework.models import Challenge, Goal
from framework.params import unknown_message, unknown_parameters

from .brief import (
    CSV_COLUMNS,
    brief_build,
    brief_data,
    brief_rows,
    choice_from_query,
    nothing_line,
    section_build,
    section_key,
)

LABELS = {
    "city": "City",
    "challenge": "Challenge",
    "goal": "Goal",
    "other_states": "Other member states only",
}


def unknown_errors(choice):
    errors = []
    for name, value in choice.unknown:
        if name == "other_states":
            message = f"“{value}” is not yes or no; it was ignored."
        else:
            message = (
                f"No {LABELS[name].lower()} “{value}” in the network; it was left out."
            )
        errors.append((LABELS[name], message))
    return errors


# Up to this many cities the form lists them; beyond, it offers a text box (a
# list of 10,000 cities would weigh more than the rest of the page).
CITY_OPTIONS_MAX = 100


def form_options():
    """The form's choices: cities (None when too many to list), challenges, goals;
    the same for every visitor until the next edit."""
    return cached_until_edit("learn-form-options", _form_options)


def _form_options():
    cities = list(
        City.objects.select_related("member_state")
        .order_by("name", "slug")
        .only("slug", "name", "member_state__name")[: CITY_OPTIONS_MAX + 1]
    )
    return {
        "city_options": cities if len(cities) <= CITY_OPTIONS_MAX else None,
        "challenge_options": list(Challenge.objects.order_by("kind", "name")),
        "goal_options": list(Goal.objects.all()),
    }


BRIEF_PARAMETERS = ["city", "challenge", "goal", "other_states"]


@public_page(accepts=BRIEF_PARAMETERS)
def brief(request):
    choice = choice_from_query(request.GET)
    errors = unknown_errors(choice)
    topics = [*choice.challenges, *choice.goals]
    context = {
        "choice": choice,
        "sections": topics,
        "topics": topics,
        "section_html": [
            section_html(topic=topic, kind=kind, choice=choice)
            for topic, kind in [
                *((c, "challenge") for c in choice.challenges),
                *((g, "goal") for g in choice.goals),
            ]
        ],
        "errors": errors,
        "chosen_challenges": {c.slug for c in choice.challenges},
        "chosen_goals": {g.slug for g in choice.goals},
        "query": request.GET.urlencode(),
        **form_options(),
    }
    return render(request, "learn/brief.html", context, status=400 if errors else 200)


def section_html(*, topic, kind, choice):
    """One section of the brief as HTML, kept until the next content edit: the
    same choice gives the same section for every visitor (rendering its
    initiatives, peers and sources is most of a brief's cost)."""
    city = choice.city

    def build():
        section = section_build(topic=topic, kind=kind, choice=choice)
        section.nothing = nothing_line(section, city)
        return render_to_string(
            "learn/section.html", {"section": section, "choice": choice}
        )

    key = section_key("brief-html", topic=topic, kind=kind, choice=choice)
    return mark_safe(cached_until_edit(key, build))  # our template escapes values


def _data_or_error(request):
    choice = choice_from_query(request.GET)
    errors = unknown_errors(choice)
    if errors:
        return None, errors
    if choice.empty:
        return None, [("Brief", "Choose at least one challenge or goal.")]
    return brief_data(choice, brief_build(choice), request=request), []


def _error_text(errors):
    return "".join(f"{label}: {message}\n" for label, message in errors)


@public_page(accepts=BRIEF_PARAMETERS, bad_request=bad_parameters_text)
def brief_csv(request):
    data, errors = _data_or_error(request)
    if errors:
        return HttpResponse(
            _error_text(errors), status=400, content_type="text/plain; charset=utf-8"
        )
    rows = [
        {column: row.get(column, "") for column in CSV_COLUMNS}
        for row in brief_rows(data)
    ]
    response = HttpResponse(
        render_csv(CSV_COLUMNS, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="learning-brief.csv"'
    return response


@public_page(accepts=BRIEF_PARAMETERS, bad_request=bad_parameters_text)
def brief_json(request):
    data, errors = _data_or_error(request)
    if errors:
        return HttpResponse(
            _error_text(errors), status=400, content_type="text/plain; charset=utf-8"
        )
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=1),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="learning-brief.json"'
    return response


@extend_schema(
    operation_id="learn_brief",
    summary="A learning brief",
    description=(
        "For each chosen challenge or goal: the initiatives that address it "
        "(direct links first, by the status scale), the peer cities running them "
        "with their official websites, the partner programmes, the chosen city's "
        "own initiatives, and a line when nothing in the network addresses it."
    ),
    parameters=[
        OpenApiParameter("city", OpenApiTypes.STR, description="A city slug."),
        OpenApiParameter(
            "challenge", OpenApiTypes.STR, many=True, description="Challenge slugs."
        ),
        OpenApiParameter(
            "goal", OpenApiTypes.STR, many=True, description="Goal slugs."
        ),
        OpenApiParameter(
            "other_states",
            OpenApiTypes.BOOL,
            description="Only initiatives of other member states than the city's.",
        ),
    ],
    responses={
        200: OpenApiResponse(OpenApiTypes.OBJECT, description="The brief."),
        400: OpenApiResponse(
            OpenApiTypes.OBJECT, description="Unknown city, challenge or goal."
        ),
    },
)
@api_view(["GET"])
def brief_api(request):
    accepted = {*BRIEF_PARAMETERS, "format"}
    unknown = unknown_parameters(request.query_params, accepted)
    if unknown:
        message = unknown_message(unknown, accepted)
        return Response(
            {"errors": [{"parameter": n, "message": message} for n in unknown]},
            status=400,
        )
    data, errors = _data_or_error(request)
    if errors:
        return Response(
            {"errors": [{"parameter": label, "message": m} for label, m in errors]},
            status=400,
        )
    return Response(data)
