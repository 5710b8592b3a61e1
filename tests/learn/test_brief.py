"""/learn/: the learning brief, its downloads and its API."""

import csv
import io
from html import escape

from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from cities.models import Initiative
from learn.brief import brief_build, choice_from_query
from tests.conftest import (
    make_challenge,
    make_city,
    make_goal,
    make_initiative,
    make_member_state,
    make_partner,
)
from tests.pages import links

DA_NANG = "/learn/?city=da-nang&challenge=flooding-climate-risk&challenge=congestion"


def sections_for(query):
    """The brief's sections, as the page builds them (the page keeps their HTML)."""
    return brief_build(choice_from_query(QueryDict(query)))


def section(content, slug):
    start = content.index(f'id="brief-{slug}"')
    return content[start : content.index("</section>", start)]


def test_no_choice_shows_the_form_with_a_hint(client, db):
    response = client.get("/learn/")
    assert response.status_code == 200
    content = response.content.decode()
    assert '<form method="get" action="/learn/"' in content
    assert "Choose at least one challenge or goal" in content


def test_da_nang_brief_finds_kuching_flood_system_and_cebu_traffic_control(
    client, real_data
):
    response = client.get(DA_NANG)
    assert response.status_code == 200
    content = response.content.decode()
    flooding = section(content, "flooding-climate-risk")
    congestion = section(content, "congestion")
    assert "Integrated Flood Management and Response System" in flooding
    assert "/cities/kuching/" in flooding
    assert "Automated Citywide Traffic Control System" in congestion
    assert "/cities/cebu-city/" in congestion
    # Da Nang's own initiatives are not offered as peers' work.
    for block in (flooding, congestion):
        peers = block[block.index("Peer cities to contact") :]
        assert "/cities/da-nang/" not in peers.split("own initiatives")[0]


def test_initiatives_are_ranked_by_status_then_other_states_then_year(client, db):
    challenge = make_challenge()
    home, abroad = make_member_state(), make_member_state()
    me = make_city(member_state=home)
    near = make_city(member_state=home, name="Near")
    far = make_city(member_state=abroad, name="Far")
    S = Initiative.Status
    a = make_initiative(city=near, challenges=[challenge], status=S.ONGOING, year=2024)
    b = make_initiative(city=far, challenges=[challenge], status=S.ONGOING, year=2020)
    c = make_initiative(city=near, challenges=[challenge], status=S.COMPLETED)
    d = make_initiative(city=far, challenges=[challenge], status=S.ONGOING, year=2023)
    mine = make_initiative(city=me, challenges=[challenge])
    query = f"city={me.slug}&challenge={challenge.slug}"
    assert client.get(f"/learn/?{query}").status_code == 200
    found = sections_for(query)[0]
    assert [item.initiative for item in found.items] == [c, d, b, a]
    assert found.own == [mine]


def test_other_member_states_only(client, db):
    challenge = make_challenge()
    home = make_member_state()
    me = make_city(member_state=home)
    make_initiative(city=make_city(member_state=home), challenges=[challenge])
    far = make_initiative(city=make_city(), challenges=[challenge])
    found = sections_for(f"city={me.slug}&challenge={challenge.slug}&other_states=1")
    assert [item.initiative for item in found[0].items] == [far]


def test_peers_carry_websites_and_counts_and_partners_are_linked(client, db):
    challenge = make_challenge()
    partner = make_partner()
    peer = make_city(name="Peer", official_website="https://peer.example.org/")
    make_initiative(city=peer, challenges=[challenge], partners=[partner])
    make_initiative(city=peer, challenges=[challenge])
    content = client.get(f"/learn/?challenge={challenge.slug}").content.decode()
    block = section(content, challenge.slug)
    assert "2 relevant initiatives" in block
    assert "https://peer.example.org/" in block
    assert partner.get_absolute_url() in block


def test_nothing_found_is_said_and_names_partners_of_the_goal(client, db):
    goal = make_goal()
    lonely = make_challenge(goals=[goal], name="Lonely")
    partner = make_partner(programme="Green Fund")
    make_initiative(goals=[goal], partners=[partner])
    content = client.get(f"/learn/?challenge={lonely.slug}").content.decode()
    block = section(content, lonely.slug)
    assert "no city in the network has an initiative linked to Lonely" in block
    assert "Green Fund" in block


def test_nothing_found_is_not_said_when_something_exists(client, db):
    challenge = make_challenge()
    make_initiative(challenges=[challenge])
    content = client.get(f"/learn/?challenge={challenge.slug}").content.decode()
    assert "has an initiative linked to" not in section(content, challenge.slug)


def test_unknown_values_are_400_naming_them_and_keep_the_valid_parts(client, real_data):
    response = client.get("/learn/?city=atlantis&challenge=nope&challenge=waste&goal=x")
    assert response.status_code == 400
    content = response.content.decode()
    for name in ("atlantis", "nope", "“x”"):
        assert name in content
    assert 'id="brief-waste"' in content


