"""Member states, cities, their initiatives, and the network's external partners."""

import datetime
import functools

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, IntegerField, Prefetch, Value, When

from framework import json_shapes
from framework.addresses import slug_page_url
from framework.models import (
    YEAR_MAX,
    YEAR_MIN,
    Challenge,
    Goal,
    SluggedModel,
    SlugManager,
    Source,
)

from .names import name_key
from .sizes import size_class_for

COHORT_MIN = 2018


def is_pilot_cohort(cohort_year):
    """Whether a city of this cohort is one of the 26 pilot cities of 2018."""
    return cohort_year == COHORT_MIN


class MemberState(SluggedModel):
    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=100, unique=True)
    iso2 = models.CharField("ISO 3166 alpha-2", max_length=2, unique=True)
    iso3 = models.CharField("ISO 3166 alpha-3", max_length=3, unique=True)
    capital = models.CharField(max_length=100, blank=True)
    asean_member_since = models.CharField(
        max_length=10, help_text="Year or date of joining ASEAN, as in the source."
    )
    sources = models.ManyToManyField(Source, blank=True, related_name="member_states")

    class Meta:
        ordering = ["name"]

    def get_absolute_url(self):
        return slug_page_url("cities:member-state-detail", self.slug)

    @property
    def asean_member_since_display(self):
        """ "8 August 1967" for a full date; a year (or anything else) as recorded."""
        try:
            joined = datetime.date.fromisoformat(self.asean_member_since)
        except ValueError:
            return self.asean_member_since
        return f"{joined.day} {joined:%B %Y}"


class CityQuerySet(models.QuerySet):
    def for_list(self):
        """Cities with their member state and challenges (the compare page, the
        home page's map and table); their goals are read as values
        (selectors.city_goal_matrix)."""
        return self.select_related("member_state").prefetch_related(
            Prefetch("challenges", queryset=Challenge.objects.only("slug", "name")),
        )

    def for_cards(self):
        """What a city card shows (cities/city_list.html) besides its goals,
        which selectors.city_cards reads as values: the city and its member
        state."""
        return self.select_related("member_state")

    def for_api(self):
        """What the API record and the export of a city read: values rows of
        City.API_ROW (an instance, with its member state and two sources joined,
        cost more than the rest of its record). The many-to-many links are read
        apart, as values (cities/api.py)."""
        return self.values(*self.model.API_ROW)

    def for_profile(self):
        """What a city's profile shows (cities/city_detail.html) but its
        initiatives' links, which selectors.profile_initiatives reads: the city,
        its goals, challenges and sources, and its initiatives with the columns
        their table shows."""
        return self.select_related(
            "member_state", "official_website_source", "population_scope_source"
        ).prefetch_related(
            "focus_goals",
            "challenges",
            sources_prefetch("sources"),
            sources_prefetch("membership_sources"),
            Prefetch(
                "initiatives",
                queryset=Initiative.objects.only(
                    "slug",
                    "name",
                    "status",
                    "status_text",
                    "year",
                    "unverified",
                    "partner_text",
                    "primary_source",
                ).select_related("primary_source__publication"),
            ),
        )


class CityManager(SlugManager.from_queryset(CityQuerySet)):
    pass


