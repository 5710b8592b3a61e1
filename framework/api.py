"""The API's building blocks, shared by every app's endpoints (pagination, URL and
count fields, the read-only viewset with its parameter check and page cache), and
the endpoint for the sources."""

import re
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.http import conditional_page
from django.views.decorators.vary import vary_on_headers
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination

from .cache import CachedCountPaginator, cache_public_page
from .models import Publication, Source
from .params import page_number, unknown_message, unknown_parameters


class PortalPagination(PageNumberPagination):
    """`?page=` and `?page_size=` (up to 500); an invalid page is a JSON 404."""

    django_paginator_class = CachedCountPaginator
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_size(self, request):
        """The asked page size; one that is not a whole number from 1 to
        max_page_size answers 400 (DRF would quietly use the default)."""
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not re.fullmatch(r"[0-9]{1,6}", raw) or not (
            1 <= int(raw) <= self.max_page_size
        ):
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        f"Must be a whole number from 1 to {self.max_page_size}."
                    ]
                }
            )
        return int(raw)

    def get_page_number(self, request, paginator):
        """Only ASCII digits name a page (int() would also take " 1", "+1",
        "1_0" or "１"); anything else is a 404, as any page that is not there."""
        number = request.query_params.get(self.page_query_param)
        if number is None:
            return 1
        if number in self.last_page_strings or page_number(number) is not None:
            return number
        raise NotFound(self.invalid_page_message.format(page_number=number[:50]))

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
            if parameter["name"] == self.page_query_param:
                parameter["schema"].update(minimum=1)
        return parameters


@extend_schema_field(OpenApiTypes.URI)
class HtmlUrlField(serializers.Field):
    """Absolute address of the record's HTML page."""

    def __init__(self, **kwargs):
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        url = value.get_absolute_url()
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


@extend_schema_field(OpenApiTypes.URI)
class FilteredListUrlField(serializers.Field):
    """Absolute address of an API list filtered to the record, such as
    `/api/v1/cities/?goal=<slug>`: related records are linked and counted, not
    nested, so a record's size does not grow with the data."""

    def __init__(self, list_name, parameter, **kwargs):
        self.list_name = list_name
        self.parameter = parameter
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        query = urlencode({self.parameter: value.slug})
        url = f"{reverse(f'api:{self.list_name}-list')}?{query}"
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


class LookedUpCountField(serializers.IntegerField):
    """A count looked up by the record's primary key in `counts()`, a dict
    {pk: n} that the pages read too (a selector), fetched once per response:
    the API and the pages cannot count the same thing two ways."""

    def __init__(self, *, counts, **kwargs):
        self.counts = counts
        self.looked_up = None
        super().__init__(source="pk", read_only=True, min_value=0, **kwargs)

    def to_representation(self, pk):
        if self.looked_up is None:  # fields are copied for each serializer
            self.looked_up = self.counts()
        return self.looked_up.get(pk, 0)


def slugs(**kwargs):
    return serializers.SlugRelatedField(slug_field="slug", read_only=True, **kwargs)


@extend_schema_field(OpenApiTypes.STR)
class SourceUrlField(serializers.SlugRelatedField):
    """A source address as recorded. Some hold non-ASCII characters (they are
    IRIs, not URIs), so the schema calls them plain strings."""


def source_urls(**kwargs):
    """A list of source URLs."""
    return SourceUrlField(slug_field="url", many=True, read_only=True, **kwargs)


def unverified_field():
    return serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text="Names of fields not confirmed by a source.",
    )


def with_tiebreak(queryset):
    """Keep the queryset's ordering and add the primary key, so pages are stable."""
    ordering = list(queryset.query.order_by or queryset.model._meta.ordering)
    return queryset.order_by(*ordering, "pk")


# Decorators apply bottom-up: the page cache sits inside conditional_page, so a
# cached answer keeps its ETag and still answers If-None-Match with 304; it keeps
# `Vary: Accept` too, telling other caches what this one keys on.
@method_decorator(conditional_page, name="dispatch")
@method_decorator(cache_public_page(vary_on_headers=["Accept"]), name="dispatch")
@method_decorator(vary_on_headers("Accept"), name="dispatch")
class ReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """GET only (other methods get 405); responses carry an ETag and answer
    If-None-Match with 304. Anonymous answers are kept in the page cache until
    the next content edit, like the HTML pages."""

    pagination_class = PortalPagination

    def accepted_parameters(self):
        """The query parameters this request may carry: `format`; the FilterSet's
        filters (a record outside them is not found); on lists the page and the
        page size."""
        names = {"format"}
        if getattr(self, "filterset_class", None) is not None:
            names |= set(self.filterset_class.base_filters)
        if self.action == "list":
            names |= {"page", "page_size"}
        return names

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.method not in ("GET", "HEAD"):
            return  # answered 405 next, whatever its parameters
        accepted = self.accepted_parameters()
        unknown = unknown_parameters(request.query_params, accepted)
        if unknown:
            message = unknown_message(unknown, accepted)
            raise ValidationError({name: [message] for name in unknown})


class PublicationSerializer(serializers.ModelSerializer):
    # Addresses as recorded; some are IRIs with non-ASCII characters, not URIs.
    url = serializers.CharField(read_only=True)

    class Meta:
        model = Publication
        fields = ["key", "authors", "year", "title", "venue", "doi", "url"]


class SourceSerializer(serializers.ModelSerializer):
    url = serializers.CharField(read_only=True)
    publication = PublicationSerializer(read_only=True, allow_null=True)
    html_url = HtmlUrlField()

    class Meta:
        model = Source
        fields = ["id", "url", "title", "publication", "html_url"]


class SourceViewSet(ReadOnlyViewSet):
    """The web addresses the portal's facts come from."""

    queryset = with_tiebreak(Source.objects.select_related("publication"))
    serializer_class = SourceSerializer
