"""Build the portal's fixtures from the sourced reference file.

    python scripts/build_fixtures.py [--reference REFERENCE.json] [--out fixtures]

The output is deterministic, so running it again on an unchanged reference gives
byte-identical files; tests/test_build_fixtures.py checks that the committed
fixtures match what this script makes from the committed reference.
Nothing is added that the reference does not say.
"""

import argparse
import json
import re
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_REFERENCE = ROOT / "data" / "ascn_reference.json"
DEFAULT_OUT = ROOT / "fixtures"

# The reference's own status words, mapped to the portal's short ordered status
# scale (cities.models.Initiative.Status, strongest evidence first). The exact
# words stay on the record (status_text) and are what the pages show; the scale
# only orders and filters. Checked in this order: the first needle found wins.
STATUS_RULES = (
    ("pre-asean", "before-ascn"),
    ("pre-ascn", "before-ascn"),
    ("rebranded from", "before-ascn"),
    ("completed", "completed"),
    ("ongoing/planning", "ongoing"),
    ("being implemented", "ongoing"),
    ("partnership established", "agreed"),
    ("grant signed", "agreed"),
    ("study", "agreed"),
    ("presented at", "agreed"),
    ("established", "ongoing"),
    ("unknown after", "unknown"),
)

# Partner programmes an initiative's partner text names explicitly. The USASCP
# record lists WiSE water twinning (U.S. Water Partnership) as one of its programmes.
PARTNER_RULES = (
    ("USASCP", "usa-usascp"),
    ("U.S. Water Partnership", "usa-usascp"),
    ("Smart JAMP", "japan-smart-jamp"),
)


def slugify(text, max_length=None):
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    if max_length:
        slug = slug[:max_length].rstrip("-")
    return slug


def status_for(text):
    lowered = text.lower()
    for needle, status in STATUS_RULES:
        if needle in lowered:
            return status
    raise ValueError(f"no status rule for {text!r}")


class ReferenceDataError(ValueError):
    """The reference contradicts itself; the message names the record."""


CHALLENGE_SOURCES_NOTE = re.compile(r"^City challenges \(sources\): ")


def challenge_sources_for(city):
    """{challenge slug: [source URL]} from the city's "City challenges (sources)"
    note, and the city's other notes."""
    found, notes = {}, []
    for note in city.get("notes", []):
        if not CHALLENGE_SOURCES_NOTE.match(note):
            notes.append(note)
            continue
        body = CHALLENGE_SOURCES_NOTE.sub("", note).rstrip(".")
        for part in body.split("; "):
            slug, _, urls = part.partition(" - ")
            found[slug.strip()] = [url.strip() for url in urls.split(", ") if url]
    return found, notes


def partners_for(text):
    if not text:
        return []
    slugs = []
    for needle, slug in PARTNER_RULES:
        if needle in text and slug not in slugs:
            slugs.append(slug)
    return slugs


def source_keys(urls):
    return [[url] for url in dict.fromkeys(urls or [])]


def collect_urls(node, found):
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("sources", "membership_sources") and isinstance(value, list):
                found.update(value)
            elif (key in ("source", "url") or key.endswith("_source")) and isinstance(
                value, str
            ):
                found.add(value)
            else:
                collect_urls(value, found)
    elif isinstance(node, list):
        for item in node:
            collect_urls(item, found)


def record(model, fields):
    return {"model": model, "fields": fields}


def build(reference):
    """{fixture file name: records}, one builder per file, in loading order."""
    return {
        "01_sources.json": build_sources(reference),
        "02_framework.json": build_framework(reference),
        "03_member_states.json": build_member_states(reference),
        "04_partners.json": build_partners(reference),
        "05_cities.json": build_cities(reference),
        "06_initiatives.json": build_initiatives(reference),
    }


def build_sources(ref):
    """Publications, then every address the reference cites, as one source each."""
    publications_by_url = {p["url"]: p["key"] for p in ref["publications"] if p["url"]}
    urls = set()
    collect_urls(ref, urls)
    urls.discard(None)
    return [
        record(
            "framework.publication",
            {
                "key": p["key"],
                "authors": p["authors"] or "",
                "year": p["year"],
                "title": p["title"] or "",
                "venue": p["venue"] or "",
                "doi": p["doi"] or "",
                "url": p["url"] or "",
                "required": bool(p.get("required")),
                "unverified": p.get("unverified", []),
                "notes": p.get("notes", ""),
            },
        )
        for p in ref["publications"]
    ] + [
        record(
            "framework.source",
            {
                "url": url,
                "title": "",
                "publication": (
                    [publications_by_url[url]] if url in publications_by_url else None
                ),
            },
        )
        for url in sorted(urls)
    ]


