"""Filters shared by the HTML pages and the API: one FilterSet per resource.

Slug facets: repeating a parameter means OR within that facet; different facets
combine with AND. Unknown values make the FilterSet invalid; the views then answer
400 with the error, instead of silently ignoring the facet.
"""

import re

import django_filters
from django import forms
from django.db.models import Q

from framework.models import Challenge, Goal

from .models import City, Initiative, MemberState, Partner
from .sizes import SIZE_CLASSES, population_q

MAX_QUERY_LENGTH = 200
SLUG_RE = re.compile(r"[-a-zA-Z0-9_]+")


class SlugMultipleChoiceField(django_filters.fields.ModelMultipleChoiceField):
    """Checks each value is slug-shaped before asking the database about it, so
    odd input (NUL bytes, huge strings) gets the same clear message as any
    unknown value."""

    def _check_values(self, value):
        for item in value:
            text = str(item)
            if len(text) > 100 or not SLUG_RE.fullmatch(text):
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": text[:100]},
                )
        return super()._check_values(value)


class SlugMultipleFilter(django_filters.ModelMultipleChoiceFilter):
    """Repeatable slug parameter; `distinct` stays on for to-many lookups."""

    field_class = SlugMultipleChoiceField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("to_field_name", "slug")
        super().__init__(*args, **kwargs)


def search_terms(value):
    return [term for term in value.split() if term][:10]


class DynamicChoicesFilterSet(django_filters.FilterSet):
    """A FilterSet whose choice lists come from the database.

    `dynamic_choices()` returns {filter name: choices}. Pass `choices=` (another
    instance's `.choices`) to reuse them without querying again, as the facet
    counts do for each facet.
    """

    def __init__(self, *args, choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.choices = choices if choices is not None else self.dynamic_choices()
        for name, options in self.choices.items():
            filter_ = self.filters[name]
            filter_.extra["choices"] = options
            # A form field built earlier (the API schema generator builds them on
            # the class's filters) would keep stale choices: build it again.
            filter_.__dict__.pop("_field", None)

    def dynamic_choices(self):
        return {}


class CityFilter(DynamicChoicesFilterSet):
    member_state = SlugMultipleFilter(
        field_name="member_state__slug",
        queryset=MemberState.objects.all(),
        label="Member state",
    )
    size = django_filters.MultipleChoiceFilter(
        choices=[
            (size.slug, f"{size.label} ({size.description})") for size in SIZE_CLASSES
        ],
        method="filter_size",
        label="City size",
    )
    goal = SlugMultipleFilter(
        field_name="focus_goals__slug", queryset=Goal.objects.all(), label="Goal"
    )
    challenge = SlugMultipleFilter(
        field_name="challenges__slug",
        queryset=Challenge.objects.all(),
        label="Challenge",
    )
    cohort = django_filters.MultipleChoiceFilter(
        field_name="cohort_year", choices=[], label="Joined ASCN"
    )
    q = django_filters.CharFilter(
        method="filter_text",
        label="Search",
        max_length=MAX_QUERY_LENGTH,
    )
    sort = django_filters.OrderingFilter(
        fields=(
            ("name", "name"),
            ("population", "population"),
            ("member_state__name", "member_state"),
        ),
        field_labels={
            "name": "Name",
            "population": "Population",
            "member_state__name": "Member state",
        },
        label="Sort by",
        empty_label=None,
    )

    # Facets shown with counts on the city list, in this order.
    FACETS = ("member_state", "size", "goal", "challenge", "cohort")

    class Meta:
        model = City
        fields = []

    def dynamic_choices(self):
        years = (
            City.objects.order_by("cohort_year")
            .values_list("cohort_year", flat=True)
            .distinct()
        )
        return {"cohort": [(str(year), str(year)) for year in years]}

    def filter_size(self, queryset, name, value):
        condition = Q()
        for slug in value:
            condition |= Q(**population_q(slug))
        return queryset.filter(condition)

    def filter_text(self, queryset, name, value):
        for term in search_terms(value):
            queryset = queryset.filter(
                Q(name__icontains=term)
                | Q(member_state__name__icontains=term)
                | Q(slug__icontains=term)
            )
        return queryset

    @property
    def qs(self):
        queryset = super().qs
        if not self.form.cleaned_data.get("sort"):
            queryset = queryset.order_by("name")
        return queryset


class InitiativeFilter(DynamicChoicesFilterSet):
    member_state = SlugMultipleFilter(
        field_name="city__member_state__slug",
        queryset=MemberState.objects.all(),
        label="Member state",
    )
    city = SlugMultipleFilter(
        field_name="city__slug", queryset=City.objects.all(), label="City"
    )
    goal = SlugMultipleFilter(
        field_name="goals__slug", queryset=Goal.objects.all(), label="Goal"
    )
    challenge = SlugMultipleFilter(
        field_name="challenges__slug",
        queryset=Challenge.objects.all(),
        label="Challenge",
    )
    status = django_filters.MultipleChoiceFilter(
        choices=Initiative.Status.choices, label="Status"
    )
    partner = django_filters.MultipleChoiceFilter(
        choices=[], method="filter_partner", label="Partner"
    )
    year = django_filters.MultipleChoiceFilter(
        field_name="year", choices=[], label="Year (first reported)"
    )
    q = django_filters.CharFilter(
        method="filter_text", label="Search", max_length=MAX_QUERY_LENGTH
    )

    NO_PARTNER = "none"
    FACETS = ("member_state", "city", "goal", "challenge", "status", "partner", "year")

    class Meta:
        model = Initiative
        fields = []

    def dynamic_choices(self):
        partners = [(self.NO_PARTNER, "No partner named yet")] + list(
            Partner.objects.values_list("slug", "programme")
        )
        years = (
            Initiative.objects.exclude(year=None)
            .order_by("year")
            .values_list("year", flat=True)
            .distinct()
        )
        return {"partner": partners, "year": [(str(y), str(y)) for y in years]}

    def filter_partner(self, queryset, name, value):
        condition = Q()
        slugs = [slug for slug in value if slug != self.NO_PARTNER]
        if slugs:
            condition |= Q(partners__slug__in=slugs)
        if self.NO_PARTNER in value:
            condition |= Q(partner_text="", partners=None)
        return queryset.filter(condition).distinct()

    def filter_text(self, queryset, name, value):
        for term in search_terms(value):
            queryset = queryset.filter(
                Q(name__icontains=term)
                | Q(city__name__icontains=term)
                | Q(partner_text__icontains=term)
                | Q(notes__icontains=term)
            )
        return queryset

    @property
    def qs(self):
        return super().qs.order_by("name", "slug")


def facet_options_field(filterset, name):
    """The (value, label) choices of a facet, as its form field offers them."""
    field = filterset.form.fields[name]
    if isinstance(field, forms.ModelMultipleChoiceField):
        return [(obj.slug, str(obj)) for obj in field.queryset]
    return [(str(value), str(label)) for value, label in field.choices]
