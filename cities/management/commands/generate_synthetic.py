"""Generate synthetic cities and initiatives, for benchmarks only.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/ascn_bench
    python manage.py migrate
    python manage.py generate_synthetic --cities 10000 --initiatives 100000

Never run it against the portal's real database: point DATABASE_URL at a separate,
disposable one. The command refuses to run unless the database name contains
"bench" or "synthetic", or is a test database (a name starting with "test_", or an
in-memory SQLite database), or `--i-know-this-is-a-benchmark-database` is given.

Every record it writes says it is synthetic: names "Synthetic City 00042", slugs
starting "synthetic-", sources at https://synthetic.invalid/..., and a note. The
records link to the real reference records (member states, goals, challenges,
partners); when those are missing, the command loads them first with
load_portal_data. The same --seed gives the same data. While synthetic records
exist a second run is refused; --replace deletes them first.

Rows are written with bulk_create, the many-to-many tables too, in one transaction;
then the page cache is told the content changed (bulk_create sends no signals) and
the database's planner statistics are refreshed (ANALYZE).
"""

import random
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from cities.models import COHORT_MIN, City, Initiative, MemberState, Partner
from cities.services import derived_tables_rebuild
from cities.sizes import SIZE_CLASSES
from framework.cache import content_changed
from framework.models import Challenge, Goal, Source

PREFIX = "synthetic-"
SOURCE_URL = "https://synthetic.invalid/sources/"
NOTE = "Synthetic record generated for benchmarks; not a real {}."
SAFE_NAME_WORDS = ("bench", "synthetic")

# Synthetic cities lie inside ASEAN's bounding box, so they show on the map.
LON_MIN, LON_MAX = 92.0, 141.0
LAT_MIN, LAT_MAX = -11.0, 29.0

# Share of cities per size class (small, medium, large, very-large), and the
# population of the largest very-large city.
SIZE_WEIGHTS = (0.45, 0.25, 0.22, 0.08)
POPULATION_MAX = 30_000_000

TOPICS = (
    "smart water metering",
    "flood early warning",
    "wastewater treatment monitoring",
    "waste sorting and recycling",
    "bus rapid transit",
    "traffic signal control",
    "e-government services",
    "air quality sensors",
    "LED street lighting",
    "digital health records",
    "open data portal",
    "rooftop solar",
)

BATCH = 2000


def database_is_disposable(settings_dict):
    """True for a database meant for benchmarks or tests, by its name."""
    name = str(settings_dict.get("NAME") or "")
    if settings_dict["ENGINE"].endswith("sqlite3") and (
        name == ":memory:" or "mode=memory" in name
    ):
        return True
    base = Path(name).name.lower()
    return base.startswith("test_") or any(word in base for word in SAFE_NAME_WORDS)


@dataclass
class Reference:
    """The real records synthetic ones link to, in a fixed order (by slug)."""

    member_states: list
    goals: list
    challenges: list
    partners: list
    centres: dict  # member state pk -> (latitude, longitude) of its real cities


class Progress:
    """A one-line progress bar on a terminal, a line per step elsewhere."""

    WIDTH = 30

    STEPS = 20  # lines written, at most, when not on a terminal

    def __init__(self, stdout, label, total):
        self.stdout, self.label, self.total = stdout, label, total
        self.tty = stdout.isatty()
        self.step = -1

    def update(self, done):
        filled = self.WIDTH * done // self.total if self.total else self.WIDTH
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        line = f"{self.label:<12} [{bar}] {done:>9,}/{self.total:,}"
        if self.tty:
            end = "\n" if done >= self.total else ""
            self.stdout.write("\r" + line, ending=end)
            self.stdout.flush()
        elif self.STEPS * done // self.total > self.step:
            self.step = self.STEPS * done // self.total
            self.stdout.write(line)


