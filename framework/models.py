"""The ASEAN Smart Cities Framework (goals, outcomes, challenges) and the sources
every fact in the portal points to."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.functional import cached_property

from . import json_shapes
from .addresses import slug_page_url
from .history import PortalHistoricalRecords
from .json_shapes import YEAR_MAX, YEAR_MIN


class SlugManager(models.Manager):
    """Fixtures refer to records by slug (natural key)."""

    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class SluggedModel(models.Model):
    """A record known by its slug: fixtures refer to it by slug (its natural key),
    and editors' changes are kept in its history. Each model declares its own
    `slug` field (their lengths differ); one without a `name` overrides
    `__str__`."""

    objects = SlugManager()

    history = PortalHistoricalRecords(inherit=True)

    class Meta:
        abstract = True

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)


class PublicationManager(models.Manager):
    def get_by_natural_key(self, key):
        return self.get(key=key)


class Publication(models.Model):
    """A report, paper or article the reference facts come from."""

    key = models.SlugField(max_length=80, unique=True, help_text="Citation key.")
    authors = models.CharField(max_length=300, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    title = models.CharField(
        max_length=400, blank=True, help_text="Leave blank when not verified."
    )
    venue = models.CharField(max_length=300, blank=True)
    doi = models.CharField(max_length=200, blank=True)
    url = models.URLField(max_length=500, blank=True)
    required = models.BooleanField(
        default=False, help_text="Part of the project's required reading."
    )
    unverified = models.JSONField(
        default=list, blank=True, help_text="Names of fields not confirmed by a source."
    )
    notes = models.TextField(blank=True)

    objects = PublicationManager()

    history = PortalHistoricalRecords()

    class Meta:
        ordering = ["-year", "key"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(year__isnull=True)
                | models.Q(year__gte=YEAR_MIN, year__lte=YEAR_MAX),
                name="publication_year_range",
                violation_error_message="The year must be between 1900 and 2100.",
            )
        ]

    def __str__(self):
        return f"{self.authors} ({self.year or 'n.d.'}) {self.title or self.venue}"

    def clean(self):
        json_shapes.check(self, {"unverified": json_shapes.text_list})

    def natural_key(self):
        return (self.key,)

    def get_absolute_url(self):
        return reverse("portal:source-list") + f"#pub-{self.key}"


class SourceManager(models.Manager):
    def get_queryset(self):
        # Pages name a source by its publication's title when it has one.
        return super().get_queryset().select_related("publication")

    def get_by_natural_key(self, url):
        return self.get(url=url)


def same_page(first, second):
    """Whether two web addresses differ only by the case of their scheme and host
    name, or by a trailing slash."""

    def key(url):
        scheme, _, rest = url.rstrip("/").partition("://")
        host, slash, path = rest.partition("/")
        return (scheme.lower(), host.lower(), path)

    return key(first) == key(second)


class Source(models.Model):
    """One web address a fact was taken from."""

    url = models.URLField(max_length=2000, unique=True)
    title = models.CharField(max_length=300, blank=True)
    publication = models.ForeignKey(
        Publication,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sources",
        help_text="The publication this address belongs to, if any.",
    )

    objects = SourceManager()

    history = PortalHistoricalRecords()

    class Meta:
        ordering = ["url"]

    def __str__(self):
        return self.title or self.url

    def natural_key(self):
        return (self.url,)

    def clean(self):
        """A web address (http or https), not one already recorded but for a
        trailing slash: the same page kept twice would split what cites it."""
        if not self.url:
            return
        try:
            json_shapes.web_address(self.url)
        except ValidationError:
            raise ValidationError(
                {"url": "Enter a web address starting with http:// or https://."}
            ) from None
        # The scheme and host name are the same in any case ("HTTP://Example.org/a"
        # is "http://example.org/a"); the path is not.
        stripped = self.url.rstrip("/")
        twins = Source.objects.filter(
            Q(url__iexact=stripped) | Q(url__iexact=stripped + "/")
        ).exclude(pk=self.pk)
        twin = next(
            (
                other
                for other in twins
                if same_page(other.url, self.url) and other.url != self.url
            ),
            None,
        )
        if twin is not None:
            raise ValidationError(
                {
                    "url": f"This page is already recorded as {twin.url} "
                    f"(source {twin.pk})."
                }
            )

    @cached_property
    def domain(self):
        rest = self.url.split("://", 1)[-1]
        return rest.split("/", 1)[0].removeprefix("www.")

    @property
    def label(self):
        if self.title:
            return self.title
        if self.publication_id and self.publication.title:
            return self.publication.title
        return self.domain

    @property
    def address_unverified(self):
        """The reference could not confirm this publication's address."""
        return bool(self.publication_id and "url" in self.publication.unverified)

    def get_absolute_url(self):
        return reverse("portal:source-list") + f"?source={self.pk}#source-{self.pk}"


