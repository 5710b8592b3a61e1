from django.apps import AppConfig
from django.db.models.signals import post_migrate


def set_site_domain(using="default", **kwargs):
    """The Site record names the public host (settings.SITE_DOMAIN), not Django's
    example.com: the admin's "View on site" links lead there. Run after every
    `migrate`, so a changed SITE_DOMAIN takes effect at the next deploy."""
    from django.conf import settings
    from django.contrib.sites.models import Site

    Site.objects.using(using).update_or_create(
        pk=settings.SITE_ID,
        defaults={"domain": settings.SITE_DOMAIN, "name": "ASCN Portal"},
    )
    Site.objects.clear_cache()


class FrameworkConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "framework"
    verbose_name = "ASEAN Smart Cities Framework and sources"

    def ready(self):
        from . import cache, protection, redirects

        protection.connect_protection(self)
        cache.connect_invalidation(self)
        redirects.connect_redirects(self)
        # After django.contrib.sites has made its default record.
        post_migrate.connect(set_site_domain, sender=self, dispatch_uid="site-domain")
