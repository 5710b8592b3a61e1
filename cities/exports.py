"""CSV and JSON downloads of the city and initiative lists.

The same FilterSet as the list page and the API selects the rows, and the API's
serializers shape them, so an export holds exactly what the page lists.
"""

import csv
import io

from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.views.decorators.http import conditional_page, require_safe
from rest_framework.renderers import JSONRenderer

from .api import (
    CitySerializer,
    InitiativeSerializer,
    cities_for_api,
    initiatives_for_api,
)
from .filters import CityFilter, InitiativeFilter

FORMATS = ("csv", "json")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json; charset=utf-8",
}


def csv_value(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "; ".join(str(item) for item in value)
    return str(value)


def render_csv(fields, records):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(fields)
    for record in records:
        writer.writerow([csv_value(record[field]) for field in fields])
    return buffer.getvalue().encode("utf-8")


def filter_errors_text(errors):
    lines = ["Invalid filter parameters:"]
    for field, messages in errors.items():
        lines.extend(f"{field}: {message}" for message in messages)
    return "\n".join(lines) + "\n"


def export(request, fmt, *, filterset_class, queryset, serializer_class, name):
    if fmt not in FORMATS:
        raise Http404(f"No export format {fmt!r}; use csv or json.")
    filterset = filterset_class(request.GET, queryset=queryset)
    if not filterset.is_valid():
        return HttpResponseBadRequest(
            filter_errors_text(filterset.errors),
            content_type="text/plain; charset=utf-8",
        )
    serializer = serializer_class(filterset.qs, many=True, context={"request": request})
    records = serializer.data
    if fmt == "csv":
        body = render_csv(list(serializer.child.fields), records)
    else:
        body = JSONRenderer().render(records)
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="ascn-{name}.{fmt}"'
    return response


@require_safe
@conditional_page
def city_export(request, fmt):
    return export(
        request,
        fmt,
        filterset_class=CityFilter,
        queryset=cities_for_api(),
        serializer_class=CitySerializer,
        name="cities",
    )


@require_safe
@conditional_page
def initiative_export(request, fmt):
    return export(
        request,
        fmt,
        filterset_class=InitiativeFilter,
        queryset=initiatives_for_api(),
        serializer_class=InitiativeSerializer,
        name="initiatives",
    )
