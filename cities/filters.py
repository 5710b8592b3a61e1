"""Filters shared by the HTML pages and the API: one FilterSet per resource.

Slug facets: repeating a parameter means OR within that facet; different facets
combine with AND. Unknown values make the FilterSet invalid; the views then answer
400 with the error, instead of silently ignoring the facet.
"""

import re

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q

from framework.cache import cached_until_edit
from framework.models import Challenge, Goal
from framework.params import printable

from .models import City, Initiative, MemberState, Partner
from .sizes import SIZE_CLASSES, population_q

MAX_QUERY_LENGTH = 200
SLUG_RE = re.compile(r"[-a-zA-Z0-9_]+")


class SortCheckingForm(forms.Form):
    """The filter form of the lists: it refuses a sort list with an empty entry
    (`sort=,` or `sort=name,`), which django-filter accepts and sorts by nothing,
    so the answer would look sorted as asked when it is not."""

    def clean_sort(self):
        value = self.cleaned_data.get("sort") or []
        if any(part == "" for part in value):
            raise forms.ValidationError(
                "Name one sort key, or several separated by commas, with no empty "
                "entry.",
                code="empty_sort_key",
            )
        return value


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
                    params={"value": printable(text[:100])},
                )
        return super()._check_values(value)


class SlugMultipleFilter(django_filters.ModelMultipleChoiceFilter):
    """Repeatable slug parameter (OR within the facet).

    The chosen records are matched by primary key. Through a to-many relation
    (`many=True`) the condition is a subquery (`pk IN (...)`), so a record linked
    to two chosen values still comes once and no query needs DISTINCT.
    """

    field_class = SlugMultipleChoiceField

    def __init__(self, *args, many=False, **kwargs):
        kwargs.setdefault("to_field_name", "slug")
        kwargs["distinct"] = False
        self.many = many
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        chosen = [obj.pk for obj in value or ()]
        if not chosen:
            return qs
        relation = self.field_name.removesuffix("__slug")
        condition = {f"{relation}__in": chosen}
        if self.many:
            # The link table alone answers "which records link to these?"; a
            # longer path (cities__member_state) continues from the linked record.
            first, _, rest = relation.partition("__")
            m2m = qs.model._meta.get_field(first)
            target = m2m.m2m_reverse_field_name()
            lookup = f"{target}__{rest}__in" if rest else f"{target}__in"
            links = m2m.remote_field.through.objects.filter(**{lookup: chosen})
            return qs.filter(pk__in=links.values(m2m.m2m_field_name()))
        return qs.filter(**condition)


def search_terms(value):
    return [term for term in value.split() if term][:10]


def choices_until_edit(compute):
    """`compute()` as a field's `choices=`: the form field calls it whenever it
    reads its choices (validating, rendering), and the list is kept until the
    next content edit, so new values appear after an edit."""
    key = f"filter-choices:{compute.__name__}"
    return lambda: cached_until_edit(key, compute)


def cohort_choices():
    years = (
        City.objects.order_by("cohort_year")
        .values_list("cohort_year", flat=True)
        .distinct()
    )
    return [(str(year), str(year)) for year in years]


NO_PARTNER = "none"


def partner_choices():
    return [(NO_PARTNER, "No partner named yet")] + list(
        Partner.objects.values_list("slug", "programme")
    )


def initiative_year_choices():
    years = (
        Initiative.objects.exclude(year=None)
        .order_by("year")
        .values_list("year", flat=True)
        .distinct()
    )
    return [(str(year), str(year)) for year in years]


class FilterSet(django_filters.FilterSet):
    """A FilterSet whose form class is built once per FilterSet class.

    django-filter builds it for every FilterSet, from form fields that each filter
    makes anew (the filters are copied per FilterSet): some 1.5 ms a list page or
    API list. The filters here are the same for every request (no queryset or
    choices depend on it; `choices_until_edit` choices are read when the form
    uses them), and each form copies the class's fields, as any Django form does.
    """

    def get_form_class(self):
        cls = type(self)
        form_class = cls.__dict__.get("_form_class")
        if form_class is None:
            form_class = type(
                "FilterForm", (EmptyValueNamedForm, super().get_form_class()), {}
            )
            cls._form_class = form_class
        return form_class


