"""Drop every cached page, count and ranking, so the next requests read the
database afresh.

    python manage.py clear_portal_cache

Saves through the admin, the loader and `generate_synthetic` do this by
themselves. Run it after changing content by other means (raw SQL,
`QuerySet.update()`, a restore with `psql`), which send no save signal.
"""

from django.core.management.base import BaseCommand

from framework.cache import bump_version, content_version


class Command(BaseCommand):
    help = "Drop the cached pages and derived data (after a change made by raw SQL)."

    def handle(self, *args, **options):
        bump_version()
        version = content_version()
        self.stdout.write(
            self.style.SUCCESS(f"Cached pages and counts dropped (version {version}).")
        )
