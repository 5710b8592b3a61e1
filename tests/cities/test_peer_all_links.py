"""A peer shows at most INITIATIVES_PER_PEER of its initiatives on a topic; when it
has more, the block links to all of them, and the number in the link is the
number the list finds (checked on every profile, goal and challenge page)."""

import re

from cities.models import City, Initiative
from cities.peers import INITIATIVES_PER_PEER
from framework.models import Challenge, Goal

ALL_LINK = re.compile(
    r'<a href="/initiatives/\?city=([^&"]+)&amp;(goal|challenge)=([^"]+)">'
    r"All (\d+) of ([^<]+)'s initiatives on this</a>"
)
REASON = re.compile(r"<p>([^<]+) has (\d+) initiatives? ")


def pages():
    yield from (city.get_absolute_url() for city in City.objects.all())
    yield from (goal.get_absolute_url() for goal in Goal.objects.all())
    yield from (challenge.get_absolute_url() for challenge in Challenge.objects.all())


def test_every_peer_with_more_initiatives_links_to_all_of_them(client, real_data):
    links = 0
    for path in pages():
        content = client.get(path).content.decode()
        peers = content[content.find('id="peers"') :]
        for block in peers.split("\n  <li>\n")[1:]:
            reason = REASON.search(block)
            if reason is None:
                continue
            count = int(reason.group(2))
            found = ALL_LINK.search(block)
            if count <= INITIATIVES_PER_PEER:
                assert found is None, (path, block)
                continue
            assert found is not None, (path, block)
            city_slug, kind, topic_slug, number, name = found.groups()
            filters = {"cities__slug": city_slug, f"{kind}s__slug": topic_slug}
            listed = Initiative.objects.filter(**filters).distinct().count()
            assert int(number) == count == listed, (path, found.group(0))
            assert name == City.objects.get(slug=city_slug).name
            # The list the link opens finds the same initiatives.
            listing = client.get(found.group(0).split('"')[1].replace("&amp;", "&"))
            assert listing.status_code == 200
            assert f"{listed} initiatives found" in listing.content.decode()
            links += 1
    assert links  # the shipped data has such peers (Siem Reap, Singapore...)
