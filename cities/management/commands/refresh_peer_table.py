"""Rebuild the peer table (PeerCount) and the initiatives list's facet counts
(FacetCount) from the records, then drop the cached pages.

    python manage.py refresh_peer_table

Saves through the admin keep the table up to date by themselves (cities/signals.py),
and the loader, `generate_synthetic` and `restore_content` rebuild it. Run this
after changing initiatives, their links or cities by other means (raw SQL,
`QuerySet.update()`, a restore with `psql`), which send no save signal; the peer
rankings and the unfiltered list's facets read only these tables.
"""

from django.core.management.base import BaseCommand

from cities.services import derived_tables_rebuild
from framework.cache import bump_version


class Command(BaseCommand):
    help = "Rebuild the peer table and facet counts (after a change by raw SQL)."

    def handle(self, *args, **options):
        peers, facets = derived_tables_rebuild()
        bump_version()
        self.stdout.write(
            self.style.SUCCESS(
                f"Peer table rebuilt: {peers:,} rows; facet counts: {facets:,} rows."
            )
        )