def framework_parts(framework):
    """The framework's structure, then its endorsement and smart-city definition."""
    parts = [
        {
            "slug": slugify(part["part"]),
            "name": part["part"].capitalize(),
            "detail": part["detail"],
            "unverified": bool(part.get("unverified")),
            "sources": part["sources"],
        }
        for part in framework["structure"]
    ]
    parts.append(
        {
            "slug": "endorsement",
            "name": "Endorsement",
            "detail": framework["endorsement"]["detail"],
            "unverified": bool(framework["endorsement"].get("unverified")),
            "sources": framework["endorsement"]["sources"],
        }
    )
    parts.append(
        {
            "slug": "smart-city-definition",
            "name": "What ASEAN calls a smart city",
            "detail": framework["smart_city_definition"]["detail"],
            "unverified": bool(framework["smart_city_definition"].get("unverified")),
            "sources": framework["smart_city_definition"]["sources"],
        }
    )
    return parts


def build_milestones(ref):
    milestones = []
    seen_milestones = set()
    for milestone in ref["milestones"]:
        slug = slugify(f"{milestone['date']} {milestone['event']}", 110)
        assert slug not in seen_milestones, slug
        seen_milestones.add(slug)
        milestones.append(
            record(
                "framework.milestone",
                {
                    "slug": slug,
                    "date": milestone["date"],
                    "year": int(milestone["date"][:4]),
                    "event": milestone["event"],
                    "sources": source_keys(milestone["sources"]),
                },
            )
        )
    return milestones


def build_framework(ref):
    """Goals, outcomes, framework parts, challenges, milestones, network figures
    and candidate cities."""
    state_names = {m["iso2"]: m["name"] for m in ref["member_states"]}
    parts = framework_parts(ref["framework"])
    milestones = build_milestones(ref)
    return (
        [
            record(
                "framework.goal",
                {
                    "slug": g["slug"],
                    "name": g["name"],
                    "order": g["order"],
                    "covers": g.get("covers", []),
                    "covers_basis": g.get("covers_basis", ""),
                    "sources": source_keys(g["sources"]),
                },
            )
            for g in ref["goals"]
        ]
        + [
            record(
                "framework.outcome",
                {
                    "slug": o["slug"],
                    "name": o["name"],
                    "order": o["order"],
                    "sources": source_keys(o["sources"]),
                },
            )
            for o in ref["outcomes"]
        ]
        + [
            record(
                "framework.frameworkpart",
                {
                    "slug": part["slug"],
                    "name": part["name"],
                    "detail": part["detail"],
                    "order": order,
                    "unverified": part["unverified"],
                    "sources": source_keys(part["sources"]),
                },
            )
            for order, part in enumerate(parts, start=1)
        ]
        + [
            record(
                "framework.challenge",
                {
                    "slug": c["slug"],
                    "name": c["name"],
                    "kind": c["type"],
                    "goals": [[slug] for slug in c["goals"]],
                    "sources": source_keys(c["sources"]),
                },
            )
            for c in ref["challenges"]
        ]
        + milestones
        + [
            record(
                "framework.networkfigure",
                {
                    "slug": slugify(f["fact"], 110),
                    "fact": f["fact"],
                    "values": f["values"],
                    "unverified": f.get("unverified", []),
                    "sources": source_keys(f["sources"]),
                },
            )
            for f in ref["network_figures"]
        ]
        + [
            record(
                "framework.candidatecity",
                {
                    "slug": slugify(c["name"]),
                    "name": c["name"],
                    "member_state": state_names[c["member_state_iso2"]],
                    "claimed_joined_year": c["claimed_joined_year"],
                    "status": c["status"],
                    "sources": source_keys([c["source"]]),
                },
            )
            for c in ref.get("candidate_cities", [])
        ]
    )


def build_member_states(ref):
    return [
        record(
            "cities.memberstate",
            {
                "slug": m["slug"],
                "name": m["name"],
                "iso2": m["iso2"],
                "iso3": m["iso3"],
                "capital": m["capital"],
                "asean_member_since": m["asean_member_since"],
                "sources": source_keys(m["sources"]),
            },
        )
        for m in ref["member_states"]
    ]


def build_partners(ref):
    return [
        record(
            "cities.partner",
            {
                "slug": p["slug"],
                "programme": p["programme"],
                "country_or_org": p["country_or_org"],
                "year_started": p["year_started"],
                "funds": p.get("funds", ""),
                "agencies": p.get("agencies", ""),
                "notes": p.get("notes", ""),
                "unverified": p.get("unverified", []),
                "sources": source_keys(p["sources"]),
            },
        )
        for p in ref["partners"]
    ]