class Goal(SluggedModel):
    """One of the six strategic goals (development focus areas) of the ASCF."""

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=100, unique=True)
    order = models.PositiveSmallIntegerField(
        unique=True, help_text="Position in the framework (1-6)."
    )
    covers = models.JSONField(
        default=list, blank=True, help_text="Kinds of project classified under it."
    )
    covers_basis = models.TextField(blank=True, help_text="Where 'covers' comes from.")
    sources = models.ManyToManyField(Source, blank=True, related_name="goals")

    class Meta:
        ordering = ["order"]

    def clean(self):
        json_shapes.check(self, {"covers": json_shapes.text_list})

    def get_absolute_url(self):
        return slug_page_url("framework:goal-detail", self.slug)


class Outcome(SluggedModel):
    """One of the three strategic outcomes the ASCF balances."""

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=100)
    order = models.PositiveSmallIntegerField(unique=True)
    sources = models.ManyToManyField(Source, blank=True, related_name="outcomes")

    class Meta:
        ordering = ["order"]

    def get_absolute_url(self):
        return reverse("portal:about") + "#outcomes"


class FrameworkPart(SluggedModel):
    """A part of the framework's structure (outcomes, goals, urban systems...)."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=120)
    detail = models.TextField()
    order = models.PositiveSmallIntegerField(unique=True)
    unverified = models.BooleanField(
        default=False, help_text="Tick when the detail is not confirmed by a source."
    )
    sources = models.ManyToManyField(Source, blank=True, related_name="framework_parts")

    class Meta:
        ordering = ["order"]

    def get_absolute_url(self):
        return reverse("portal:about") + f"#part-{self.slug}"


class Challenge(SluggedModel):
    class Kind(models.TextChoices):
        URBAN = "urban", "Urban"
        GOVERNANCE = "governance", "Governance"

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, db_index=True)
    goals = models.ManyToManyField(
        Goal, blank=True, related_name="challenges", help_text="Goals that address it."
    )
    sources = models.ManyToManyField(Source, blank=True, related_name="challenges")

    class Meta:
        ordering = ["kind", "name"]

    def get_absolute_url(self):
        return slug_page_url("framework:challenge-detail", self.slug)


class Milestone(SluggedModel):
    """A dated event in the network's history."""

    slug = models.SlugField(max_length=120, unique=True)
    date = models.CharField(
        max_length=10,
        help_text="YYYY, YYYY-MM or YYYY-MM-DD, as precise as the source.",
    )
    year = models.PositiveSmallIntegerField(db_index=True)
    event = models.TextField()
    sources = models.ManyToManyField(Source, blank=True, related_name="milestones")

    class Meta:
        ordering = ["date", "slug"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(year__gte=YEAR_MIN, year__lte=YEAR_MAX),
                name="milestone_year_range",
                violation_error_message="The year must be between 1900 and 2100.",
            )
        ]

    def __str__(self):
        return f"{self.date}: {self.event[:60]}"

    def get_absolute_url(self):
        return reverse("portal:about") + f"#milestone-{self.slug}"


class NetworkFigure(SluggedModel):
    """A figure about the whole network, by report year."""

    slug = models.SlugField(max_length=120, unique=True)
    fact = models.CharField(max_length=200)
    values = models.JSONField(help_text="Values keyed by year.")
    unverified = models.JSONField(
        default=list,
        blank=True,
        help_text="The keys of `values` (e.g. a year) that no stored source "
        "confirms; the pages mark them as unverified.",
    )
    sources = models.ManyToManyField(Source, blank=True, related_name="network_figures")

    class Meta:
        ordering = ["slug"]

    def __str__(self):
        return self.fact

    def clean(self):
        json_shapes.check(
            self,
            {"values": json_shapes.figure_values, "unverified": json_shapes.text_list},
        )

    def get_absolute_url(self):
        return reverse("portal:about") + f"#figure-{self.slug}"


class CandidateCity(SluggedModel):
    """A city that a third-party roster counts as an ASCN member but no stored
    source confirms: not one of the portal's cities. It explains why the roster's
    count of member cities is larger than the portal's."""

    slug = models.SlugField(max_length=120, unique=True)
    name = models.CharField(max_length=120)
    member_state = models.CharField(
        max_length=100, help_text="The member state, by name, as the roster has it."
    )
    claimed_joined_year = models.PositiveSmallIntegerField(
        help_text="The year the roster says the city joined."
    )
    status = models.TextField(
        help_text="What the stored sources say about its membership, in the "
        "reference's words."
    )
    sources = models.ManyToManyField(
        Source, blank=True, related_name="candidate_cities"
    )

    class Meta:
        ordering = ["claimed_joined_year", "name"]
        verbose_name_plural = "candidate cities"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    claimed_joined_year__gte=YEAR_MIN, claimed_joined_year__lte=YEAR_MAX
                ),
                name="candidatecity_year_range",
                violation_error_message="The year must be between 1900 and 2100.",
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.member_state})"

    def get_absolute_url(self):
        return reverse("portal:about") + f"#candidate-{self.slug}"
