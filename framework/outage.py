"""A database that does not answer is an outage, and visitors are told so: 503
with Retry-After, not the 500 of a bug. Tools and caches treat a 503 as "try
again later", and the page cache never keeps it (it keeps 200s only)."""

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
API_PREFIX = "/api/"


class DatabaseUnavailableMiddleware:
    """Answers 503 when a view fails because the database cannot be reached or
    gave up on a query (PostgreSQL's statement timeout, SQLite's lock timeout):
    Django raises OperationalError or InterfaceError for these."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        logger.error(
            "Database unavailable: %s %s: %s",
            request.method,
            request.path,
            exception,
        )
        if request.path.startswith(API_PREFIX):
            response = JsonResponse(
                {"detail": "The database is not answering; try again later."},
                status=503,
            )
        else:
            # A page of its own, without the site's templates and their context
            # processors: nothing in it reads the database.
            response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response
