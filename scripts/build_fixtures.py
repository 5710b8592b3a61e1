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

# The reference's own status words, mapped to the portal's broad status. The exact
# words stay on the record (status_text); this only groups them for filtering.
STATUS_RULES = (
    ("completed", "completed"),
    ("ongoing/planning", "ongoing"),
    ("being implemented", "established"),
    ("partnership established", "established"),
    ("established", "established"),
    ("rebranded from", "established"),
    ("pre-asean", "established"),
    ("pre-ascn", "established"),
    ("study", "study"),
    ("grant signed", "study"),
    ("presented at", "proposed"),
    ("unknown", "unknown"),
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
        if lowered.startswith(needle) or needle in lowered:
            return status
    raise ValueError(f"no status rule for {text!r}")


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
            elif key in ("source", "url") and isinstance(value, str):
                found.add(value)
            else:
                collect_urls(value, found)
    elif isinstance(node, list):
        for item in node:
            collect_urls(item, found)


def record(model, fields):
    return {"model": model, "fields": fields}


def build(reference):
    ref = reference
    files = {}

    publications_by_url = {p["url"]: p["key"] for p in ref["publications"] if p["url"]}
    state_names = {m["iso2"]: m["name"] for m in ref["member_states"]}
    urls = set()
    collect_urls(ref, urls)
    urls.discard(None)
    files["01_sources.json"] = [
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

    framework = ref["framework"]
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
    files["02_framework.json"] = (
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

    files["03_member_states.json"] = [
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

    files["04_partners.json"] = [
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

    cities = []
    initiatives = []
    initiative_slugs = set()
    for c in ref["cities"]:
        unverified = [
            "cohort_year" if field == "joined_year" else field
            for field in c.get("unverified", [])
        ]
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
                    "area_km2": (
                        None if c["area_km2"] is None else f"{c['area_km2']:.3f}"
                    ),
                    "focus_goals": [[slug] for slug in c["focus_goals"]],
                    "focus_goals_basis": c.get("focus_goals_basis", ""),
                    "challenges": [[slug] for slug in c["challenges"]],
                    "sources": source_keys(c["sources"]),
                    "membership_sources": source_keys(c.get("membership_sources")),
                    "unverified": unverified,
                    "notes": "\n".join(c.get("notes", [])),
                },
            )
        )
        for p in c["projects"]:
            slug = slugify(f"{c['slug']} {p['name']}", 150)
            assert slug not in initiative_slugs, slug
            initiative_slugs.add(slug)
            initiatives.append(
                record(
                    "cities.initiative",
                    {
                        "slug": slug,
                        "name": p["name"],
                        "aliases": p.get("aliases", []),
                        "city": [c["slug"]],
                        "goals": [[goal] for goal in p["goals"]],
                        "challenges": [],
                        "status": status_for(p["status"]),
                        "status_text": p["status"],
                        "status_detail": p.get("status_detail", ""),
                        "year": p["year"],
                        "year_basis": p.get("year_basis", ""),
                        "listed_in_reports": p.get("listed_in_reports", []),
                        "programme": p.get("programme", ""),
                        "partner_text": p["partner"] or "",
                        "partners": [[slug] for slug in partners_for(p["partner"])],
                        "verification": p.get("verification", ""),
                        "unverified": p.get("unverified", []),
                        "notes": p.get("notes", ""),
                        "primary_source": [p["source"]] if p.get("source") else None,
                        "sources": source_keys([p["source"], *p["sources"]]),
                    },
                )
            )
    files["05_cities.json"] = cities
    files["06_initiatives.json"] = initiatives
    return files


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
    files = build(reference)
    write(files, args.out)
    for name, records in files.items():
        print(f"{args.out / name}: {len(records)} records")


if __name__ == "__main__":
    main()