class City(SluggedModel):
    class PopulationScope(models.TextChoices):
        """The unit the recorded population counts (and the size class uses)."""

        CITY = "city", "City"
        MUNICIPALITY = "municipality", "Municipality"
        REGENCY = "regency", "Regency"
        PROVINCE = "province", "Province"
        CITY_STATE = "city-state", "City-state"

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=100)
    member_state = models.ForeignKey(
        MemberState, on_delete=models.PROTECT, related_name="cities"
    )
    cohort_year = models.PositiveSmallIntegerField(
        db_index=True, help_text="Year the city joined ASCN (2018: pilot city)."
    )
    is_national_capital = models.BooleanField(default=False)
    latitude = models.FloatField(help_text="Decimal degrees, -90 to 90.")
    longitude = models.FloatField(help_text="Decimal degrees, -180 to 180.")
    population = models.PositiveIntegerField(
        null=True, blank=True, db_index=True, help_text="Sets the size class."
    )
    population_year = models.PositiveSmallIntegerField(null=True, blank=True)
    population_scope = models.CharField(
        max_length=12,
        choices=PopulationScope.choices,
        blank=True,
        help_text="The unit the population counts: city, municipality, regency...",
    )
    population_scope_source = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="population_scope_of",
        help_text="The source that says which unit the population counts.",
    )
    official_website = models.URLField(
        "city government website", max_length=300, blank=True
    )
    official_website_source = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="official_website_of",
        help_text="The page the website address was taken from.",
    )
    area_km2 = models.DecimalField(
        "area (km²)", max_digits=9, decimal_places=3, null=True, blank=True
    )
    focus_goals = models.ManyToManyField(
        Goal, blank=True, related_name="cities", help_text="ASCF goals it prioritises."
    )
    focus_goals_basis = models.TextField(blank=True)
    challenges = models.ManyToManyField(
        Challenge, blank=True, related_name="cities", help_text="Documented challenges."
    )
    challenge_sources = models.JSONField(
        default=dict,
        blank=True,
        help_text='Source addresses per challenge slug, e.g. {"congestion": ["https://..."]}.',
    )
    sources = models.ManyToManyField(Source, blank=True, related_name="cities")
    membership_sources = models.ManyToManyField(
        Source,
        blank=True,
        related_name="membership_of",
        help_text="Sources for the city's ASCN membership and cohort.",
    )
    unverified = models.JSONField(
        default=list,
        blank=True,
        help_text='Names of fields not confirmed by a source, e.g. ["cohort_year"].',
    )
    notes = models.TextField(blank=True)

    objects = CityManager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "cities"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(latitude__gte=-90, latitude__lte=90),
                name="city_latitude_range",
                violation_error_message="Latitude must be between -90 and 90.",
            ),
            models.CheckConstraint(
                condition=models.Q(longitude__gte=-180, longitude__lte=180),
                name="city_longitude_range",
                violation_error_message="Longitude must be between -180 and 180.",
            ),
            models.CheckConstraint(
                condition=models.Q(area_km2__isnull=True) | models.Q(area_km2__gte=0),
                name="city_area_not_negative",
                violation_error_message="Area cannot be negative.",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    cohort_year__gte=COHORT_MIN, cohort_year__lte=YEAR_MAX
                ),
                name="city_cohort_year_range",
                violation_error_message=(
                    "The cohort year must be 2018 (pilot cities) or later, "
                    "and before 2100."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(population_year__isnull=True)
                | models.Q(
                    population_year__gte=YEAR_MIN, population_year__lte=YEAR_MAX
                ),
                name="city_population_year_range",
                violation_error_message=(
                    "The population year must be between 1900 and 2100."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["name"], name="city_name_idx"),
            models.Index(fields=["cohort_year", "name"], name="city_cohort_name_idx"),
        ]

    # The columns of a city's API record and export row (City.objects.for_api()).
    API_ROW = (
        "pk",
        "slug",
        "name",
        "member_state__slug",
        "member_state__name",
        "cohort_year",
        "is_national_capital",
        "latitude",
        "longitude",
        "population",
        "population_year",
        "population_scope",
        "population_scope_source__url",
        "area_km2",
        "official_website",
        "official_website_source__url",
        "challenge_sources",
        "unverified",
    )

    def natural_key(self):
        return (self.slug,)

    natural_key.dependencies = ["cities.memberstate", "framework.goal"]

    def get_absolute_url(self):
        return slug_page_url("cities:city-detail", self.slug)

    def clean(self):
        if self.population_year and self.population is None:
            raise ValidationError(
                {"population_year": "A population year needs a population."}
            )
        if self.name and self.member_state_id:
            # The same name but for case, accents or punctuation ("Bañyuwangi").
            key = name_key(self.name)
            others = City.objects.filter(member_state_id=self.member_state_id)
            twin = next(
                (
                    city
                    for city in others.exclude(pk=self.pk).only("name", "slug")
                    if name_key(city.name) == key
                ),
                None,
            )
            if twin is not None:
                raise ValidationError(
                    {
                        "name": f"{twin.name} is already a city of this member "
                        f"state (slug {twin.slug}): edit that record instead."
                    }
                )
        json_shapes.check(
            self,
            {
                "challenge_sources": functools.partial(
                    json_shapes.addresses_by_challenge,
                    challenge_slugs=(
                        set(Challenge.objects.values_list("slug", flat=True))
                        if self.challenge_sources
                        else set()
                    ),
                ),
                "unverified": json_shapes.text_list,
            },
        )

    @property
    def size_class(self):
        return size_class_for(self.population)

    @property
    def population_unit(self):
        """What the population counts, in words: "regency population"."""
        if not self.population_scope:
            return "population (unit not recorded)"
        return f"{self.get_population_scope_display().lower()} population"

    def challenge_source_urls(self, challenge):
        return (self.challenge_sources or {}).get(challenge.slug, [])

    @property
    def area_display(self):
        """The area as recorded, without padding zeros: 661.5, 1,568.737, 12."""
        if self.area_km2 is None:
            return ""
        return format(self.area_km2.normalize(), ",f")

    @property
    def is_pilot(self):
        return is_pilot_cohort(self.cohort_year)

    def is_unverified(self, field):
        return field in (self.unverified or [])

    @property
    def cohort_unverified(self):
        return self.is_unverified("cohort_year")