def test_hostile_input_is_never_a_server_error(client, real_data):
    for query in (
        "city=%00",
        "challenge=%00&challenge=waste",
        "city=" + "a" * 5000,
        "goal=%C2%B2",
        "other_states=maybe&challenge=waste",
        "challenge=waste&challenge=waste",
        "goal=%00%C3%BD&goal=s%C2%88&goal=&other_states=false&challenge=-14267",
        "city=Da%00Nang&challenge=waste",
    ):
        for path in (
            "/learn/",
            "/learn/brief.csv",
            "/learn/brief.json",
            "/api/v1/learn/",
        ):
            assert client.get(f"{path}?{query}").status_code < 500, (path, query)


def test_csv_json_and_api_hold_the_same_initiatives(client, real_data):
    query = DA_NANG.split("?", 1)[1]
    content = client.get(DA_NANG).content.decode()
    on_page = [
        (s.slug, item.initiative.name) for s in sections_for(query) for item in s.items
    ]
    for slug, name in on_page:
        assert escape(name) in section(content, slug)
    data = client.get(f"/learn/brief.json?{query}").json()
    api = client.get(f"/api/v1/learn/?{query}").json()
    in_json = [
        (s["slug"], i["name"]) for s in data["sections"] for i in s["initiatives"]
    ]
    in_api = [(s["slug"], i["name"]) for s in api["sections"] for i in s["initiatives"]]
    response = client.get(f"/learn/brief.csv?{query}")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    slugs = {"Flooding and climate risk": "flooding-climate-risk"}
    names = [r["initiative"] for r in rows if r["row"] == "initiative"]
    assert on_page == in_json == in_api
    assert names == [name for _, name in on_page]
    assert slugs  # the CSV names topics by name
    assert any(r["row"] == "peer city" and r["official_website"] for r in rows)


def test_downloads_and_api_refuse_unknown_values(client, real_data):
    for path in ("/learn/brief.csv", "/learn/brief.json", "/api/v1/learn/"):
        response = client.get(f"{path}?challenge=atlantis")
        assert response.status_code == 400
        assert "atlantis" in response.content.decode()


def test_the_api_is_in_the_schema(client, db):
    schema = client.get("/api/v1/schema/").content.decode()
    assert "/api/v1/learn/" in schema
    assert "challenge" in schema


def test_entry_points_link_to_the_brief(client, real_data):
    home = client.get("/").content.decode()
    assert "Start from a problem" in home and 'action="/learn/"' in home
    challenge = client.get("/challenges/waste/").content.decode()
    assert 'href="/learn/?challenge=waste"' in challenge
    profile = client.get("/cities/yangon/").content.decode()
    link = [href for href in links(profile) if href.startswith("/learn/?city=yangon")]
    assert link and "Make a learning brief for Yangon" in profile
    assert "challenge=flooding-climate-risk" in link[0]


def _queries(client, path):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_a_brief_costs_the_same_queries_whatever_the_data_size(client, db, settings):
    settings.PAGE_CACHE_SECONDS = 0
    goal = make_goal()
    challenge = make_challenge(goals=[goal])
    me = make_city(challenges=[challenge])
    path = f"/learn/?city={me.slug}&challenge={challenge.slug}&goal={goal.slug}"

    def grow(n):
        partner = make_partner()
        for _ in range(n):
            city = make_city(challenges=[challenge])
            make_initiative(
                city=city, challenges=[challenge], goals=[goal], partners=[partner]
            )
            make_initiative(city=city, goals=[goal], cities=[make_city()])

    grow(3)
    small = _queries(client, path)
    grow(30)
    assert _queries(client, path) <= small


def test_related_initiatives_are_apart_and_do_not_hide_the_nothing_line(client, db):
    goal = make_goal()
    smog = make_challenge(goals=[goal], name="Smog")
    facing = make_city(challenges=[smog], name="Facing")
    related = make_initiative(city=facing, goals=[goal], name="Clean buses")
    response = client.get(f"/learn/?challenge={smog.slug}")
    section_ = sections_for(f"challenge={smog.slug}")[0]
    assert section_.direct_items == []
    assert [item.initiative for item in section_.related_items] == [related]
    block = section(response.content.decode(), smog.slug)
    assert "no city in the network has an initiative linked to Smog" in block
    assert "Related only through a goal" in block
    assert block.index("Related only through a goal") < block.index("Clean buses")


def test_unknown_parameters_and_other_methods_are_refused(client, db):
    for path in ("/learn/", "/learn/brief.csv", "/learn/brief.json", "/api/v1/learn/"):
        response = client.get(f"{path}?challange=waste")
        assert response.status_code == 400, path
        assert "challange" in response.content.decode()
    assert client.post("/learn/").status_code == 405
    assert client.get("/learn/?utm_source=mail").status_code == 200


def test_a_kept_section_is_redrawn_after_an_edit(client, db):
    challenge = make_challenge()
    make_initiative(challenges=[challenge], name="First")
    path = f"/learn/?challenge={challenge.slug}"
    assert "First" in client.get(path).content.decode()
    make_initiative(challenges=[challenge], name="Second one")
    assert "Second one" in client.get(path).content.decode()