def build_cities(ref):
    cities = []
    for c in ref["cities"]:
        unverified = [
            "cohort_year" if field == "joined_year" else field
            for field in c.get("unverified", [])
        ]
        challenge_sources, notes = challenge_sources_for(c)
        cities.append(
            record(
                "cities.city",
                {
                    "slug": c["slug"],
                    "name": c["name"],
                    "member_state": [c["member_state_slug"]],
                    "cohort_year": c["joined_year"],
                    "is_national_capital": bool(c.get("is_national_capital")),
                    "latitude": c["latitude"],
                    "longitude": c["longitude"],
                    "population": c["population"],
                    "population_year": c["population_year"],
                    "population_scope": c["population_scope"] or "",
                    "population_scope_source": optional_source(
                        c.get("population_scope_source")
                    ),
                    "area_km2": (
                        None if c["area_km2"] is None else f"{c['area_km2']:.3f}"
                    ),
                    "official_website": c.get("official_website") or "",
                    "official_website_source": optional_source(
                        c.get("official_website_source")
                    ),
                    "focus_goals": [[slug] for slug in c["focus_goals"]],
                    "focus_goals_basis": c.get("focus_goals_basis", ""),
                    "challenges": [[slug] for slug in c["challenges"]],
                    "challenge_sources": challenge_sources,
                    "sources": source_keys(c["sources"]),
                    "membership_sources": source_keys(c.get("membership_sources")),
                    "unverified": unverified,
                    "notes": "\n".join(notes),
                },
            )
        )
    return cities


def optional_source(url):
    return [url] if url else None


def initiative_groups(ref):
    """[(slug, [(city, project)])]: one group per initiative. Projects that share
    a `shared_key` are one initiative run by several cities; the others stand
    alone, keyed by their city and name."""
    groups = {}
    for c in ref["cities"]:
        for p in c["projects"]:
            if p.get("shared_key"):
                slug = slugify(p["shared_key"], 150)
            else:
                slug = slugify(f"{c['slug']} {p['name']}", 150)
                if slug in groups:
                    raise ReferenceDataError(
                        f"cities/{c['slug']}/projects/{p['name']!r}: listed twice"
                    )
            groups.setdefault(slug, []).append((c, p))
    return list(groups.items())


def check_shared(slug, members):
    """Records sharing a key must name the same initiative."""
    names = {p["name"] for _, p in members}
    if len(names) > 1:
        where = ", ".join(
            f"cities/{c['slug']}/projects/{p['name']!r}" for c, p in members
        )
        raise ReferenceDataError(
            f"shared_key {slug!r}: the records disagree on the name ({where})"
        )


def merged(values):
    return list(dict.fromkeys(value for group in values for value in group))


def build_initiatives(ref):
    challenge_slugs = {c["slug"] for c in ref["challenges"]}
    initiatives = []
    for slug, members in initiative_groups(ref):
        check_shared(slug, members)
        city, p = members[0]
        projects = [project for _, project in members]
        for c, project in members:
            unknown = sorted(set(project.get("challenges", [])) - challenge_slugs)
            if unknown:
                raise ReferenceDataError(
                    f"cities/{c['slug']}/projects/{project['name']!r}: "
                    f"challenges {', '.join(unknown)} are not challenges"
                )
        partner_text = max((q["partner"] or "" for q in projects), key=len)
        notes = merged([[q["notes"]] for q in projects if q.get("notes")])
        initiatives.append(
            record(
                "cities.initiative",
                {
                    "slug": slug,
                    "name": p["name"],
                    "aliases": merged(q.get("aliases", []) for q in projects),
                    "city": [city["slug"]],
                    "cities": [[c["slug"]] for c, _ in members],
                    "description": p.get("description", ""),
                    "description_source": optional_source(p.get("description_source")),
                    "goals": [[g] for g in merged(q["goals"] for q in projects)],
                    "challenges": [
                        [ch] for ch in merged(q.get("challenges", []) for q in projects)
                    ],
                    "challenges_basis": p.get("challenges_basis", ""),
                    "status": status_for(p["status"]),
                    "status_text": p["status"],
                    "status_detail": p.get("status_detail", ""),
                    "year": p["year"],
                    "year_basis": p.get("year_basis", ""),
                    "listed_in_reports": p.get("listed_in_reports", []),
                    "programme": p.get("programme", ""),
                    "partner_text": partner_text,
                    "partners": [[s] for s in partners_for(partner_text)],
                    "verification": p.get("verification", ""),
                    "unverified": merged(q.get("unverified", []) for q in projects),
                    "notes": "\n".join(notes),
                    "primary_source": [p["source"]] if p.get("source") else None,
                    "sources": source_keys(
                        merged([q["source"], *q["sources"]] for q in projects)
                    ),
                },
            )
        )
    return initiatives


def write(files, out):
    out.mkdir(parents=True, exist_ok=True)
    for name, records in files.items():
        text = json.dumps(records, indent=1, ensure_ascii=False, sort_keys=True)
        (out / name).write_text(text + "\n", encoding="utf-8")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference", type=Path, default=DEFAULT_REFERENCE)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    reference = json.loads(args.reference.read_text(encoding="utf-8"))
    try:
        files = build(reference)
    except ReferenceDataError as error:
        message = f"{args.reference}: {error}. No fixture was written."
        raise SystemExit(message) from None
    write(files, args.out)
    for name, records in files.items():
        print(f"{args.out / name}: {len(records)} records")


if __name__ == "__main__":
    main()