class Partner(SluggedModel):
    """An external partner of ASCN and its programme."""

    slug = models.SlugField(max_length=60, unique=True)
    programme = models.CharField(max_length=200, help_text="Programme name.")
    country_or_org = models.CharField("country or organisation", max_length=120)
    year_started = models.PositiveSmallIntegerField(null=True, blank=True)
    funds = models.TextField(blank=True, help_text="What it funds or offers.")
    agencies = models.CharField(max_length=300, blank=True)
    notes = models.TextField(blank=True)
    unverified = models.JSONField(default=list, blank=True)
    sources = models.ManyToManyField(Source, blank=True, related_name="partners")

    class Meta:
        ordering = ["country_or_org", "programme"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(year_started__isnull=True)
                | models.Q(year_started__gte=YEAR_MIN, year_started__lte=YEAR_MAX),
                name="partner_year_range",
                violation_error_message="The start year must be between 1900 and 2100.",
            )
        ]

    def __str__(self):
        return f"{self.programme} ({self.country_or_org})"

    def clean(self):
        json_shapes.check(self, {"unverified": json_shapes.text_list})

    def get_absolute_url(self):
        return slug_page_url("cities:partner-detail", self.slug)


class InitiativeQuerySet(models.QuerySet):
    def with_status_rank(self):
        return self.annotate(status_rank_value=status_rank_expression())

    def for_list(self):
        return self.select_related("city__member_state").prefetch_related(
            "goals", "partners", "cities__member_state"
        )

    def for_api(self):
        """What the API record and the export of an initiative read: values rows
        of Initiative.API_ROW (an instance costs more than the rest of its
        record: some twenty columns, five JSON ones). The many-to-many links are
        read apart, as values (cities/api.py)."""
        return self.values(*self.model.API_ROW)

    def for_detail(self):
        """What an initiative's page shows: its cities, sources and links."""
        return self.select_related(
            "city__member_state",
            "primary_source__publication",
            "description_source",
        ).prefetch_related(
            "goals", "challenges", "partners", "sources", "cities__member_state"
        )

    def for_cards(self):
        """The columns the initiatives library's cards show
        (cities/initiative_list.html): no JSON columns decoded, no unused text.
        selectors.initiative_cards reads their links."""
        return self.only(
            "slug", "name", "year", "status", "status_text", "partner_text"
        )

    def for_rows(self):
        """What the goal and challenge pages' initiative lists read
        (includes/initiative_rows.html): the columns shown and the description's
        source; no unused JSON or text decoded. selectors.topic_initiatives
        reads the cities running each."""
        return self.only(
            "slug",
            "name",
            "year",
            "status",
            "status_text",
            "unverified",
            "description",
            "description_source",
            "city",
        ).select_related("description_source__publication")


def sources_prefetch(relation):
    """Sources with their publication, whose title labels a source that has none
    of its own (Source.label): one query for them all, not one per source."""
    return Prefetch(relation, queryset=Source.objects.select_related("publication"))


def runners_queryset():
    """Cities with the columns an initiative's listing shows of the cities running
    it: name, slug, and the member state's name and slug."""
    return City.objects.select_related("member_state").only(
        "slug", "name", "member_state__name", "member_state__slug"
    )


