"""CSV and JSON downloads of the city and initiative lists.

The same FilterSet as the list page and the API selects the rows, and the API's
serializers shape them, so an export holds exactly what the page lists.

Exports are streamed: rows are read in chunks (`iterator()`; the API's list
serializers read each chunk's links in one query per relation, as values) and
sent as they are written, so memory stays flat however many rows match. The
API's serializers make the export match the API record for record: cities as
model instances, initiatives as values rows (see cities/api.py).
Anonymous exports are kept in the page cache until the next edit, like pages.

CSV cells are written safe for spreadsheets (OWASP, CSV injection): a text cell
beginning with `=`, `+`, `-`, `@`, a tab or a carriage return would be run as a
formula, so it is written with a single quote in front. Numbers are not text
and are written as they are (a latitude of -6.2 stays a number).
"""

import csv
import itertools
import json

from django.http import Http404, HttpResponseBadRequest, StreamingHttpResponse
from django.views.decorators.http import condition
from rest_framework.renderers import JSONRenderer

from framework.cache import content_etag
from framework.http import bad_parameters_text, public_page

from .api import (
    CitySerializer,
    InitiativeSerializer,
)
from .filters import CityFilter, InitiativeFilter
from .models import City, Initiative

FORMATS = ("csv", "json")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json; charset=utf-8",
}
CHUNK_SIZE = 1000
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(text):
    """Text a spreadsheet shows as text, never runs as a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_value(value):
    # Text first: most cells are text (an export writes some 50 cells a row), and
    # plain text before its subclasses (a type test is cheaper than isinstance).
    if type(value) is str:
        return "'" + value if value.startswith(FORMULA_STARTS) else value
    if isinstance(value, str):
        return csv_safe(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return csv_safe("; ".join(str(item) for item in value))
    if isinstance(value, dict):
        # JSON, as the API writes it (a city's sources by challenge), not
        # Python's own notation.
        return csv_safe(json.dumps(value, ensure_ascii=False))
    return str(value)


class Echo:
    """A file-like object whose write() returns what it was given (the csv
    module's streaming pattern from Django's documentation)."""

    def write(self, value):
        return value


def csv_rows(fields, batches):
    writer = csv.writer(Echo())
    yield writer.writerow(fields)
    for records in batches:
        yield "".join(
            writer.writerow([csv_value(record[field]) for field in fields])
            for record in records
        )


def render_csv(fields, records):
    """A whole CSV at once, for short tables (the learning brief)."""
    return "".join(csv_rows(fields, [records])).encode("utf-8")


def json_rows(batches):
    renderer = JSONRenderer()
    yield "["
    first = True
    for records in batches:
        for record in records:
            yield (b"" if first else b",") + renderer.render(record)
            first = False
    yield "]"


def serialized_batches(queryset, serializer_class, request):
    """The serialized records, CHUNK_SIZE at a time: the rows come through one
    query, and each chunk's links take one query per relation."""
    rows = queryset.iterator(chunk_size=CHUNK_SIZE)
    context = {"request": request}
    while batch := list(itertools.islice(rows, CHUNK_SIZE)):
        yield serializer_class(batch, many=True, context=context).data


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
    if request.method == "HEAD":
        # A GET's headers without making the download, which the server would
        # drop (up to seconds of work at 100,000 rows). Streamed: no length,
        # where a plain response would be given "Content-Length: 0".
        rows = iter(())
    else:
        rows = export_rows(request, fmt, filterset.qs, serializer_class)
    response = StreamingHttpResponse(rows, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="ascn-{name}.{fmt}"'
    return response


def export_rows(request, fmt, queryset, serializer_class):
    batches = serialized_batches(queryset, serializer_class, request)
    # The first chunk is read here, before the answer starts: a database that
    # fails is then the view's error (a 503), not a download cut short after a 200.
    batches = itertools.chain([next(batches, [])], batches)
    if fmt == "csv":
        return csv_rows(list(serializer_class().fields), batches)
    return json_rows(batches)


@condition(etag_func=content_etag)
@public_page(accepts=CityFilter.base_filters, bad_request=bad_parameters_text)
def city_export(request, fmt):
    return export(
        request,
        fmt,
        filterset_class=CityFilter,
        queryset=City.objects.for_api(),
        serializer_class=CitySerializer,
        name="cities",
    )


@condition(etag_func=content_etag)
@public_page(accepts=InitiativeFilter.base_filters, bad_request=bad_parameters_text)
def initiative_export(request, fmt):
    return export(
        request,
        fmt,
        filterset_class=InitiativeFilter,
        queryset=Initiative.objects.for_api(),
        serializer_class=InitiativeSerializer,
        name="initiatives",
    )
