"""Search across the portal's records.

On PostgreSQL: ranked full-text search (websearch syntax, English configuration).
Each field counts by its weight: A for what a record is called, B for related names,
C for free text. Cities and initiatives, the two tables that grow, keep their
weighted vector in a `search_document` column that a trigger fills on every insert
and update (cities/migrations/0006_search_documents.py), under a GIN index; the
other tables are small and compute it on the fly. At most RANKED_CANDIDATES matches
per group are ranked, so a word found in most of 100,000 records costs no more than
a rare one; the real data is far below that limit, so all of its matches are ranked.
Names also match by substring ("Hano" finds Hanoi), through a trigram index where
the database has the pg_trgm extension.

On SQLite: every word must appear in one of the record's text fields. The results
page is the same either way.
"""

from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db import connection
from django.db.models import Q
from django.urls import reverse

from cities.models import City, Initiative, MemberState, Partner
from framework.addresses import slug_page_url
from framework.models import (
    CandidateCity,
    Challenge,
    FrameworkPart,
    Goal,
    Milestone,
    NetworkFigure,
    Outcome,
    Publication,
)

RESULTS_PER_GROUP = 25
# How many matching records of a group are ranked (on PostgreSQL).
RANKED_CANDIDATES = 1000

# (group label, model, {weight: text fields}, select_related). The first "A" field
# is the name that also matches by substring.
SEARCHABLE = (
    ("Cities", City, {"A": ("name", "slug"), "C": ("notes",)}, ("member_state",)),
    ("Member states", MemberState, {"A": ("name",), "B": ("capital",)}, ()),
    ("Goals", Goal, {"A": ("name",), "C": ("covers_basis",)}, ()),
    ("Challenges", Challenge, {"A": ("name",)}, ()),
    (
        "Initiatives",
        Initiative,
        {
            "A": ("name",),
            "B": ("programme", "partner_text"),
            "C": ("description", "notes"),
        },
        ("city",),
    ),
    (
        "Partners",
        Partner,
        {"A": ("programme",), "B": ("country_or_org",), "C": ("funds", "agencies")},
        (),
    ),
    (
        "Publications",
        Publication,
        {"A": ("title",), "B": ("authors", "venue"), "C": ("notes",)},
        (),
    ),
)

# Common English spellings of names the records spell otherwise: a word typed on
# the left is searched as the words on the right ("Vietnam" finds "Viet Nam").
OTHER_SPELLINGS = {
    "vietnam": "Viet Nam",
    "laos": "Lao PDR",
    "danang": "Da Nang",
    "naypyidaw": "Nay Pyi Taw",
}

# Models whose table has the stored, indexed search_document column on PostgreSQL.
STORED_DOCUMENT = {City, Initiative}


def is_postgresql():
    return connection.vendor == "postgresql"


def document_sql(model, weighted_fields):
    """SQL for a record's weighted full-text vector, computed from its fields. The
    trigger of the tables in STORED_DOCUMENT stores this same expression."""
    quote = connection.ops.quote_name
    parts = []
    for weight, fields in weighted_fields.items():
        columns = [quote(model._meta.get_field(name).column) for name in fields]
        text = " || ' ' || ".join(f"coalesce({column}, '')" for column in columns)
        parts.append(f"setweight(to_tsvector('english', {text}), '{weight}')")
    return " || ".join(parts)


# One more than is shown, to tell whether a group has more matches than it shows.
FETCHED_PER_GROUP = RESULTS_PER_GROUP + 1


def ranked_search_sql(model, weighted_fields, query, limit=FETCHED_PER_GROUP):
    """(sql, params) selecting the pks of the best matches, best first."""
    quote = connection.ops.quote_name
    if model in STORED_DOCUMENT:
        document = "search_document"
    else:
        document = document_sql(model, weighted_fields)
    pk = quote(model._meta.pk.column)
    sql = (
        f"SELECT {pk} FROM ("
        f" SELECT {pk}, {document} AS document FROM {quote(model._meta.db_table)}"
        f" WHERE {document} @@ websearch_to_tsquery('english', %s) LIMIT %s"
        ") AS matches"
        " ORDER BY ts_rank(document, websearch_to_tsquery('english', %s)) DESC,"
        f" {pk} LIMIT %s"
    )
    return sql, [query, RANKED_CANDIDATES, query, limit]


