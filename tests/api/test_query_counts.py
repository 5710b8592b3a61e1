"""The API and the exports run a bounded number of queries, whatever the number
of rows: the same budget holds with 40 more cities and initiatives."""

import pytest

from cities.models import MemberState
from framework.models import Challenge, Goal, Source
from tests.conftest import make_city, make_initiative, make_partner

# (url, most queries allowed). Lists: filterset choices, count, rows, one per
# prefetched relation (and one per slug facet given, to check the slugs).
BUDGETS = [
    ("/api/v1/cities/?page_size=500", 7),
    ("/api/v1/cities/?page_size=500&member_state=thailand&goal=civic-and-social", 9),
    ("/api/v1/cities/bangkok/", 6),
    # Each initiative's cities and their member states: two more queries.
    ("/api/v1/initiatives/?page_size=500", 10),
    ("/api/v1/initiatives/?page_size=500&partner=none&city=bangkok", 11),
    # Cities are counted (one grouped query the pages share), not listed.
    ("/api/v1/member-states/?page_size=500", 4),
    # One grouped count of every topic's cities (selectors.topic_counts, the
    # pages' count), kept until the next edit.
    ("/api/v1/goals/?page_size=500", 5),
    ("/api/v1/challenges/?page_size=500", 5),
    # One aggregate query gives every partner's counts.
    ("/api/v1/partners/?page_size=500", 4),
    ("/api/v1/sources/?page_size=500", 2),
    ("/cities/export.csv", 6),
    ("/cities/export.json?size=small&size=large", 6),
    ("/initiatives/export.csv", 9),
    ("/initiatives/export.json?member_state=thailand", 10),
]


def add_rows(count=40):
    """Cities and initiatives with every relation filled, so an N+1 would show."""
    goals = list(Goal.objects.all()[:3])
    challenges = list(Challenge.objects.all()[:2])
    sources = list(Source.objects.all()[:3])
    partner = make_partner()
    thailand = MemberState.objects.get(slug="thailand")
    for n in range(count):
        city = make_city(
            member_state=thailand,
            name=f"Extra City {n}",
            goals=goals,
            challenges=challenges,
            sources=sources,
            population=100_000 + n,
        )
        city.membership_sources.set(sources)
        make_initiative(
            city=city,
            goals=goals,
            challenges=challenges,
            partners=[partner],
            sources=sources,
        )


def read_whole(response):
    return response.getvalue() if response.streaming else response.content


@pytest.mark.parametrize("url, budget", BUDGETS, ids=[url for url, _ in BUDGETS])
def test_query_count_is_bounded(
    client, real_data, django_assert_max_num_queries, url, budget
):
    with django_assert_max_num_queries(budget):
        small = client.get(url)
        small_body = read_whole(small)  # a streamed export reads as it is sent
    add_rows()
    with django_assert_max_num_queries(budget):
        large = client.get(url)
        large_body = read_whole(large)

    assert small.status_code == large.status_code == 200
    assert len(large_body) >= len(small_body)
