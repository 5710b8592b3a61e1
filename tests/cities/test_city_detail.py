import pytest
from django.contrib.auth.models import User
from django.utils.html import escape

from framework.models import Publication
from tests.conftest import (
    make_challenge,
    make_city,
    make_goal,
    make_initiative,
    make_member_state,
    make_partner,
    make_source,
)


def test_profile_shows_the_facts_and_their_sources(client, real_data):
    response = client.get("/cities/jakarta/")
    assert response.status_code == 200
    content = response.content.decode()
    for text in [
        "Jakarta",
        "Indonesia",
        "pilot city of 2018",
        "10,562,088",
        "(2020)",
        "city population",
        "Very large",
        "661.5 km²",
        "Land subsidence",
        "Built Infrastructure",
        'id="sources-heading"',
        'class="map"',
    ]:
        assert text in content, text
    city = response.context["city"]
    for source in city.sources.all():
        assert escape(source.url) in content
    for initiative in city.initiatives.all():
        assert initiative.get_absolute_url() in content


def test_unverified_cohort_is_marked(client, real_data):
    content = client.get("/cities/ipoh/").content.decode()
    assert "unverified" in content
    assert "2025" in content


def test_unknown_city_is_404(client, real_data):
    response = client.get("/cities/atlantis/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_edit_link_only_for_staff_who_may_edit(client, real_data):
    assert "Edit in admin" not in client.get("/cities/jakarta/").content.decode()
    client.force_login(User.objects.create_superuser("boss", "b@example.org", "pw"))
    assert "Edit in admin" in client.get("/cities/jakarta/").content.decode()


def test_jakarta_peers_link_to_other_cities_initiatives(client, real_data):
    response = client.get("/cities/jakarta/")
    content = response.content.decode()
    peers_html = content[content.index('id="peers"') :]
    groups = response.context["peer_groups"]
    linked = [
        initiative
        for group in groups["challenges"]
        for peer in group.peers
        for initiative in peer.initiatives
    ]
    assert linked
    assert all("jakarta" not in {c.slug for c in i.cities.all()} for i in linked)
    assert linked[0].get_absolute_url() in peers_html
    assert "On the challenges Jakarta faces" in peers_html
    assert peers_html.index("On the challenges") < peers_html.index("Second tier")


def published_source():
    """A source without a title of its own: its label is its publication's."""
    n = Publication.objects.count()
    publication = Publication.objects.create(key=f"pub-{n}", title=f"Report {n}")
    return make_source(publication=publication)


def test_profile_query_count_does_not_grow(client, db, django_assert_max_num_queries):
    goal = make_goal()
    challenge = make_challenge(goals=[goal])
    home = make_member_state()
    city = make_city(
        member_state=home,
        goals=[goal],
        challenges=[challenge],
        sources=[published_source()],
    )
    partner = make_partner()

    def add_initiative(n):
        # Every other one has no primary source: its first source is cited.
        source = published_source()
        make_initiative(
            city=city,
            goals=[goal],
            partners=[partner],
            sources=[source],
            primary_source=source if n % 2 else None,
        )

    for n in range(3):
        add_initiative(n)
    other = make_city(goals=[goal], challenges=[challenge])
    make_initiative(city=other, goals=[goal])
    with django_assert_max_num_queries(30) as small:
        client.get(city.get_absolute_url())
    for n in range(40):
        add_initiative(n)
        city.sources.add(published_source())
        city.membership_sources.add(published_source())
        peer = make_city(goals=[goal], challenges=[challenge])
        make_initiative(city=peer, goals=[goal], sources=[published_source()])
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(city.get_absolute_url())
    assert response.status_code == 200
    assert "Report 40" in response.content.decode()  # sources labelled by it


@pytest.mark.parametrize("slug", ["hanoi", "singapore", "cauayan-city", "nay-pyi-taw"])
def test_every_kind_of_profile_renders(client, real_data, slug):
    assert client.get(f"/cities/{slug}/").status_code == 200


def initiative_rows(content):
    """{initiative name: its row's HTML} of a profile's initiatives table."""
    table = content.split('<table class="stack">', 1)[1].split("</table>", 1)[0]
    rows = table.split("<tbody>", 1)[1].split("<tr>")[1:]
    return {row.split('">', 2)[2].split("</a>", 1)[0]: row for row in rows}


def test_initiative_table_shows_each_initiatives_links(client, db):
    """The table reads the initiatives' links as values (selectors.
    profile_initiatives): runners, goals in the framework's order, partners, and
    the first source of an initiative with no primary source."""
    first, second = make_goal(name="Goal One", order=1), make_goal(name="Goal Two")
    city = make_city(name="Alpha City")
    joint = make_city(name="Beta City")
    partner = make_partner(programme="Clean Air Programme")
    pub = published_source()
    make_initiative(
        city=city,
        name="Shared scheme",
        cities=[joint],
        goals=[second, first],
        partners=[partner],
        sources=[pub],
    )
    primary = make_source(title="Primary text")
    make_initiative(
        city=city, name="Own scheme", sources=[primary], primary_source=primary
    )
    make_initiative(city=joint, name="Not Alpha's")

    rows = initiative_rows(client.get(city.get_absolute_url()).content.decode())

    assert set(rows) == {"Shared scheme", "Own scheme"}
    shared, own = rows["Shared scheme"], rows["Own scheme"]
    assert "run jointly with Beta City</span>" in shared
    assert ">Goal One, Goal Two</td>" in shared
    assert f'<a href="{partner.get_absolute_url()}">Clean Air Programme</a>' in shared
    assert f'<a href="{pub.url}" rel="noopener external">{pub.label}</a>' in shared
    assert pub.label.startswith("Report ")
    assert "run jointly" not in own
    assert '<span class="muted">not stated</span>' in own
    assert f'<a href="{primary.url}" rel="noopener external">Primary text</a>' in own
