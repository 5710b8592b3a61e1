"""/about/ "The network in figures": the figures in words, a chart drawn on the
server, the unverified marks kept, and the city count explained."""

import re

from cities.models import City
from framework.figures import bar_chart, figure_table, key_label
from framework.models import CandidateCity, Goal, NetworkFigure

RAW_KEYS = [
    "chief_smart_city_officers",
    "national_representatives",
    "built-infrastructure:",
    "civic-and-social",
    "(dataset)",
]


def figures_section(client):
    html = client.get("/about/").content.decode()
    return html.split('id="figures-heading"', 1)[1].split('id="peer-ranking"', 1)[0]


def test_figures_read_in_words_with_no_raw_keys(client, real_data):
    section = figures_section(client)

    for raw in RAW_KEYS:
        assert raw not in section, raw
    for goal in Goal.objects.all():
        assert f'<th scope="row">{goal.name}</th>' in section
    assert "Chief Smart City Officers" in section
    assert "April 2025" in section


def test_values_the_reference_marks_unverified_carry_the_mark(client, real_data):
    section = figures_section(client)
    cities = NetworkFigure.objects.get(slug="number-of-member-cities")
    assert set(cities.unverified) == {"2025 (dataset)", "2026 (dataset)"}

    rows = re.findall(
        r"<tr><th scope=\"row\">([^<]+)</th><td[^>]*>(.*?)</td>", section, re.S
    )
    marked = {label for label, cell in rows if 'class="unverified"' in cell}
    assert {"2025, third-party dataset", "2026, third-party dataset"} <= marked
    assert "2018" not in marked
    assert "The date of count is" in section


def test_city_count_is_explained_against_the_roster(client, real_data):
    section = figures_section(client)
    roster = section.split('id="city-count"', 1)[1].split("</div>", 1)[0]
    count = City.objects.count()
    candidates = list(CandidateCity.objects.all())

    assert {c.name for c in candidates} == {"Denpasar", "Semarang", "Dili"}
    assert f"Why this portal lists {count} cities, not 38" in roster
    assert f"({count} + {len(candidates)} = 38)" in roster
    for candidate in candidates:
        assert f'id="candidate-{candidate.slug}"' in roster
        assert candidate.sources.exists()
    assert not City.objects.filter(name__in=[c.name for c in candidates]).exists()


def test_the_sum_is_claimed_only_when_it_holds(client, real_data):
    CandidateCity.objects.filter(slug="dili").delete()
    roster = figures_section(client).split('id="city-count"', 1)[1]

    assert "= 38)" not in roster.split("</div>", 1)[0]


def test_project_counts_are_drawn_as_bars_in_proportion(client, real_data):
    section = figures_section(client)
    chart = section.split('class="bar-chart"', 1)[1].split("</figure>", 1)[0]
    heights = [
        float(h) for h in re.findall(r'class="bar"[^>]*height="([\d.]+)"', chart)
    ]
    values = NetworkFigure.objects.get(slug="ascn-project-count-by-m-e-report").values
    expected = [values[year] for year in sorted(values)]

    assert len(heights) == len(expected) == 5
    for height, value in zip(heights, expected, strict=True):
        assert abs(height / max(heights) - value / max(expected)) < 0.01
    assert "<script" not in chart
    assert 'role="img"' in chart


def test_key_labels():
    goals = {"quality-environment": "Quality Environment"}
    assert key_label("quality-environment", goal_names=goals) == "Quality Environment"
    assert key_label("2025 (April)", goal_names={}) == "April 2025"
    assert key_label("2026 (dataset)", goal_names={}) == "2026, third-party dataset"
    assert key_label("some_new_role", goal_names={}) == "Some new role"


def test_a_nested_figure_is_a_goal_by_year_table():
    figure = NetworkFigure(
        slug="share",
        fact="Share",
        values={"2023": {"b": 2, "a": 1}, "2022": {"a": 3}},
        unverified=[],
    )
    table = figure_table(figure, goal_names={"a": "Goal A", "b": "Goal B"})
    assert table.columns == ["2022", "2023"]
    assert [(row.label, row.cells) for row in table.rows] == [
        ("Goal A", [3, 1]),
        ("Goal B", ["", 2]),
    ]
    assert table.chart is None


def test_bar_chart_scales_to_the_largest_value():
    chart = bar_chart({"2021": 50, "2022": 100})
    assert chart.bars[1].height == 2 * chart.bars[0].height
    assert chart.bars[1].y + chart.bars[1].height == chart.baseline
