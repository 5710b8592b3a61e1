"""Replace every content record with a backup's, in one transaction.

    python manage.py restore_content backups/ascn.json

Afterwards the database holds exactly the backup's content records: those added
since the backup are gone, changed ones are as backed up. Everything happens in
one transaction, so a backup that fails to load changes nothing. Each restored
record gets one history entry ("Restored from <file>"), the baseline later
edits are compared with; the history of earlier edits is kept. Users, sessions
and redirects are not touched.
"""

from pathlib import Path

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from cities.services import derived_tables_rebuild
from cities.signals import derived_signals_paused
from framework.history import history_baseline

from .backup_content import CONTENT_MODELS


class Command(BaseCommand):
    help = "Replace every content record with a backup's (one transaction)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="A file written by backup_content.")

    def handle(self, *args, file, **options):
        if not Path(file).is_file():
            raise CommandError(f"No backup file {file}.")
        models = [apps.get_model(label) for label in CONTENT_MODELS]
        # The derived tables are rebuilt whole below, not per deleted record.
        with transaction.atomic(), derived_signals_paused():
            # Records that others link to last: nothing uses them by then.
            for model in reversed(models):
                model.objects.all().delete()
            call_command("loaddata", file, verbosity=0)
            derived_tables_rebuild()
            reason = f"Restored from {Path(file).name}"[:100]
            counts = []
            for model in models:
                records = list(model.objects.all())
                for record in records:
                    history_baseline(record, reason=reason)
                counts.append(f"{len(records)} {model._meta.verbose_name_plural}")
        self.stdout.write("Restored " + ", ".join(counts) + f" from {file}.")
