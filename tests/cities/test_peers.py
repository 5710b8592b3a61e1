"""The 'learn from peers' ranking, on hand-made data."""

from cities.models import Initiative
from cities.peers import peers_for_city, peers_for_topic, similar_cities
from tests.conftest import (
    make_challenge,
    make_city,
    make_goal,
    make_initiative,
    make_member_state,
    make_source,
)

S = Initiative.Status


def goal_peers(city, goal):
    groups = peers_for_city(city=city)
    group = next(g for g in groups if g.kind == "goal" and g.topic == goal)
    return [peer.city.name for peer in group.peers]


def test_other_member_states_come_first(db):
    goal = make_goal()
    home, abroad = make_member_state(), make_member_state()
    me = make_city(member_state=home, goals=[goal], name="Me")
    neighbour = make_city(member_state=home, name="Neighbour")
    far = make_city(member_state=abroad, name="Far")
    # The neighbour has stronger evidence, but another member state comes first.
    make_initiative(city=neighbour, goals=[goal], status=S.COMPLETED)
    make_initiative(city=far, goals=[goal], status=S.PROPOSED)
    assert goal_peers(me, goal) == ["Far", "Neighbour"]


def test_completed_before_ongoing_before_planned(db):
    goal = make_goal()
    me = make_city(goals=[goal], name="Me")
    a = make_city(name="A-ongoing")
    b = make_city(name="B-completed")
    c = make_city(name="C-proposed")
    make_initiative(city=a, goals=[goal], status=S.ONGOING)
    make_initiative(city=b, goals=[goal], status=S.COMPLETED)
    make_initiative(city=c, goals=[goal], status=S.PROPOSED)
    assert goal_peers(me, goal) == ["B-completed", "A-ongoing", "C-proposed"]


def test_at_most_three_peers_and_three_initiatives_each(db):
    goal = make_goal()
    me = make_city(goals=[goal], name="Me")
    for n in range(5):
        other = make_city(name=f"Peer {n}")
        for _ in range(4):
            make_initiative(city=other, goals=[goal])
    group = next(g for g in peers_for_city(city=me) if g.kind == "goal")
    assert len(group.peers) == 3
    assert all(len(peer.initiatives) == 3 for peer in group.peers)
    assert group.peers[0].initiative_count == 4
    assert "lists 4 initiatives" in group.peers[0].reason


def test_more_initiatives_then_more_sources_break_ties(db):
    goal = make_goal()
    me = make_city(goals=[goal], name="Me")
    one = make_city(name="One")
    two = make_city(name="Two")
    sourced = make_city(name="Sourced")
    make_initiative(city=one, goals=[goal])
    make_initiative(city=two, goals=[goal])
    make_initiative(city=two, goals=[goal])
    make_initiative(city=sourced, goals=[goal], sources=[make_source(), make_source()])
    assert goal_peers(me, goal) == ["Two", "Sourced", "One"]


def test_equal_evidence_is_ordered_by_name_stably(db):
    goal = make_goal()
    me = make_city(goals=[goal], name="Me")
    for name in ["Zeta", "Alpha", "Mu"]:
        make_initiative(city=make_city(name=name), goals=[goal])
    first = goal_peers(me, goal)
    assert first == ["Alpha", "Mu", "Zeta"]
    assert goal_peers(me, goal) == first


def test_a_city_is_never_its_own_peer(db):
    goal = make_goal()
    me = make_city(goals=[goal], name="Me")
    make_initiative(city=me, goals=[goal], status=S.COMPLETED)
    assert goal_peers(me, goal) == []


def test_challenge_peers_share_the_challenge_and_use_its_goals(db):
    goal, unrelated = make_goal(), make_goal()
    smog = make_challenge(goals=[goal], name="Smog")
    me = make_city(challenges=[smog], name="Me")
    also = make_city(challenges=[smog], name="Also")
    notfacing = make_city(name="NotFacing")
    make_initiative(city=also, goals=[goal], name="Clean air")
    make_initiative(city=also, goals=[unrelated], name="Unrelated work")
    make_initiative(city=notfacing, goals=[goal], name="Elsewhere")
    group = next(g for g in peers_for_city(city=me) if g.kind == "challenge")
    assert [p.city.name for p in group.peers] == ["Also"]
    assert [i.name for i in group.peers[0].initiatives] == ["Clean air"]
    assert group.peers[0].reason == (
        "Both Me and Also face smog; "
        "Also lists 1 initiative under goals that address it."
    )


