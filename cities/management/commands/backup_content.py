"""Write every content record to one JSON file, by natural key.

    python manage.py backup_content --output backups/ascn.json

`python manage.py loaddata <file>` brings it back into an empty (migrated)
database identically. Users, sessions and history are not included.
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand

# Dependency order: each model's natural keys refer only to models before it.
CONTENT_MODELS = [
    "framework.Publication",
    "framework.Source",
    "framework.Goal",
    "framework.Outcome",
    "framework.FrameworkPart",
    "framework.Challenge",
    "framework.Milestone",
    "framework.NetworkFigure",
    "framework.CandidateCity",
    "cities.MemberState",
    "cities.Partner",
    "cities.City",
    "cities.Initiative",
]


class Command(BaseCommand):
    help = "Back up every content record to a JSON file (natural keys)."

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True)

    def handle(self, *args, **options):
        call_command(
            "dumpdata",
            *CONTENT_MODELS,
            natural_foreign=True,
            natural_primary=True,
            indent=1,
            output=options["output"],
            verbosity=0,
        )
        self.stdout.write(
            f"Backed up {len(CONTENT_MODELS)} models to {options['output']}"
        )
