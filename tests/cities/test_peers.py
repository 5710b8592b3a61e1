"""The 'learn from peers' ranking, on hand-made data."""

from cities.models import Initiative
from cities.peers import (
    goal_only_cities,
    peers_for_city,
    peers_for_topic,
    similar_cities,
)
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
    groups = peers_for_city(city=city)["goals"]
    group = next(g for g in groups if g.topic == goal)
    return [peer.city.name for peer in group.peers]


def challenge_peers(city, challenge):
    groups = peers_for_city(city=city)["challenges"]
    group = next(g for g in groups if g.topic == challenge)
    return [peer.city.name for peer in group.peers]


def test_other_member_states_come_first(db):
    goal = make_goal()
    home, abroad = make_member_state(), make_member_state()
    me = make_city(member_state=home, goals=[goal], name="Me")
    neighbour = make_city(member_state=home, name="Neighbour")
    far = make_city(member_state=abroad, name="Far")
    # The neighbour has stronger evidence, but another member state comes first.
    make_initiative(city=neighbour, goals=[goal], status=S.COMPLETED)
    make_initiative(city=far, goals=[goal], status=S.AGREED)
    assert goal_peers(me, goal) == ["Far", "Neighbour"]


def test_the_status_scale_orders_peers(db):
    goal = make_goal()
    me = make_city(goals=[goal], name="Me")
    order = [S.COMPLETED, S.ONGOING, S.AGREED, S.UNKNOWN, S.BEFORE_ASCN]
    for n, status in reversed(list(enumerate(order))):
        make_initiative(
            city=make_city(name=f"{n}-{status}"), goals=[goal], status=status
        )
    found = peers_for_city(city=me)["goals"][0]
    ranked = [peer.city.name for peer in found.peers]
    assert ranked == ["0-completed", "1-ongoing", "2-agreed"]


def test_at_most_three_peers_and_three_initiatives_each(db):
    goal = make_goal()
    me = make_city(goals=[goal], name="Me")
    for n in range(5):
        other = make_city(name=f"Peer {n}")
        for _ in range(4):
            make_initiative(city=other, goals=[goal])
    group = peers_for_city(city=me)["goals"][0]
    assert len(group.peers) == 3
    assert all(len(peer.initiatives) == 3 for peer in group.peers)
    assert group.peers[0].initiative_count == 4
    assert "4 initiatives" in group.peers[0].reason


def test_more_initiatives_then_more_sources_break_ties(db):
    goal = make_goal()
    me = make_city(goals=[goal], name="Me")
    one, two, sourced = (make_city(name=n) for n in ("One", "Two", "Sourced"))
    make_initiative(city=one, goals=[goal])
    make_initiative(city=two, goals=[goal])
    make_initiative(city=two, goals=[goal])
    make_initiative(city=sourced, goals=[goal], sources=[make_source(), make_source()])
    assert goal_peers(me, goal) == ["Two", "Sourced", "One"]


def test_a_city_is_never_its_own_peer(db):
    goal = make_goal()
    me = make_city(goals=[goal], name="Me")
    make_initiative(city=me, goals=[goal], status=S.COMPLETED)
    assert goal_peers(me, goal) == []


def test_challenge_peers_come_only_from_initiatives_linked_to_it(db):
    goal = make_goal()
    smog = make_challenge(goals=[goal], name="Smog")
    me = make_city(challenges=[smog], name="Me")
    linked = make_city(name="Linked")
    goal_only = make_city(challenges=[smog], name="Goal only")
    make_initiative(city=linked, challenges=[smog], status=S.ONGOING)
    # Same goal, facing the same challenge, but not linked to it: not a peer.
    make_initiative(city=goal_only, goals=[goal], status=S.COMPLETED)
    assert challenge_peers(me, smog) == ["Linked"]
    assert [
        city.name for city, _ in goal_only_cities(challenge=smog, goals=[goal])
    ] == ["Goal only"]


