"""Counts the portal works out, checked against the records on every page that
shows them. A joint initiative is one record run by several cities: it counts for
each city that runs it, and once for a partner or member state."""

import re

from cities.models import City, Initiative, MemberState, Partner


def text(client, path):
    response = client.get(path)
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


def plural(n, one, many):
    return f"{n} {one if n == 1 else many}"


def test_partner_counts_on_the_list_the_page_and_the_api(client, real_data):
    partner_list = text(client, "/partners/")
    api = {
        row["slug"]: row
        for row in client.get("/api/v1/partners/", {"page_size": 500}).json()["results"]
    }
    for partner in Partner.objects.all():
        initiatives = Initiative.objects.filter(partners=partner)
        cities = City.objects.filter(initiatives__in=initiatives).distinct()
        n, c = initiatives.count(), cities.count()
        line = (
            f"{plural(n, 'linked initiative', 'linked initiatives')} in "
            f"{plural(c, 'city', 'cities')}"
        )
        assert line in partner_list, partner.slug
        assert (
            api[partner.slug]["initiative_count"],
            api[partner.slug]["city_count"],
        ) == (n, c)
        page = text(client, partner.get_absolute_url())
        if not n:
            assert "No initiative in our sources is linked" in page, partner.slug
            continue
        assert f"in {plural(c, 'city', 'cities')} name" in page, partner.slug
        for city in cities:
            runs = initiatives.filter(cities=city).count()
            link = f'<a href="{city.get_absolute_url()}">{city.name}</a> ({runs})'
            assert link in page, (partner.slug, city.slug)


def test_joint_initiative_counts_for_every_city_running_it(client, real_data):
    joint = [
        i for i in Initiative.objects.prefetch_related("cities") if i.cities.count() > 1
    ]
    assert joint, "the shipped data has a shared initiative"
    for state in MemberState.objects.all():
        page = text(client, state.get_absolute_url())
        total = Initiative.objects.filter(cities__member_state=state).distinct().count()
        assert f"{plural(total, 'initiative', 'initiatives')}</p>" in page, state.slug
        for city in City.objects.filter(member_state=state):
            row = page.split(f'<a href="{city.get_absolute_url()}">{city.name}</a>', 1)
            assert len(row) == 2, city.slug
            cells = row[1].split("</tr>", 1)[0]
            expected = city.initiatives.count()
            assert f'<td data-label="Initiatives">{expected}</td>' in cells, city.slug
