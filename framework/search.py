"""Search across the portal's records.

On PostgreSQL: ranked full-text search (websearch syntax, English configuration).
On SQLite: every word must appear in one of the record's text fields. The results
page is the same either way.
"""

from collections import defaultdict

from django.db import connection
from django.db.models import Q

from cities.models import City, Initiative, MemberState, Partner

from .models import Challenge, Goal

RESULTS_PER_GROUP = 25

# (group label, model, text fields, select_related)
SEARCHABLE = (
    ("Cities", City, ("name", "slug", "notes"), ("member_state",)),
    ("Member states", MemberState, ("name", "capital"), ()),
    ("Goals", Goal, ("name", "covers_basis"), ()),
    ("Challenges", Challenge, ("name",), ()),
    (
        "Initiatives",
        Initiative,
        ("name", "partner_text", "notes", "programme"),
        ("city",),
    ),
    ("Partners", Partner, ("programme", "country_or_org", "funds", "agencies"), ()),
)


def is_postgresql():
    return connection.vendor == "postgresql"


def search_vector(fields):
    """The full-text vector of a record; the GIN indexes use this same expression
    (see cities/migrations/*_search_indexes.py)."""
    from django.contrib.postgres.search import SearchVector

    return SearchVector(*fields, config="english")


def _postgres_search(model, fields, query):
    from django.contrib.postgres.search import SearchQuery, SearchRank

    vector = search_vector(fields)
    search_query = SearchQuery(query, search_type="websearch", config="english")
    return (
        model.objects.annotate(document=vector)
        .filter(document=search_query)
        .annotate(rank=SearchRank(vector, search_query))
        .order_by("-rank", "pk")
    )


def _simple_search(model, fields, query):
    queryset = model.objects.all()
    for term in query.split()[:10]:
        condition = Q()
        for name in fields:
            condition |= Q(**{f"{name}__icontains": term})
        queryset = queryset.filter(condition)
    return queryset


def search_all(query):
    groups = []
    for label, model, fields, related in SEARCHABLE:
        if is_postgresql():
            queryset = _postgres_search(model, fields, query)
            # Names also match by prefix ("Hano" finds Hanoi) on PostgreSQL.
            name_field = fields[0]
            prefix = model.objects.filter(**{f"{name_field}__icontains": query})
            ids = list(queryset.values_list("pk", flat=True)[:RESULTS_PER_GROUP])
            ids += [
                pk
                for pk in prefix.values_list("pk", flat=True)[:RESULTS_PER_GROUP]
                if pk not in ids
            ]
        else:
            ids = list(
                _simple_search(model, fields, query).values_list("pk", flat=True)[
                    :RESULTS_PER_GROUP
                ]
            )
        ids = ids[:RESULTS_PER_GROUP]
        if not ids:
            continue
        by_pk = model.objects.select_related(*related).in_bulk(ids)
        groups.append(
            {"label": label, "results": [by_pk[pk] for pk in ids if pk in by_pk]}
        )
    return groups


def citing_records(*, sources):
    """{source pk: [records citing it]} in one query per citing relation."""
    source_ids = [source.pk for source in sources]
    cited = defaultdict(list)
    relations = (
        (City.sources.through, "city"),
        (Initiative.sources.through, "initiative"),
        (Goal.sources.through, "goal"),
        (Challenge.sources.through, "challenge"),
        (Partner.sources.through, "partner"),
        (MemberState.sources.through, "memberstate"),
    )
    for through, name in relations:
        related = "initiative__city" if name == "initiative" else name
        rows = through.objects.filter(source_id__in=source_ids).select_related(related)
        for row in rows:
            cited[row.source_id].append(getattr(row, name))
    return cited
