"""Load every fixture in fixtures/ in one transaction, checking each record.

    python manage.py load_portal_data [--dir fixtures]

Records are matched by natural key (slug, URL), so loading twice changes nothing.
Any broken file or record stops the load with a message naming the file and the
record, and the database is left as it was.
"""

import json
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError, transaction

from cities.services import derived_tables_rebuild
from cities.signals import derived_signals_paused
from framework.history import history_baseline

FIXTURE_DIR = Path(settings.BASE_DIR) / "fixtures"


def describe(obj):
    natural_key = getattr(obj, "natural_key", None)
    key = natural_key()[0] if natural_key else obj.pk
    return f"{obj._meta.label} {key!r}"


class Command(BaseCommand):
    help = "Load the portal's fixtures in one transaction, with checks and progress."

    def add_arguments(self, parser):
        parser.add_argument("--dir", type=Path, default=FIXTURE_DIR)

    def handle(self, *args, **options):
        directory = options["dir"]
        paths = sorted(directory.glob("*.json"))
        if not paths:
            raise CommandError(f"No fixture files (*.json) in {directory}.")
        total = 0
        try:
            # The derived tables are rebuilt whole at the end: the receivers that
            # keep them per edit would only redo that work record by record.
            with transaction.atomic(), derived_signals_paused():
                for path in paths:
                    count = self.load_file(path)
                    total += count
                    self.stdout.write(f"{path.name}: {count} records")
                self.record_history()
                # The peer table and facet counts, whole.
                derived_tables_rebuild()
        except DatabaseError as error:
            raise CommandError(
                f"Database refused the data: {error}. Nothing was loaded."
            ) from error
        self.stdout.write(
            self.style.SUCCESS(f"Loaded {total} records from {len(paths)} files.")
        )

    def load_file(self, path):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise CommandError(
                f"{path.name}: not valid JSON ({error}). Nothing was loaded."
            ) from error
        if not isinstance(data, list):
            raise CommandError(
                f"{path.name}: expected a list of records. Nothing was loaded."
            )
        count = 0
        for index, item in enumerate(data):
            label = f"{path.name}, record {index + 1}"
            try:
                deserialized = next(
                    serializers.deserialize(
                        "python", [item], handle_forward_references=False
                    )
                )
            except (DeserializationError, Exception) as error:
                raise CommandError(
                    f"{label}: {self.short(error)}. Nothing was loaded."
                ) from error
            obj = deserialized.object
            label = f"{label} ({describe(obj)})"
            try:
                obj.full_clean(validate_unique=False)
            except ValidationError as error:
                raise CommandError(
                    f"{label}: {self.messages(error)}. Nothing was loaded."
                ) from error
            try:
                with transaction.atomic():
                    deserialized.save()
            except DatabaseError as error:
                raise CommandError(f"{label}: {error}. Nothing was loaded.") from error
            count += 1
        return count

    def record_history(self):
        """Give every loaded record without history a first version, so editors
        can always go back to the data as shipped."""
        for model in apps.get_models():
            history = getattr(model, "history", None)
            if model._meta.app_label not in ("cities", "framework") or history is None:
                continue
            if not hasattr(history, "bulk_history_create"):
                continue
            missing = model.objects.exclude(pk__in=history.model.objects.values("id"))
            # One entry per record with its links (bulk_history_create saves
            # none), so the first unchanged save in the admin adds no row.
            for instance in missing:
                history_baseline(instance, reason="Loaded from fixtures")

    @staticmethod
    def short(error):
        return str(error).splitlines()[0] if str(error) else error.__class__.__name__

    @staticmethod
    def messages(error):
        parts = []
        for field, messages in error.message_dict.items():
            text = " ".join(message.rstrip(".") + "." for message in messages)
            parts.append(text if field == "__all__" else f"{field}: {text}")
        return " ".join(parts).rstrip(".")
