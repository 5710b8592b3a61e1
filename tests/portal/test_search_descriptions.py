"""An initiative is found by the words of its description (what it does), not
only by its name and notes: on the search page and in the initiatives list's
text filter, on SQLite and PostgreSQL alike."""

import re

from cities.models import City, Initiative

FIELDS = ("name", "programme", "partner_text", "notes")


def words_only_in_descriptions():
    """{word: initiative} for words of 8+ letters that one initiative's description
    holds and no name, programme, partner text, note or city name does."""
    elsewhere = " ".join(
        str(value or "")
        for row in Initiative.objects.values_list(*FIELDS)
        for value in row
    ).lower()
    elsewhere += " ".join(City.objects.values_list("name", flat=True)).lower()
    found, seen = {}, set()
    for initiative in Initiative.objects.exclude(description=""):
        for word in set(re.findall(r"[a-z]{8,}", initiative.description.lower())):
            if word in elsewhere:
                continue
            if word in seen:
                found.pop(word, None)  # in two descriptions: not one initiative's
            else:
                found[word] = initiative
            seen.add(word)
    return found


def test_a_word_of_the_description_finds_the_initiative(client, real_data):
    words = words_only_in_descriptions()
    assert len(words) >= 5
    for word, initiative in sorted(words.items())[:12]:
        url = initiative.get_absolute_url()
        search = client.get(f"/search/?q={word}").content.decode()
        assert f'href="{url}"' in search, word
        listing = client.get(f"/initiatives/?q={word}").content.decode()
        assert f'href="{url}"' in listing, word
        assert "1 initiative found" in listing, word