class Initiative(SluggedModel):
    """A named project of a city: from its Smart City Action Plan or a partner."""

    # The columns of an initiative's API record and export row
    # (Initiative.objects.for_api()).
    API_ROW = (
        "pk",
        "slug",
        "name",
        "city__slug",
        "city__member_state__slug",
        "description",
        "description_source__url",
        "challenges_basis",
        "status",
        "status_text",
        "year",
        "partner_text",
        "verification",
        "unverified",
        "primary_source__url",
    )

    class Status(models.TextChoices):
        """A short ordered scale over the source's own status words (which the
        pages show, from status_text), strongest evidence first. The mapping from
        words to scale is STATUS_RULES in scripts/build_fixtures.py."""

        COMPLETED = "completed", "Completed"
        ONGOING = "ongoing", "Under way or planned"
        AGREED = "agreed", "Agreed, studied or presented"
        UNKNOWN = "unknown", "Not in later reports"
        BEFORE_ASCN = "before-ascn", "Before ASCN"

    slug = models.SlugField(max_length=160, unique=True)
    name = models.CharField(max_length=250)
    aliases = models.JSONField(default=list, blank=True)
    city = models.ForeignKey(
        City,
        on_delete=models.PROTECT,
        related_name="led_initiatives",
        verbose_name="lead city",
        help_text="The city the initiative is listed under first.",
    )
    cities = models.ManyToManyField(
        City,
        related_name="initiatives",
        help_text="Every city that runs it (the lead city included). One initiative "
        "run jointly by several cities is one record.",
    )
    description = models.TextField(
        blank=True, help_text="What it did, in the editors' own words."
    )
    description_source = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="description_of",
        help_text="The page the description summarises.",
    )
    goals = models.ManyToManyField(Goal, blank=True, related_name="initiatives")
    challenges = models.ManyToManyField(
        Challenge,
        blank=True,
        related_name="initiatives",
        help_text="The challenges it addresses: an editors' classification from its "
        "description, not a sourced fact.",
    )
    challenges_basis = models.CharField(
        max_length=200,
        blank=True,
        help_text="How the challenge links were made.",
    )
    status = models.CharField(
        max_length=20, choices=Status.choices, db_index=True, help_text="Broad status."
    )
    status_text = models.CharField(
        max_length=200, help_text="Status in the source's words."
    )
    status_detail = models.TextField(blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True, db_index=True)
    year_basis = models.CharField(max_length=200, blank=True)
    listed_in_reports = models.JSONField(
        default=list, blank=True, help_text="Years of the M&E reports listing it."
    )
    programme = models.CharField(max_length=200, blank=True)
    partner_text = models.CharField(
        "partner (as in source)",
        max_length=250,
        blank=True,
        help_text="Blank when no partner is named.",
    )
    partners = models.ManyToManyField(
        Partner,
        blank=True,
        related_name="initiatives",
        help_text="ASCN partner programmes a source links it to.",
    )
    verification = models.TextField(blank=True, help_text="How sure the facts are.")
    unverified = models.JSONField(default=list, blank=True)
    notes = models.TextField(blank=True)
    primary_source = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="primary_for_initiatives",
    )
    sources = models.ManyToManyField(Source, blank=True, related_name="initiatives")

    objects = SlugManager.from_queryset(InitiativeQuerySet)()

    class Meta:
        ordering = ["name", "slug"]
        indexes = [
            models.Index(fields=["name", "slug"], name="initiative_name_slug_idx")
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(year__isnull=True)
                | models.Q(year__gte=YEAR_MIN, year__lte=YEAR_MAX),
                name="initiative_year_range",
                violation_error_message="The year must be between 1900 and 2100.",
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.city})"

    def clean(self):
        json_shapes.check(
            self,
            {
                "aliases": json_shapes.text_list,
                "listed_in_reports": json_shapes.year_list,
                "unverified": json_shapes.text_list,
            },
        )

    @property
    def status_rank(self):
        return STATUS_RANK[self.status]

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # The lead city always runs its initiative (the admin adds it again
        # after saving the form's links).
        self.cities.add(self.city_id)

    def natural_key(self):
        return (self.slug,)

    natural_key.dependencies = ["cities.city", "cities.partner"]

    def get_absolute_url(self):
        return slug_page_url("cities:initiative-detail", self.slug)


# The status scale's order, strongest evidence first (lower is stronger): used by
# every ranking (peers, topic lists, the learning brief).
STATUS_RANK = {status: rank for rank, status in enumerate(Initiative.Status)}