class Command(BaseCommand):
    help = (
        "Generate synthetic cities and initiatives for benchmarks, into a separate "
        "database (its name must contain 'bench' or 'synthetic')."
    )

    def add_arguments(self, parser):
        parser.add_argument("--cities", type=int, default=10_000)
        parser.add_argument("--initiatives", type=int, default=100_000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Delete existing synthetic records first.",
        )
        parser.add_argument(
            "--i-know-this-is-a-benchmark-database",
            action="store_true",
            dest="benchmark_database",
            help="Run whatever the database is called.",
        )

    def handle(self, *args, **options):
        cities, initiatives = options["cities"], options["initiatives"]
        if cities < 1 or initiatives < 0:
            raise CommandError("Give at least one city and no negative count.")
        name = connection.settings_dict.get("NAME")
        if not (
            options["benchmark_database"]
            or database_is_disposable(connection.settings_dict)
        ):
            raise CommandError(
                f"Refusing to add synthetic data to the database {name!r}: its name "
                "contains neither 'bench' nor 'synthetic'. Point DATABASE_URL at a "
                "separate benchmark database, or pass "
                "--i-know-this-is-a-benchmark-database."
            )
        rng = random.Random(options["seed"])
        with transaction.atomic():
            existing = City.objects.filter(slug__startswith=PREFIX).count()
            if existing and not options["replace"]:
                raise CommandError(
                    f"The database already holds {existing:,} synthetic cities. "
                    "Use --replace to delete them and generate again."
                )
            if existing:
                self.delete_synthetic()
            reference = self.reference()
            sources = self.create_sources(count=max(20, (cities + initiatives) // 20))
            city_rows = self.create_cities(
                rng=rng, count=cities, reference=reference, sources=sources
            )
            self.create_initiatives(
                rng=rng,
                count=initiatives,
                reference=reference,
                sources=sources,
                city_rows=city_rows,
            )
            # bulk_create sends no signals: the derived tables are rebuilt whole.
            derived_tables_rebuild()
        # bulk_create sends no signals: tell the page cache the content changed.
        content_changed()
        # Fresh planner statistics, so the first queries after a bulk load are
        # planned for the table sizes they will meet.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {cities:,} synthetic cities, {initiatives:,} initiatives "
                f"and {len(sources):,} sources (seed {options['seed']}) in {name}."
            )
        )

    def delete_synthetic(self):
        """Delete the synthetic rows with plain SQL: quick at any size, and no
        history or signals for records that were never real."""
        self.stdout.write("Deleting the existing synthetic records...")
        for model, key in ((Initiative, "initiative"), (City, "city")):
            for field in model._meta.many_to_many:
                field.remote_field.through.objects.filter(
                    **{f"{key}__slug__startswith": PREFIX}
                ).delete()
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            for model, field, prefix in (
                (Initiative, "slug", PREFIX),
                (City, "slug", PREFIX),
                (Source, "url", SOURCE_URL),
            ):
                table = quote(model._meta.db_table)
                column = quote(model._meta.get_field(field).column)
                cursor.execute(
                    f"DELETE FROM {table} WHERE {column} LIKE %s", [prefix + "%"]
                )

    def reference(self):
        models = (MemberState, Goal, Challenge, Partner)
        if not all(model.objects.exists() for model in models):
            self.stdout.write("Reference records missing: running load_portal_data.")
            call_command("load_portal_data", stdout=self.stdout)
        real_cities = City.objects.exclude(slug__startswith=PREFIX)
        centres = {}
        for city in real_cities.only("member_state_id", "latitude", "longitude"):
            centres.setdefault(city.member_state_id, []).append(
                (city.latitude, city.longitude)
            )
        return Reference(
            member_states=list(MemberState.objects.order_by("slug")),
            goals=list(Goal.objects.order_by("slug")),
            challenges=list(Challenge.objects.order_by("slug")),
            partners=list(Partner.objects.order_by("slug")),
            centres={
                pk: (
                    sum(lat for lat, _ in points) / len(points),
                    sum(lon for _, lon in points) / len(points),
                )
                for pk, points in centres.items()
            },
        )

    def create_sources(self, *, count):
        width = max(5, len(str(count)))
        sources = [
            Source(
                url=f"{SOURCE_URL}{n:0{width}d}",
                title=f"Synthetic source {n:0{width}d} (benchmark data, not real)",
            )
            for n in range(1, count + 1)
        ]
        Source.objects.bulk_create(sources, batch_size=BATCH)
        by_url = dict(
            Source.objects.filter(url__startswith=SOURCE_URL).values_list("url", "pk")
        )
        return [by_url[source.url] for source in sources]

    def city_fields(self, *, rng, n, width, reference):
        state = rng.choice(reference.member_states)
        centre = reference.centres.get(state.pk)
        if centre:
            latitude = min(max(rng.gauss(centre[0], 1.5), LAT_MIN), LAT_MAX)
            longitude = min(max(rng.gauss(centre[1], 1.5), LON_MIN), LON_MAX)
        else:
            latitude = rng.uniform(LAT_MIN, LAT_MAX)
            longitude = rng.uniform(LON_MIN, LON_MAX)
        # The first four cities take one size class each, so all four are present.
        if n <= len(SIZE_CLASSES):
            size = SIZE_CLASSES[n - 1]
        else:
            size = rng.choices(SIZE_CLASSES, weights=SIZE_WEIGHTS)[0]
        population = rng.randrange(
            max(size.minimum, 5_000), size.maximum or POPULATION_MAX
        )
        return City(
            slug=f"{PREFIX}city-{n:0{width}d}",
            name=f"Synthetic City {n:0{width}d}",
            member_state_id=state.pk,
            # The pilot cities are the 26 named in 2018; synthetic ones join later.
            cohort_year=rng.randint(COHORT_MIN + 1, 2025),
            latitude=round(latitude, 5),
            longitude=round(longitude, 5),
            population=population,
            population_year=rng.randint(2015, 2024),
            population_scope=rng.choice(City.PopulationScope.values),
            area_km2=Decimal(rng.randrange(5_000, 3_000_000)) / 1000,
            focus_goals_basis="Synthetic: chosen at random.",
            notes=NOTE.format("city"),
        )

    def create_cities(self, *, rng, count, reference, sources):
        """Cities with their goals, challenges and sources. Returns, per city,
        (pk, goal pks, challenge pks) for the initiatives to link to."""
        width = max(5, len(str(count)))
        through = {
            "focus_goals": City.focus_goals.through,
            "challenges": City.challenges.through,
            "sources": City.sources.through,
            "membership_sources": City.membership_sources.through,
        }
        rows = []
        progress = Progress(self.stdout, "cities", count)
        for start in range(1, count + 1, BATCH):
            numbers = range(start, min(start + BATCH, count + 1))
            cities = [
                self.city_fields(rng=rng, n=n, width=width, reference=reference)
                for n in numbers
            ]
            City.objects.bulk_create(cities)
            links = {name: [] for name in through}
            for city in cities:
                goals = rng.sample(reference.goals, rng.randint(1, 4))
                challenges = rng.sample(reference.challenges, rng.randint(0, 3))
                city_sources = rng.sample(sources, rng.randint(1, 3))
                links["focus_goals"] += [
                    through["focus_goals"](city_id=city.pk, goal_id=goal.pk)
                    for goal in goals
                ]
                links["challenges"] += [
                    through["challenges"](city_id=city.pk, challenge_id=c.pk)
                    for c in challenges
                ]
                links["sources"] += [
                    through["sources"](city_id=city.pk, source_id=pk)
                    for pk in city_sources
                ]
                links["membership_sources"].append(
                    through["membership_sources"](
                        city_id=city.pk, source_id=city_sources[0]
                    )
                )
                rows.append(
                    (city.pk, [g.pk for g in goals], [c.pk for c in challenges])
                )
            for name, objects in links.items():
                through[name].objects.bulk_create(objects, batch_size=BATCH)
            progress.update(numbers[-1])
        return rows

    def create_initiatives(self, *, rng, count, reference, sources, city_rows):
        if not count:
            return
        width = max(6, len(str(count)))
        through = {
            "goals": Initiative.goals.through,
            "challenges": Initiative.challenges.through,
            "partners": Initiative.partners.through,
            "sources": Initiative.sources.through,
            "cities": Initiative.cities.through,
        }
        statuses = list(Initiative.Status)
        progress = Progress(self.stdout, "initiatives", count)
        for start in range(1, count + 1, BATCH):
            numbers = range(start, min(start + BATCH, count + 1))
            initiatives, links = [], []
            for n in numbers:
                city_pk, _, city_challenges = rng.choice(city_rows)
                goals = rng.sample(reference.goals, rng.randint(1, 2))
                challenges = (
                    [rng.choice(city_challenges)]
                    if city_challenges and rng.random() < 0.5
                    else []
                )
                partners = (
                    rng.sample(reference.partners, rng.randint(1, 2))
                    if reference.partners and rng.random() < 0.3
                    else []
                )
                initiative_sources = rng.sample(sources, rng.randint(1, 2))
                status = rng.choice(statuses)
                topic = rng.choice(TOPICS)
                initiatives.append(
                    Initiative(
                        slug=f"{PREFIX}initiative-{n:0{width}d}",
                        name=f"Synthetic Initiative {n:0{width}d}: {topic}",
                        city_id=city_pk,
                        status=status.value,
                        status_text=status.label,
                        year=rng.randint(2015, 2025),
                        partner_text=partners[0].programme[:250] if partners else "",
                        verification="Synthetic: not a real initiative.",
                        notes=NOTE.format("initiative"),
                        primary_source_id=initiative_sources[0],
                    )
                )
                links.append((goals, challenges, partners, initiative_sources, city_pk))
            Initiative.objects.bulk_create(initiatives)
            rows = {name: [] for name in through}
            for initiative, (goals, challenges, partners, pks, city_pk) in zip(
                initiatives, links, strict=True
            ):
                i = initiative.pk
                rows["cities"].append(
                    through["cities"](initiative_id=i, city_id=city_pk)
                )
                rows["goals"] += [
                    through["goals"](initiative_id=i, goal_id=g.pk) for g in goals
                ]
                rows["challenges"] += [
                    through["challenges"](initiative_id=i, challenge_id=c)
                    for c in challenges
                ]
                rows["partners"] += [
                    through["partners"](initiative_id=i, partner_id=p.pk)
                    for p in partners
                ]
                rows["sources"] += [
                    through["sources"](initiative_id=i, source_id=pk) for pk in pks
                ]
            for name, objects in rows.items():
                through[name].objects.bulk_create(objects, batch_size=BATCH)
            progress.update(numbers[-1])
