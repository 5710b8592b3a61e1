from django.contrib import admin
from django.contrib.sites.models import Site
from django.db.models import Count

from .history import PortalHistoryAdmin
from .models import (
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
from .protection import ProtectInUseAdminMixin
from .unverified import UnverifiedChecklistMixin


@admin.register(Publication)
class PublicationAdmin(
    UnverifiedChecklistMixin, ProtectInUseAdminMixin, PortalHistoryAdmin
):
    list_display = ["key", "authors", "year", "title", "venue", "required"]
    list_filter = ["required", "year"]
    search_fields = ["key", "authors", "title", "venue", "doi", "url"]
    prepopulated_fields = {"key": ["authors"]}


@admin.register(Source)
class SourceAdmin(ProtectInUseAdminMixin, PortalHistoryAdmin):
    list_display = ["url", "title", "publication"]
    list_filter = ["publication"]
    list_select_related = ["publication"]
    search_fields = ["url", "title"]
    autocomplete_fields = ["publication"]


@admin.register(Goal)
class GoalAdmin(ProtectInUseAdminMixin, PortalHistoryAdmin):
    list_display = ["order", "name", "slug", "city_count"]
    list_display_links = ["name"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["sources"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(city_count=Count("cities"))

    @admin.display(description="cities", ordering="city_count")
    def city_count(self, obj):
        return obj.city_count


@admin.register(Outcome)
class OutcomeAdmin(ProtectInUseAdminMixin, PortalHistoryAdmin):
    list_display = ["order", "name", "slug"]
    list_display_links = ["name"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["sources"]


@admin.register(FrameworkPart)
class FrameworkPartAdmin(ProtectInUseAdminMixin, PortalHistoryAdmin):
    list_display = ["order", "name", "unverified"]
    list_display_links = ["name"]
    list_filter = ["unverified"]
    search_fields = ["name", "detail"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["sources"]


@admin.register(Challenge)
class ChallengeAdmin(ProtectInUseAdminMixin, PortalHistoryAdmin):
    list_display = ["name", "kind", "slug", "goal_names"]
    list_filter = ["kind", "goals"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["goals", "sources"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("goals")

    @admin.display(description="goals")
    def goal_names(self, obj):
        return ", ".join(goal.name for goal in obj.goals.all())


@admin.register(Milestone)
class MilestoneAdmin(ProtectInUseAdminMixin, PortalHistoryAdmin):
    list_display = ["date", "event"]
    list_filter = ["year"]
    search_fields = ["event"]
    prepopulated_fields = {"slug": ["date", "event"]}
    autocomplete_fields = ["sources"]


@admin.register(NetworkFigure)
class NetworkFigureAdmin(ProtectInUseAdminMixin, PortalHistoryAdmin):
    list_display = ["fact"]
    search_fields = ["fact"]
    prepopulated_fields = {"slug": ["fact"]}
    autocomplete_fields = ["sources"]


@admin.register(CandidateCity)
class CandidateCityAdmin(ProtectInUseAdminMixin, PortalHistoryAdmin):
    list_display = ["name", "member_state", "claimed_joined_year"]
    list_filter = ["member_state"]
    search_fields = ["name", "member_state"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["sources"]


# Sites come with the redirects app (framework/redirects.py); the portal has one
# site and editors have nothing to change there.
admin.site.unregister(Site)
