"""GIN indexes for full-text search on PostgreSQL (no-op on SQLite).

The indexed expressions were those of the search queries at the time. Migration
0006 replaces them with stored, weighted vectors (search_document) and drops them.
"""

from django.db import migrations

INDEXES = {
    "City": ("city_search_gin", ("name", "slug", "notes")),
    "Initiative": (
        "initiative_search_gin",
        ("name", "partner_text", "notes", "programme"),
    ),
}


def add_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from django.contrib.postgres.indexes import GinIndex
    from django.contrib.postgres.search import SearchVector

    for model_name, (name, fields) in INDEXES.items():
        model = apps.get_model("cities", model_name)
        vector = SearchVector(*fields, config="english")
        schema_editor.add_index(model, GinIndex(vector, name=name))


def remove_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _fields in INDEXES.values():
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("cities", "0003_historicalcity_historicalinitiative_and_more")]

    operations = [migrations.RunPython(add_indexes, remove_indexes)]
