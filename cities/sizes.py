"""City size classes: the one definition, used by the model, the filters and the pages.

A city's class follows from its recorded population:
small under 500,000; medium 500,000 to under 1,000,000; large 1,000,000 to under
5,000,000; very-large 5,000,000 and over.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class SizeClass:
    slug: str
    label: str
    minimum: int
    maximum: int | None  # exclusive; None means no upper bound

    def contains(self, population):
        if population is None:
            return False
        return population >= self.minimum and (
            self.maximum is None or population < self.maximum
        )

    @property
    def description(self):
        if self.maximum is None:
            return f"{self.minimum:,} and over"
        if self.minimum == 0:
            return f"under {self.maximum:,}"
        return f"{self.minimum:,} to under {self.maximum:,}"


SIZE_CLASSES = (
    SizeClass("small", "Small", 0, 500_000),
    SizeClass("medium", "Medium", 500_000, 1_000_000),
    SizeClass("large", "Large", 1_000_000, 5_000_000),
    SizeClass("very-large", "Very large", 5_000_000, None),
)
SIZE_CLASSES_BY_SLUG = {size.slug: size for size in SIZE_CLASSES}


def size_class_for(population):
    """The size class of a population, or None when the population is unknown."""
    for size in SIZE_CLASSES:
        if size.contains(population):
            return size
    return None


def population_q(slug, field="population"):
    """Query conditions (as a dict for Q(**...)) selecting one size class."""
    size = SIZE_CLASSES_BY_SLUG[slug]
    conditions = {f"{field}__gte": size.minimum}
    if size.maximum is not None:
        conditions[f"{field}__lt"] = size.maximum
    return conditions