def test_a_shared_initiative_fills_one_place_naming_its_other_cities(db):
    goal = make_goal()
    me = make_city(goals=[goal], name="Me")
    a, b, c = (make_city(name=n) for n in ("A", "B", "C"))
    other = make_city(name="Other")
    make_initiative(city=a, cities=[b, c], goals=[goal], status=S.COMPLETED)
    make_initiative(city=other, goals=[goal], status=S.ONGOING)
    group = peers_for_city(city=me)["goals"][0]
    assert [peer.city.name for peer in group.peers] == ["A", "Other"]
    assert [city.name for city in group.peers[0].joint_cities] == ["B", "C"]


def test_a_runner_of_a_shared_initiative_learns_from_the_others_own_work(db):
    goal = make_goal()
    a, b = make_city(goals=[goal], name="A"), make_city(name="B")
    make_initiative(city=a, cities=[b], goals=[goal])
    own = make_initiative(city=b, goals=[goal])
    group = peers_for_city(city=a)["goals"][0]
    assert [peer.city.name for peer in group.peers] == ["B"]
    assert own in group.peers[0].initiatives


def test_profile_peers_are_led_by_challenges_then_goals(db):
    goal = make_goal()
    flood = make_challenge(goals=[goal], name="Flood")
    me = make_city(goals=[goal], challenges=[flood], name="Me")
    make_initiative(city=make_city(name="Peer"), challenges=[flood], goals=[goal])
    groups = peers_for_city(city=me)
    assert [g.topic for g in groups["challenges"]] == [flood]
    assert [g.topic for g in groups["goals"]] == [goal]


def test_topic_page_ranking_includes_every_city(db):
    goal = make_goal()
    city = make_city(name="Only")
    make_initiative(city=city, goals=[goal])
    assert [p.city for p in peers_for_topic(topic=goal, kind="goal")] == [city]


def test_reasons_name_only_the_peer_and_the_classification(db):
    smog = make_challenge(name="Smog")
    city = make_city(name="Hazy")
    make_initiative(city=city, challenges=[smog])
    peers = peers_for_topic(topic=smog, kind="challenge")
    assert peers[0].reason == "Hazy has 1 initiative the editors link to smog."


def test_jakarta_learns_from_another_city(real_data):
    from cities.models import City

    jakarta = City.objects.get(slug="jakarta")
    groups = peers_for_city(city=jakarta)
    for group in groups["challenges"] + groups["goals"]:
        for peer in group.peers:
            assert peer.city != jakarta
            for initiative in peer.initiatives:
                assert peer.city in initiative.cities.all()
                if group.kind == "challenge":
                    assert group.topic in initiative.challenges.all()
                else:
                    assert group.topic in initiative.goals.all()


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


def test_similar_cities_without_challenges_still_match_on_goals(db):
    goal = make_goal()
    me = make_city(goals=[goal])
    other = make_city(goals=[goal], name="Other")
    assert [s.city for s in similar_cities(city=me)] == [other]


def test_similar_cities_break_ties_at_the_cut_by_name(db):
    """The candidates are the 15 cities with the highest score (a shared
    challenge counts two, a shared goal one), cities tied at the last place
    taken by name; the five shown are the best of them."""
    goal, smog = make_goal(), make_challenge()
    me = make_city(goals=[goal], challenges=[smog])
    names = [f"Goal peer {n:02d}" for n in range(20)]
    for name in reversed(names):  # created in the opposite order to their names
        make_city(goals=[goal], name=name)
    make_city(challenges=[smog], name="Zeta challenge peer")
    make_city(goals=[goal], challenges=[smog], name="Omega both")
    make_city(name="Stranger")

    shown = [s.city.name for s in similar_cities(city=me, limit=5)]

    assert shown == ["Omega both", "Zeta challenge peer", *names[:3]]
    assert [s.city.name for s in similar_cities(city=me, limit=8)][2:] == names[:6]


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