def name_match_sql(model, weighted_fields, query):
    """(sql, params) selecting the pks of records whose name contains the query."""
    name_field = weighted_fields["A"][0]
    by_name = model.objects.filter(**{f"{name_field}__icontains": query})
    return by_name.values_list("pk", flat=True)[
        :FETCHED_PER_GROUP
    ].query.sql_with_params()


def _matches_names_by_substring(query):
    """Whether to look for the query inside names too. A trigram index cannot narrow
    down words shorter than three letters ("a b"), and such fragments would match
    names at random anyway."""
    return any(len(word) >= 3 for word in query.split())


def _postgres_ids(query):
    """For each group of SEARCHABLE, the pks of the best full-text matches followed by
    those of the other records whose name contains the query. One statement: each
    search is an ARRAY(...) column of a single row."""
    by_name = _matches_names_by_substring(query)
    columns, params = [], []
    for _label, model, weighted_fields, _related in SEARCHABLE:
        searches = [ranked_search_sql(model, weighted_fields, query)]
        if by_name:
            searches.append(name_match_sql(model, weighted_fields, query))
        for sql, sql_params in searches:
            columns.append(f"ARRAY({sql})")
            params.extend(sql_params)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(columns)}", params)
        row = iter(cursor.fetchone())
    groups = []
    for _group in SEARCHABLE:
        ids = list(next(row))
        if by_name:
            ids += [pk for pk in next(row) if pk not in ids]
        groups.append(ids)
    return groups


def _simple_search(model, fields, query):
    queryset = model.objects.all()
    for term in query.split()[:10]:
        condition = Q()
        for name in fields:
            condition |= Q(**{f"{name}__icontains": term})
        queryset = queryset.filter(condition)
    return queryset


def _simple_ids(query):
    groups = []
    for _label, model, weighted_fields, _related in SEARCHABLE:
        fields = [name for names in weighted_fields.values() for name in names]
        queryset = _simple_search(model, fields, query)
        groups.append(list(queryset.values_list("pk", flat=True)[:FETCHED_PER_GROUP]))
    return groups


def respell(query):
    """The query with each word of OTHER_SPELLINGS replaced by the records'
    spelling."""
    words = query.split()
    return " ".join(OTHER_SPELLINGS.get(word.lower(), word) for word in words)


# Lists that can show every match of the words: {model: (URL name, link text)}.
FULL_LISTS = {
    City: ("cities:city-list", "list every city matching these words"),
    Initiative: (
        "cities:initiative-list",
        "list every initiative matching these words",
    ),
}


def search_all(query):
    """[{"label", "results", "more", "list_url", "list_text"}], groups with matches.

    A group shows at most RESULTS_PER_GROUP records; `more` says it has others,
    and `list_url` (cities, initiatives) is the list filtered by the same words,
    `list_text` its link text.
    `query` is searched as `respell` writes it.
    """
    query = respell(query)
    ids_per_group = _postgres_ids(query) if is_postgresql() else _simple_ids(query)
    groups = []
    for (label, model, _fields, related), ids in zip(
        SEARCHABLE, ids_per_group, strict=True
    ):
        more = len(ids) > RESULTS_PER_GROUP
        ids = ids[:RESULTS_PER_GROUP]
        if not ids:
            continue
        by_pk = model.objects.select_related(*related).in_bulk(ids)
        list_url = list_text = None
        if model in FULL_LISTS:
            url_name, list_text = FULL_LISTS[model]
            list_url = f"{reverse(url_name)}?{urlencode({'q': query})}"
        groups.append(
            {
                "label": label,
                "results": [by_pk[pk] for pk in ids if pk in by_pk],
                "more": more,
                "list_url": list_url,
                "list_text": list_text,
            }
        )
    return groups


