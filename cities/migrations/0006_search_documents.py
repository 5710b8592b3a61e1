"""Stored, weighted full-text vectors for cities and initiatives (PostgreSQL only).

Ranking with the expression indexes of 0004 made PostgreSQL rebuild the vector of
every matching row (95 ms for "water" over 100,000 initiatives). Instead each table
gets a `search_document` tsvector column, kept current by a BEFORE INSERT OR UPDATE
trigger, so bulk_create, loaddata, the loader, the admin and raw SQL all fill it, and
a GIN index on it. The expression indexes are dropped.

The column is not a model field: only ascn_portal/search.py reads it, other queries do
not fetch it, and SQLite (which searches with icontains) has no such column. The
weights are those of ascn_portal.search.SEARCHABLE; a test checks that the stored
vector equals the one that module computes.
"""

import importlib

from django.db import migrations

# table: {weight: columns}
DOCUMENTS = {
    "cities_city": {"A": ("name", "slug"), "C": ("notes",)},
    "cities_initiative": {
        "A": ("name",),
        "B": ("programme", "partner_text"),
        "C": ("notes",),
    },
}


def document(weighted_columns, row=""):
    parts = []
    for weight, columns in weighted_columns.items():
        text = " || ' ' || ".join(
            f"coalesce({row}\"{column}\", '')" for column in columns
        )
        parts.append(f"setweight(to_tsvector('english', {text}), '{weight}')")
    return " || ".join(parts)


def add_documents(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, weighted_columns in DOCUMENTS.items():
        columns = ", ".join(
            f'"{column}"' for names in weighted_columns.values() for column in names
        )
        schema_editor.execute(
            f'ALTER TABLE "{table}" ADD COLUMN search_document tsvector'
        )
        schema_editor.execute(
            f"CREATE FUNCTION {table}_search_document() RETURNS trigger AS $$\n"
            "BEGIN\n"
            f"    NEW.search_document := {document(weighted_columns, 'NEW.')};\n"
            "    RETURN NEW;\n"
            "END\n"
            "$$ LANGUAGE plpgsql"
        )
        schema_editor.execute(
            f"CREATE TRIGGER {table}_search_document"
            f' BEFORE INSERT OR UPDATE OF {columns} ON "{table}"'
            f" FOR EACH ROW EXECUTE FUNCTION {table}_search_document()"
        )
        schema_editor.execute(
            f'UPDATE "{table}" SET search_document = {document(weighted_columns)}'
        )
        schema_editor.execute(
            f'CREATE INDEX {table}_document_gin ON "{table}"'
            " USING gin (search_document)"
        )
    for name in ("city_search_gin", "initiative_search_gin"):
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


def remove_documents(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in DOCUMENTS:
        schema_editor.execute(
            f'DROP TRIGGER IF EXISTS {table}_search_document ON "{table}"'
        )
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {table}_search_document()")
        schema_editor.execute(
            f'ALTER TABLE "{table}" DROP COLUMN IF EXISTS search_document'
        )
    previous = importlib.import_module("cities.migrations.0004_search_indexes")
    previous.add_indexes(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("cities", "0005_list_indexes")]

    operations = [migrations.RunPython(add_documents, remove_documents)]