def status_rank_expression(prefix=""):
    """STATUS_RANK as a database expression (for ORDER BY and MIN)."""
    return Case(
        *[
            When(**{f"{prefix}status": status}, then=Value(rank))
            for status, rank in STATUS_RANK.items()
        ],
        default=Value(len(STATUS_RANK)),
        output_field=IntegerField(),
    )


# The peer ranking's order within a topic (rule 3b-e of cities/peers.py):
# strongest status, more initiatives, more sources, then name and slug.
PEER_RANKING = [
    "best_status_rank",
    "-initiative_count",
    "-source_count",
    "city_name",
    "city_slug",
]


class PeerCount(models.Model):
    """One city's evidence on one goal or challenge, as the peer ranking reads it
    (cities/peers.py): kept up to date on every edit by cities/signals.py, so a
    ranking is one indexed ORDER BY ... LIMIT instead of an aggregate over every
    initiative on the topic. Derived data: never edited, rebuilt from the records
    by `manage.py refresh_peer_table`."""

    class Kind(models.TextChoices):
        CHALLENGE = "challenge", "Challenge"
        GOAL = "goal", "Goal"
        # A challenge's second tier: initiatives under any goal addressing it
        # (cities/peers.py, goal_only_cities).
        GOAL_TIER = "goal-tier", "Goals of a challenge"

    # Not content: writing these rows is no edit (framework/cache.py skips them).
    is_derived_data = True

    kind = models.CharField(max_length=9, choices=Kind.choices)
    topic_id = models.PositiveBigIntegerField(help_text="The goal's or challenge's id.")
    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="+")
    # The city's member state, name and slug, copied so that the ranking's whole
    # order is in one index (refreshed when the city is saved).
    member_state = models.ForeignKey(
        MemberState, on_delete=models.CASCADE, related_name="+"
    )
    city_name = models.CharField(max_length=100)
    city_slug = models.SlugField(max_length=80, db_index=False)
    best_status_rank = models.PositiveSmallIntegerField(
        help_text="The strongest status of the city's initiatives on the topic "
        "(STATUS_RANK: 0 is completed)."
    )
    initiative_count = models.PositiveIntegerField()
    source_count = models.PositiveIntegerField(
        help_text="Distinct sources behind those initiatives."
    )

    class Meta:
        ordering = ["kind", "topic_id", *PEER_RANKING]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "topic_id", "city"], name="peer_count_unique"
            )
        ]
        indexes = [
            # The ranking's order (rule 3b-e), per topic.
            models.Index(
                fields=["kind", "topic_id", *PEER_RANKING],
                name="peer_count_ranking_idx",
            ),
            # The goal tier's order: most initiatives, then name.
            models.Index(
                fields=["kind", "topic_id", "-initiative_count", "city_name"],
                name="peer_count_most_idx",
            ),
        ]

    # No get_absolute_url: a row is no page of its own.

    def __str__(self):
        return f"{self.city_name} on {self.kind} {self.topic_id}"


class FacetCount(models.Model):
    """How many initiatives each option of the initiatives list's facets gives when
    no other filter is active (the list as first opened): kept up to date on every
    edit by cities/signals.py, so the list's first view after an edit reads a few
    rows instead of a GROUP BY over every initiative per facet. Derived data:
    rebuilt from the records by `manage.py refresh_peer_table`."""

    # Not content: writing these rows is no edit (framework/cache.py skips them).
    is_derived_data = True

    facet = models.CharField(max_length=20, help_text="The filter's name: goal, ...")
    value = models.CharField(
        max_length=160, help_text="The option's value: a slug, a status or a year."
    )
    label = models.CharField(
        max_length=250, blank=True, help_text="The city's name (the city facet)."
    )
    count = models.PositiveIntegerField()

    class Meta:
        ordering = ["facet", "-count", "label"]
        constraints = [
            models.UniqueConstraint(
                fields=["facet", "value"], name="facet_count_unique"
            )
        ]
        indexes = [
            # The capped city facet: the cities with the most initiatives.
            models.Index(
                fields=["facet", "-count", "label"], name="facet_count_top_idx"
            )
        ]

    # No get_absolute_url: a row is no page of its own.

    def __str__(self):
        return f"{self.facet}={self.value}: {self.count}"
