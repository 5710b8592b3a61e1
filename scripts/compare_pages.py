"""Render every public page and API answer on the shipped data, and compare two runs.

A refactoring must leave what users see unchanged. Take a snapshot before it and
one after, then compare:

    python scripts/compare_pages.py snapshot /tmp/before
    ... change the code ...
    python scripts/compare_pages.py snapshot /tmp/after
    python scripts/compare_pages.py compare /tmp/before /tmp/after

`snapshot` builds a fresh SQLite database in a temporary directory (migrate, then
load_portal_data), turns the page cache off and requests, in process, every
record's page, the list pages with a few filters, the API, the exports and a few
learning briefs. It writes one file per address: status, content type, body.
Per-request values (the CSP nonce) are replaced by a placeholder. `compare` prints
the addresses whose answer differs, with the first differing lines, and exits 1 if
any does. Answers that differ only in blank lines or trailing spaces are counted
apart and do not fail the comparison.
"""

import difflib
import os
import re
import sys
import tempfile
import urllib.parse
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

# Values that change from one request to the next, not with the code.
VOLATILE = [
    (re.compile(rb'nonce="[^"]*"'), b'nonce="NONCE"'),
    (re.compile(rb"'nonce-[^']*'"), b"'nonce-NONCE'"),
]

LIST_QUERIES = [
    "/cities/",
    "/cities/?size=large",
    "/cities/?goal=quality-environment&sort=name",
    "/cities/?member_state=indonesia&page=1&sort=-population",
    "/cities/?member_state=atlantis",
    "/initiatives/",
    "/initiatives/?status=completed",
    "/initiatives/?challenge=flooding-climate-risk",
    "/initiatives/?partner=none&page=2",
    "/initiatives/?year_min=3000",
    "/compare/?city=kuching&city=da-nang",
    "/search/?q=flood",
    "/search/?q=Vietnam",
    "/sources/",
    "/learn/",
    "/learn/?city=da-nang&challenge=flooding-climate-risk",
    "/learn/?challenge=congestion&goal=health-and-well-being&other_states=on",
    "/learn/brief.csv?city=da-nang&challenge=flooding-climate-risk",
    "/learn/brief.json?city=da-nang&challenge=flooding-climate-risk",
    "/learn/?city=atlantis",
    "/cities/export.csv",
    "/cities/export.csv?member_state=viet-nam",
    "/initiatives/export.csv",
    "/api/v1/",
    "/api/v1/cities/?page_size=100",
    "/api/v1/cities/?member_state=thailand",
    "/api/v1/initiatives/?page_size=100",
    "/api/v1/goals/",
    "/api/v1/challenges/",
    "/api/v1/member-states/",
    "/api/v1/partners/",
    "/api/v1/sources/",
    "/api/v1/learn/?city=da-nang&challenge=flooding-climate-risk",
    "/api/v1/docs/",
    "/api/v1/schema/",
    "/",
    "/about/",
    "/goals/",
    "/challenges/",
    "/member-states/",
    "/partners/",
    "/healthz",
    "/no-such-page/",
]


def setup_django(workdir):
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/portal.sqlite3"
    os.environ["CACHE_URL"] = "locmem://"
    os.environ["PAGE_CACHE_SECONDS"] = "0"
    os.environ["WHITENOISE_USE_FINDERS"] = "true"  # static/ as is: no collectstatic
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ascn_portal.settings")
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()


def addresses():
    """Every record's page and API record, then the fixed list above."""
    from django.apps import apps

    paths = []
    for app_label in ("framework", "cities"):
        for model in apps.get_app_config(app_label).get_models():
            if not hasattr(model, "get_absolute_url"):
                continue
            for record in model._default_manager.all():
                paths.append(record.get_absolute_url())
    for api in ("cities", "goals", "challenges", "member-states", "initiatives"):
        paths.extend(
            f"/api/v1/{api}/{slug}/" for slug in _slugs_for(api) if slug is not None
        )
    return sorted(set(paths)) + LIST_QUERIES


def _slugs_for(api):
    from cities.models import City, Initiative, MemberState
    from framework.models import Challenge, Goal

    model = {
        "cities": City,
        "goals": Goal,
        "challenges": Challenge,
        "member-states": MemberState,
        "initiatives": Initiative,
    }[api]
    return model.objects.values_list("slug", flat=True)


def file_name(path):
    return urllib.parse.quote(path, safe="") + ".txt"


def snapshot(target):
    target = Path(target)
    target.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as workdir:
        setup_django(workdir)
        from django.core.management import call_command
        from django.test import Client

        call_command("migrate", verbosity=0, interactive=False)
        call_command("load_portal_data", verbosity=0)
        client = Client(HTTP_ACCEPT_ENCODING="identity", HTTP_HOST="localhost")
        paths = addresses()
        for path in paths:
            response = client.get(path)
            body = b"".join(response) if response.streaming else response.content
            for pattern, placeholder in VOLATILE:
                body = pattern.sub(placeholder, body)
            head = f"{response.status_code} {response.get('Content-Type', '')}\n"
            (target / file_name(path)).write_bytes(head.encode() + body)
        print(f"{len(paths)} addresses written to {target}")


def without_blank_lines(data):
    """The body with blank lines and trailing spaces dropped: a template change
    that moves a line break changes nothing a reader sees."""
    lines = (line.rstrip() for line in data.splitlines())
    return b"\n".join(line for line in lines if line)


def compare(before, after, *, shown=20):
    before, after = Path(before), Path(after)
    names = sorted(
        {p.name for p in before.iterdir()} | {p.name for p in after.iterdir()}
    )
    changed = []
    blank_only = 0
    for name in names:
        path = urllib.parse.unquote(name.removesuffix(".txt"))
        old, new = before / name, after / name
        if not old.exists() or not new.exists():
            changed.append((path, [f"only in {'after' if new.exists() else 'before'}"]))
            continue
        old_bytes, new_bytes = old.read_bytes(), new.read_bytes()
        if old_bytes == new_bytes:
            continue
        if without_blank_lines(old_bytes) == without_blank_lines(new_bytes):
            blank_only += 1
            continue
        lines = difflib.unified_diff(
            old.read_text(errors="replace").splitlines(),
            new.read_text(errors="replace").splitlines(),
            lineterm="",
            n=1,
        )
        changed.append((path, [line[:160] for line in list(lines)[2:14]]))
    for path, lines in changed[:shown]:
        print(f"{path}: differs")
        for line in lines:
            print(f"    {line}")
    if len(changed) > shown:
        print(f"... and {len(changed) - shown} more")
    print(
        f"{len(names)} addresses compared, {len(changed)} differ"
        f" ({blank_only} more differ only in blank lines)"
    )
    return 1 if changed else 0


def main(argv):
    if len(argv) == 3 and argv[1] == "snapshot":
        snapshot(argv[2])
        return 0
    if len(argv) == 4 and argv[1] == "compare":
        return compare(argv[2], argv[3])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
