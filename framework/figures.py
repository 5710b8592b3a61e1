"""The network's figures (NetworkFigure) as /about/ shows them: tables in words and
a small bar chart drawn on the server.

A figure's `values` are keyed by year ("2024"), by a dated label ("2025 (April)",
"2025 (dataset)"), by goal slug (one level down: the share of projects per goal
and year) or by a name ("chief_smart_city_officers"). Nothing here invents a
value: it only names the keys in words and says which ones no source confirms.
"""

import re
from dataclasses import dataclass, field

# Names in words for the keys the reference uses; any other key is spelt out from
# its slug ("partnerships_established" gives "Partnerships established").
KEY_LABELS = {
    "national_representatives": "National representatives",
    "chief_smart_city_officers": "Chief Smart City Officers",
    "shepherd": "Shepherd (the member state that chairs the network)",
    "count": "Number",
}
# The heading of the value column, by figure slug.
VALUE_HEADINGS = {
    "ascn-project-count-by-m-e-report": "Projects listed in the report",
    "number-of-member-cities": "Member cities",
    "ascn-governance": "Who",
    "partnerships-established-as-stated-by-asean-sourced-page": "Partnerships",
}
# The heading of the first column of a figure not keyed by year.
ROW_HEADINGS = {"ascn-governance": "Role"}
YEAR_RE = re.compile(r"(\d{4})(?: \((.+)\))?")
# What a bracketed qualifier after a year means.
QUALIFIERS = {"dataset": "third-party dataset"}


@dataclass
class Row:
    label: str
    cells: list  # one value per column
    unverified: bool = False


@dataclass
class Bar:
    label: str
    value: int
    x: float
    y: float
    width: float
    height: float


@dataclass
class Chart:
    bars: list
    width: int
    height: int
    baseline: float
    max_value: int


@dataclass
class FigureTable:
    figure: object
    columns: list  # headings of the value columns
    rows: list
    row_heading: str
    unverified_notes: list = field(default_factory=list)  # e.g. "date of count"
    chart: Chart | None = None

    @property
    def slug(self):
        return self.figure.slug


def key_label(key, *, goal_names):
    """A value's key in words: a goal's name, "April 2025", a role's name."""
    if key in goal_names:
        return goal_names[key]
    match = YEAR_RE.fullmatch(key)
    if match:
        year, qualifier = match.groups()
        if not qualifier:
            return year
        if qualifier in QUALIFIERS:
            return f"{year}, {QUALIFIERS[qualifier]}"
        return f"{qualifier} {year}"
    if key in KEY_LABELS:
        return KEY_LABELS[key]
    words = key.replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:]


def _is_year(key):
    return bool(re.fullmatch(r"\d{4}", key))


def bar_chart(values, *, width=480, height=200):
    """Bars for {year: number}, scaled to the largest; SVG user units."""
    top, bottom, left, right = 24, 28, 8, 8
    items = sorted(values.items())
    peak = max(value for _, value in items) or 1
    slot = (width - left - right) / len(items)
    plot = height - top - bottom
    bars = []
    for index, (key, value) in enumerate(items):
        bar_height = plot * value / peak
        bars.append(
            Bar(
                label=key,
                value=value,
                x=round(left + index * slot + slot * 0.15, 1),
                y=round(top + plot - bar_height, 1),
                width=round(slot * 0.7, 1),
                height=round(bar_height, 1),
            )
        )
    return Chart(
        bars=bars, width=width, height=height, baseline=top + plot, max_value=peak
    )


def figure_table(figure, *, goal_names):
    """One figure as a table (and a chart when it is a number per year)."""
    values = figure.values or {}
    unverified = set(figure.unverified or [])
    notes = [name for name in figure.unverified or [] if name not in values]
    nested = values and all(isinstance(v, dict) for v in values.values())
    if nested:
        # {year: {goal: share}}: one row per goal, one column per year.
        columns = sorted(values)
        keys = list(dict.fromkeys(k for inner in values.values() for k in inner))
        order = list(goal_names)
        keys.sort(key=lambda k: order.index(k) if k in order else len(order))
        rows = [
            Row(
                label=key_label(key, goal_names=goal_names),
                cells=[values[column].get(key, "") for column in columns],
                unverified=key in unverified,
            )
            for key in keys
        ]
        return FigureTable(
            figure=figure,
            columns=[key_label(c, goal_names=goal_names) for c in columns],
            rows=rows,
            row_heading="Goal",
            unverified_notes=notes,
        )
    rows = [
        Row(
            label=figure.fact if key == "count" else key_label(key, goal_names={}),
            cells=[value],
            unverified=key in unverified,
        )
        for key, value in values.items()
    ]
    by_year = all(_is_year(k) for k in values)
    numeric = all(
        isinstance(v, int) and not isinstance(v, bool) for v in values.values()
    )
    chart = (
        bar_chart(values)
        if values and by_year and numeric and len(values) > 1
        else None
    )
    dated = all(YEAR_RE.fullmatch(k) for k in values)
    return FigureTable(
        figure=figure,
        columns=[VALUE_HEADINGS.get(figure.slug, "Figure")],
        rows=rows,
        row_heading="Year" if dated else ROW_HEADINGS.get(figure.slug, "What"),
        unverified_notes=notes,
        chart=chart,
    )


def roster_gap(figures, *, city_count, candidates):
    """How the portal's city count compares with the largest count of member
    cities that comes from a third-party dataset ("2026 (dataset)": 38), or None.

    `adds_up` says whether the portal's cities and the candidate cities make the
    dataset's count exactly; the page claims that only when they do.
    """
    for figure in figures:
        dated = [
            (key, value)
            for key, value in (figure.values or {}).items()
            if isinstance(value, int)
            and (m := YEAR_RE.fullmatch(key))
            and m.group(2) in QUALIFIERS
        ]
        if figure.slug != "number-of-member-cities" or not dated:
            continue
        key, value = max(dated)
        return {
            "year": YEAR_RE.fullmatch(key).group(1),
            "value": value,
            "unverified": key in (figure.unverified or []),
            "city_count": city_count,
            "candidates": candidates,
            "adds_up": city_count + len(candidates) == value,
            "figure": figure,
        }
    return None
