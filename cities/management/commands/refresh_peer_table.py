"""Rebuild the peer table (PeerCount) from the records, then drop the cached pages.

    python manage.py refresh_peer_table

Saves through the admin keep the table up to date by themselves (cities/signals.py),
and the loader, `generate_synthetic` and `restore_content` rebuild it. Run this
after changing initiatives, their links or cities by other means (raw SQL,
`QuerySet.update()`, a restore with `psql`), which send no save signal; the peer
rankings read only this table.
"""

from django.core.management.base import BaseCommand

from cities.services import peer_counts_rebuild
from framework.cache import bump_version


class Command(BaseCommand):
    help = "Rebuild the peer table from the records (after a change made by raw SQL)."

    def handle(self, *args, **options):
        rows = peer_counts_rebuild()
        bump_version()
        self.stdout.write(self.style.SUCCESS(f"Peer table rebuilt: {rows:,} rows."))
