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

    def add_initiative():
        source = published_source()
        make_initiative(
            city=city,
            goals=[goal],
            partners=[partner],
            sources=[source],
            primary_source=source,
        )

    for n in range(3):
        add_initiative()
    other = make_city(goals=[goal], challenges=[challenge])
    make_initiative(city=other, goals=[goal])
    with django_assert_max_num_queries(30) as small:
        client.get(city.get_absolute_url())
    for n in range(40):
        add_initiative()
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