def test_directly_linked_initiatives_count_for_a_challenge(db):
    smog = make_challenge(name="Smog")
    me = make_city(challenges=[smog])
    other = make_city(name="Linked")
    make_initiative(city=other, challenges=[smog])
    group = next(g for g in peers_for_city(city=me) if g.kind == "challenge")
    assert [p.city.name for p in group.peers] == ["Linked"]


def test_topic_page_ranking_includes_every_city(db):
    goal = make_goal()
    a = make_city(name="A")
    make_initiative(city=a, goals=[goal], status=S.COMPLETED)
    assert [p.city.name for p in peers_for_topic(topic=goal, kind="goal")] == ["A"]


def test_similar_cities_name_what_they_share(db):
    g1, g2 = make_goal(name="G1"), make_goal(name="G2")
    smog = make_challenge(name="Smog")
    me = make_city(goals=[g1, g2], challenges=[smog], population=100)
    make_city(goals=[g1], challenges=[smog], population=200, name="Twin")
    make_city(goals=[g1, g2], population=9_000_000, name="Cousin")
    make_city(name="Stranger")
    similar = similar_cities(city=me)
    assert [s.city.name for s in similar] == ["Twin", "Cousin"]
    assert [c.name for c in similar[0].shared_challenges] == ["Smog"]
    assert similar[0].same_size and not similar[1].same_size
    assert me not in [s.city for s in similar]


def test_jakarta_learns_from_another_city(real_data):
    from cities.models import City

    jakarta = City.objects.get(slug="jakarta")
    groups = peers_for_city(city=jakarta)
    other_cities = {p.city.slug for g in groups for p in g.peers}
    assert other_cities and "jakarta" not in other_cities
    flooding = next(g for g in groups if g.topic.slug == "flooding-climate-risk")
    # Manila, Yangon and Ho Chi Minh City also document flooding.
    assert {p.city.slug for p in flooding.peers} <= {
        "manila",
        "yangon",
        "ho-chi-minh-city",
    }
    assert flooding.peers


def test_topic_page_reasons_name_only_the_peer(db):
    goal = make_goal()
    smog = make_challenge(goals=[goal], name="Smog")
    city = make_city(challenges=[smog], name="Hazy")
    make_initiative(city=city, goals=[goal])
    peers = peers_for_topic(topic=smog, kind="challenge")
    assert peers[0].reason == (
        "Hazy faces smog and lists 1 initiative under goals that address it."
    )


def test_similar_cities_without_challenges_still_match_on_goals(db):
    goal = make_goal()
    me = make_city(goals=[goal])
    other = make_city(goals=[goal], name="Other")
    assert [s.city for s in similar_cities(city=me)] == [other]


def test_similar_initiatives_on_the_same_goal_in_other_cities(db):
    from cities.peers import similar_initiatives

    goal = make_goal()
    mine = make_initiative(goals=[goal])
    same_city = make_initiative(city=mine.city, goals=[goal])
    elsewhere = make_initiative(goals=[goal])
    unrelated = make_initiative(goals=[make_goal()])
    found = similar_initiatives(initiative=mine)
    assert elsewhere in found
    assert same_city not in found and unrelated not in found


def test_both_prioritise_only_when_the_peer_does(db):
    goal = make_goal(name="Health")
    me = make_city(goals=[goal], name="Me")
    make_initiative(city=make_city(goals=[goal], name="Fan"), goals=[goal])
    make_initiative(city=make_city(name="Doer"), goals=[goal])
    group = next(g for g in peers_for_city(city=me) if g.kind == "goal")
    reasons = {peer.city.name: peer.reason for peer in group.peers}
    assert reasons["Fan"].startswith("Both prioritise Health")
    assert reasons["Doer"] == "Doer lists 1 initiative on Health."