class EmptyValueNamedForm(forms.Form):
    """Says "an empty value" where Django's message would name the empty value
    with nothing ("Select a valid choice.  is not one of the available
    choices.", for `?status=`)."""

    def full_clean(self):
        super().full_clean()
        for name, errors in list((getattr(self, "_errors", None) or {}).items()):
            if any(is_empty_choice(error) for error in errors.as_data()):
                self._errors[name] = self.error_class(
                    [
                        ValidationError(EMPTY_CHOICE, code="invalid_choice")
                        if is_empty_choice(error)
                        else error
                        for error in errors.as_data()
                    ],
                    renderer=self.renderer,
                )


EMPTY_CHOICE = "An empty value is not one of the choices: leave the parameter out."


def is_empty_choice(error):
    params = error.params or {}
    return error.code == "invalid_choice" and params.get("value") in ("", None)


class CityFilter(FilterSet):
    member_state = SlugMultipleFilter(
        field_name="member_state__slug",
        queryset=MemberState.objects.all(),
        label="Member state",
    )
    size = django_filters.MultipleChoiceFilter(
        distinct=False,
        choices=[
            (size.slug, f"{size.label} ({size.description})") for size in SIZE_CLASSES
        ],
        method="filter_size",
        label="City size",
    )
    goal = SlugMultipleFilter(
        field_name="focus_goals__slug",
        queryset=Goal.objects.all(),
        label="Goal",
        many=True,
    )
    challenge = SlugMultipleFilter(
        field_name="challenges__slug",
        queryset=Challenge.objects.all(),
        label="Challenge",
        many=True,
    )
    cohort = django_filters.MultipleChoiceFilter(
        distinct=False,
        field_name="cohort_year",
        choices=choices_until_edit(cohort_choices),
        label="Joined ASCN",
    )
    q = django_filters.CharFilter(
        method="filter_text",
        label="Search",
        max_length=MAX_QUERY_LENGTH,
        widget=forms.SearchInput,
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
        form = SortCheckingForm

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
        # Ties (same member state, same population) in a stable order, so a
        # page never repeats or skips a city of the one before.
        queryset = super().qs
        chosen = queryset.query.order_by if self.form.cleaned_data.get("sort") else ()
        return queryset.order_by(*chosen, "name", "pk")


def no_partner_q():
    """Initiatives with no partner named, in the source's words or as a link."""
    links = Initiative.partners.through.objects.filter(initiative_id=OuterRef("pk"))
    return Q(partner_text="") & ~Exists(links)


class InitiativeFilter(FilterSet):
    # An initiative run jointly by several cities is one record linked to each.
    member_state = SlugMultipleFilter(
        field_name="cities__member_state__slug",
        queryset=MemberState.objects.all(),
        label="Member state",
        many=True,
    )
    city = SlugMultipleFilter(
        field_name="cities__slug",
        queryset=City.objects.all(),
        label="City",
        many=True,
    )
    goal = SlugMultipleFilter(
        field_name="goals__slug", queryset=Goal.objects.all(), label="Goal", many=True
    )
    challenge = SlugMultipleFilter(
        field_name="challenges__slug",
        queryset=Challenge.objects.all(),
        label="Challenge",
        many=True,
    )
    status = django_filters.MultipleChoiceFilter(
        distinct=False, choices=Initiative.Status.choices, label="Status"
    )
    partner = django_filters.MultipleChoiceFilter(
        distinct=False,
        choices=choices_until_edit(partner_choices),
        method="filter_partner",
        label="Partner",
    )
    year = django_filters.MultipleChoiceFilter(
        distinct=False,
        field_name="year",
        choices=choices_until_edit(initiative_year_choices),
        label="Year (first reported)",
    )
    q = django_filters.CharFilter(
        method="filter_text",
        label="Search",
        max_length=MAX_QUERY_LENGTH,
        widget=forms.SearchInput,
    )

    NO_PARTNER = NO_PARTNER
    FACETS = ("member_state", "city", "goal", "challenge", "status", "partner", "year")

    class Meta:
        model = Initiative
        fields = []
        form = SortCheckingForm

    def filter_partner(self, queryset, name, value):
        condition = Q()
        slugs = [slug for slug in value if slug != self.NO_PARTNER]
        if slugs:
            linked = Initiative.partners.through.objects.filter(partner__slug__in=slugs)
            condition |= Q(pk__in=linked.values("initiative_id"))
        if self.NO_PARTNER in value:
            condition |= no_partner_q()
        return queryset.filter(condition)

    def filter_text(self, queryset, name, value):
        for term in search_terms(value):
            queryset = queryset.filter(
                Q(name__icontains=term)
                | Q(
                    pk__in=Initiative.cities.through.objects.filter(
                        city__name__icontains=term
                    ).values("initiative_id")
                )
                | Q(partner_text__icontains=term)
                | Q(description__icontains=term)
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
