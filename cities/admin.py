from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Count

from framework.history import PortalHistoryAdmin
from framework.protection import ProtectInUseAdminMixin
from framework.unverified import UnverifiedChecklistMixin

from .models import City, Initiative, MemberState, Partner
from .sizes import SIZE_CLASSES, population_q


class SizeClassFilter(admin.SimpleListFilter):
    title = "size class"
    parameter_name = "size"

    def lookups(self, request, model_admin):
        return [
            (size.slug, f"{size.label} ({size.description})") for size in SIZE_CLASSES
        ]

    def queryset(self, request, queryset):
        if self.value() in {size.slug for size in SIZE_CLASSES}:
            return queryset.filter(**population_q(self.value()))
        return queryset


class CityInline(admin.TabularInline):
    model = City
    fields = ["name", "slug", "cohort_year", "population"]
    readonly_fields = fields
    show_change_link = True
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(MemberState)
class MemberStateAdmin(ProtectInUseAdminMixin, PortalHistoryAdmin):
    list_display = ["name", "iso2", "capital", "asean_member_since", "city_count"]
    search_fields = ["name", "slug", "iso2", "iso3"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["sources"]
    inlines = [CityInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(city_count=Count("cities"))

    @admin.display(description="cities", ordering="city_count")
    def city_count(self, obj):
        return obj.city_count


class InitiativeInline(admin.TabularInline):
    model = Initiative
    fields = ["name", "status", "year", "partner_text"]
    show_change_link = True
    extra = 0


class LinkRowsInline(admin.TabularInline):
    """Rows of a many-to-many link table, each naming one related record."""

    classes = ["link-rows"]
    extra = 0

    class Media:
        css = {"all": ["css/admin-links.css"]}


class CityGoalInline(LinkRowsInline):
    model = City.focus_goals.through
    verbose_name = "focus goal"
    verbose_name_plural = "focus goals (ASCF goals the city prioritises)"
    autocomplete_fields = ["goal"]


class CityChallengeInline(LinkRowsInline):
    model = City.challenges.through
    verbose_name = "documented challenge"
    verbose_name_plural = "documented challenges"
    autocomplete_fields = ["challenge"]


class CitySourceInline(LinkRowsInline):
    model = City.sources.through
    verbose_name = "source"
    verbose_name_plural = "sources"
    autocomplete_fields = ["source"]


@admin.register(City)
class CityAdmin(UnverifiedChecklistMixin, ProtectInUseAdminMixin, PortalHistoryAdmin):
    formfield_overrides = {
        models.PositiveIntegerField: {
            "widget": forms.NumberInput(attrs={"size": 14, "style": "width: 10em"})
        },
    }
    list_display = [
        "name",
        "member_state",
        "cohort_year",
        "population",
        "population_year",
        "size_label",
        "initiative_count",
    ]
    list_filter = ["member_state", SizeClassFilter, "focus_goals", "cohort_year"]
    list_select_related = ["member_state"]
    search_fields = ["name", "slug", "member_state__name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["member_state", "membership_sources"]
    exclude = ["focus_goals", "challenges", "sources"]
    inlines = [CityGoalInline, CityChallengeInline, InitiativeInline, CitySourceInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(initiative_count=Count("initiatives"))
        )

    @admin.display(description="size class", ordering="population")
    def size_label(self, obj):
        size = obj.size_class
        return size.label if size else "-"

    @admin.display(description="initiatives", ordering="initiative_count")
    def initiative_count(self, obj):
        return obj.initiative_count


@admin.register(Partner)
class PartnerAdmin(
    UnverifiedChecklistMixin, ProtectInUseAdminMixin, PortalHistoryAdmin
):
    list_display = ["programme", "country_or_org", "year_started", "initiative_count"]
    list_filter = ["country_or_org", "year_started"]
    search_fields = ["programme", "country_or_org", "agencies", "slug"]
    prepopulated_fields = {"slug": ["programme"]}
    autocomplete_fields = ["sources"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(initiative_count=Count("initiatives"))
        )

    @admin.display(description="initiatives", ordering="initiative_count")
    def initiative_count(self, obj):
        return obj.initiative_count


@admin.register(Initiative)
class InitiativeAdmin(
    UnverifiedChecklistMixin, ProtectInUseAdminMixin, PortalHistoryAdmin
):
    list_display = ["name", "city", "status", "year", "partner_text"]
    list_filter = ["status", "city__member_state", "goals", "partners", "year"]
    list_select_related = ["city"]
    search_fields = ["name", "slug", "city__name", "partner_text"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = [
        "city",
        "cities",
        "goals",
        "challenges",
        "partners",
        "primary_source",
        "description_source",
        "sources",
    ]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The lead city always runs its initiative, whatever the form listed.
        form.instance.cities.add(form.instance.city_id)
