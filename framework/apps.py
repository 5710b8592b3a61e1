from django.apps import AppConfig


class FrameworkConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "framework"
    verbose_name = "ASEAN Smart Cities Framework and sources"

    def ready(self):
        from . import cache, protection, redirects

        protection.connect_protection(self)
        cache.connect_invalidation(self)
        redirects.connect_redirects(self)
