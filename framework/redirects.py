"""Addresses keep working when an editor renames a record's slug.

Pages are cited by address (each page offers a citation), so the old address of a
renamed city, initiative, member state, partner, goal or challenge answers 301 to
the new one, its API record too. The redirects live in Django's redirects app
(editors can see and edit them in the admin, under "Redirects"), and are served by
its fallback middleware, which only answers addresses that would otherwise be 404:
a record that later takes the old slug gets its address back.

Django's middleware matches the whole address, query string included; links are
often shared with one (`?utm_source=...`, `?format=json`), so
RedirectKeepingQueryMiddleware also matches the path alone and carries the query
string over.
"""

from django.conf import settings
from django.contrib.redirects.middleware import RedirectFallbackMiddleware
from django.contrib.redirects.models import Redirect
from django.db.models.signals import post_save, pre_save
from django.urls import reverse

# {model label: (page URL name, API URL name)}; both take the slug.
RENAMEABLE = {
    "cities.City": ("cities:city-detail", "api:city-detail"),
    "cities.Initiative": ("cities:initiative-detail", "api:initiative-detail"),
    "cities.MemberState": ("cities:member-state-detail", "api:member-state-detail"),
    "cities.Partner": ("cities:partner-detail", "api:partner-detail"),
    "framework.Goal": ("framework:goal-detail", "api:goal-detail"),
    "framework.Challenge": ("framework:challenge-detail", "api:challenge-detail"),
}


def addresses(label, slug):
    return [reverse(name, args=[slug]) for name in RENAMEABLE[label]]


def remember_old_slug(sender, instance, raw=False, **kwargs):
    instance._slug_before_save = None
    if raw or instance.pk is None:
        return
    old = sender.objects.filter(pk=instance.pk).values_list("slug", flat=True).first()
    if old and old != instance.slug:
        instance._slug_before_save = old


def redirect_old_addresses(sender, instance, raw=False, **kwargs):
    old_slug = getattr(instance, "_slug_before_save", None)
    if raw or not old_slug:
        return
    label = sender._meta.label
    site = settings.SITE_ID
    old_paths = addresses(label, old_slug)
    new_paths = addresses(label, instance.slug)
    for old_path, new_path in zip(old_paths, new_paths, strict=True):
        # Earlier names now lead straight to the newest; the new address is live.
        Redirect.objects.filter(site_id=site, new_path=old_path).update(
            new_path=new_path
        )
        Redirect.objects.filter(site_id=site, old_path=new_path).delete()
        Redirect.objects.update_or_create(
            site_id=site, old_path=old_path, defaults={"new_path": new_path}
        )


def connect_redirects(app_config):
    for model in app_config.get_models():
        if model._meta.label in RENAMEABLE:
            uid = f"redirect-{model._meta.label}"
            pre_save.connect(remember_old_slug, sender=model, dispatch_uid=uid + "-pre")
            post_save.connect(
                redirect_old_addresses, sender=model, dispatch_uid=uid + "-post"
            )


class RedirectKeepingQueryMiddleware(RedirectFallbackMiddleware):
    """Django's redirect fallback, also for an old path followed by a query."""

    def process_response(self, request, response):
        if response.status_code != 404 or "\x00" in request.path:
            # No old address holds a NUL character, and PostgreSQL refuses to
            # compare text containing one.
            return response
        # The query as sent, tracking parameters included (the views never saw
        # them: framework/params.py): a redirect passes it on whole.
        if hasattr(request, "original_query_string"):
            request.META["QUERY_STRING"] = request.original_query_string
        response = super().process_response(request, response)
        query = request.META.get("QUERY_STRING", "")
        if response.status_code != 404 or not query:
            return response
        redirect = Redirect.objects.filter(
            site_id=settings.SITE_ID, old_path=request.path
        ).first()
        if redirect is None:
            return response
        if not redirect.new_path:
            return self.response_gone_class()
        return self.response_redirect_class(f"{redirect.new_path}?{query}")