# The records that cite sources. The city, initiative, goal, challenge, partner
# and member-state pages, through link tables: (link table, the citing record's
# field on it, its page's URL name, the fields its name is read from, how the name
# is written from them, as str() of the record writes it). Read as values: a page
# of 50 sources is cited some 550 times.
CITING = (
    (City.sources.through, "city", "cities:city-detail", ("name",), "{}"),
    (City.membership_sources.through, "city", "cities:city-detail", ("name",), "{}"),
    (
        Initiative.sources.through,
        "initiative",
        "cities:initiative-detail",
        ("name", "city__name"),
        "{} ({})",
    ),
    (Goal.sources.through, "goal", "framework:goal-detail", ("name",), "{}"),
    (
        Challenge.sources.through,
        "challenge",
        "framework:challenge-detail",
        ("name",),
        "{}",
    ),
    (
        Partner.sources.through,
        "partner",
        "cities:partner-detail",
        ("programme", "country_or_org"),
        "{} ({})",
    ),
    (
        MemberState.sources.through,
        "memberstate",
        "cities:member-state-detail",
        ("name",),
        "{}",
    ),
)
# Sources of one fact of a record: (model, its source field, as above).
CITING_FIELDS = (
    (City, "official_website_source", "cities:city-detail", ("name",), "{}"),
    (City, "population_scope_source", "cities:city-detail", ("name",), "{}"),
    (
        Initiative,
        "description_source",
        "cities:initiative-detail",
        ("name", "city__name"),
        "{} ({})",
    ),
    (
        Initiative,
        "primary_source",
        "cities:initiative-detail",
        ("name", "city__name"),
        "{} ({})",
    ),
)
# The framework's records shown on /about/, a few dozen: read as records, named
# and linked as they name and link themselves. (link table, the record's field.)
CITING_ON_ABOUT = (
    (Outcome.sources.through, "outcome"),
    (FrameworkPart.sources.through, "frameworkpart"),
    (Milestone.sources.through, "milestone"),
    (NetworkFigure.sources.through, "networkfigure"),
    (CandidateCity.sources.through, "candidatecity"),
)


@dataclass(frozen=True)
class CitingRecord:
    """A record citing a source, as the sources page names and links it."""

    name: str
    url: str

    def get_absolute_url(self):
        return self.url


def citing_records(*, sources):
    """{source pk: [CitingRecord of each record citing it]}: each record once per
    source (a city citing a source for two facts is named once), in the order of
    CITING, CITING_FIELDS and CITING_ON_ABOUT; one query per relation."""
    source_ids = [source.pk for source in sources]
    cited = defaultdict(dict)

    def add(source_id, name, url):
        cited[source_id].setdefault((name, url), CitingRecord(name, url))

    for through, field, view_name, fields, label in CITING:
        rows = (
            through.objects.filter(source_id__in=source_ids)
            .order_by("pk")
            .values_list(
                "source_id", f"{field}__slug", *(f"{field}__{f}" for f in fields)
            )
        )
        for source_id, slug, *values in rows:
            add(source_id, label.format(*values), slug_page_url(view_name, slug))
    for model, field, view_name, fields, label in CITING_FIELDS:
        rows = (
            model.objects.filter(**{f"{field}_id__in": source_ids})
            .order_by("pk")
            .values_list(f"{field}_id", "slug", *fields)
        )
        for source_id, slug, *values in rows:
            add(source_id, label.format(*values), slug_page_url(view_name, slug))
    for through, field in CITING_ON_ABOUT:
        links = through.objects.filter(source_id__in=source_ids).order_by("pk")
        for link in links.select_related(field):
            record = getattr(link, field)
            add(link.source_id, str(record), record.get_absolute_url())
    return {source_id: list(records.values()) for source_id, records in cited.items()}
