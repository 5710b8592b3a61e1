"""City names compared as people write them."""

import re
import unicodedata


def _words(text):
    """The name's words without accents or case ("Đà Nẵng" gives da, nang)."""
    text = unicodedata.normalize("NFKD", text.casefold().replace("đ", "d"))
    return re.findall(r"[a-z0-9]+", "".join(c for c in text if c.isascii()))


def name_key(text):
    """A name without accents, case, spaces or punctuation: "Hà Nội", "HANOI" and
    "Ha-noi" give "hanoi"; "Đà Nẵng" gives "danang"."""
    return "".join(_words(text))


def loose_name(text):
    """A name as people type it, for finding a city: name_key() without a last
    word "city" ("Cebu" and "Cebu City" give "cebu")."""
    words = _words(text)
    if len(words) > 1 and words[-1] == "city":
        words = words[:-1]
    return "".join(words)
