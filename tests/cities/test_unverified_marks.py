"""A population or area that no stored source confirms is marked "unverified"
wherever a city's figures are shown, not on its profile only: the city list's
cards, the member-state table and the compare table (checked for every city)."""

import re

from cities.models import City
from cities.views import COMPARE_MAX

MARK = 'class="unverified"'


def population_unverified(city):
    return bool(city.population) and "population" in city.unverified


def card_population(content, city):
    """The population line of `city`'s card on a city list page, or None."""
    href = f'<h3><a href="{city.get_absolute_url()}">'
    if href not in content:
        return None
    card = content[content.index(href) :]
    card = card[: card.index("</article>")]
    return re.search(r"<p>(Population.*?)</p>", card, re.S).group(1)


def test_the_city_cards_mark_an_unverified_population(client, real_data):
    cities = list(City.objects.all())
    seen = {}
    page = 1
    while True:
        response = client.get(f"/cities/?page={page}")
        if response.status_code != 200:
            break
        content = response.content.decode()
        for city in cities:
            line = card_population(content, city)
            if line is not None:
                seen[city.slug] = line
        if 'rel="next"' not in content:
            break
        page += 1
    assert len(seen) == len(cities)
    marked = 0
    for city in cities:
        assert (MARK in seen[city.slug]) == population_unverified(city), city.slug
        marked += population_unverified(city)
    assert marked  # the shipped data has such populations


def test_the_member_state_tables_mark_an_unverified_population(client, real_data):
    for city in City.objects.select_related("member_state"):
        content = client.get(city.member_state.get_absolute_url()).content.decode()
        href = f'<a href="{city.get_absolute_url()}">'
        row = content[content.index(href) :]
        row = row[: row.index("</tr>")]
        population = re.search(r'<td data-label="Population">(.*?)</td>', row, re.S)
        marked = MARK in population.group(1)
        assert marked == population_unverified(city), city.slug


def test_the_compare_table_marks_unverified_figures(client, real_data):
    cities = list(City.objects.order_by("slug"))
    for start in range(0, len(cities), COMPARE_MAX):
        group = cities[start : start + COMPARE_MAX]
        if len(group) < 2:
            group = cities[:2]
        query = "&".join(f"city={city.slug}" for city in group)
        content = client.get(f"/compare/?{query}").content.decode()
        for label, field in (("Population", "population"), ("Area", "area_km2")):
            row = re.search(rf'<th scope="row">{label}</th>(.*?)</tr>', content, re.S)
            for city in group:
                cell = re.search(
                    rf'<td data-label="{re.escape(city.name)}">(.*?)</td>',
                    row.group(1),
                    re.S,
                ).group(1)
                expected = bool(getattr(city, field)) and field in city.unverified
                assert (MARK in cell) == expected, (city.slug, label, cell)
