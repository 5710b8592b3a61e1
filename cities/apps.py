from django.apps import AppConfig


class CitiesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cities"
    verbose_name = "Cities, initiatives and partners"

    def ready(self):
        from framework import cache, protection, redirects

        from . import signals

        protection.connect_protection(self)
        # Before the cache's: the derived tables' refresh then runs before the
        # content version changes (cities/signals.py).
        signals.connect_derived_tables()
        cache.connect_invalidation(self)
        redirects.connect_redirects(self)
