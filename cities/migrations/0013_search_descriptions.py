"""Initiatives' descriptions are searched too (weight C, with the notes): the
stored search_document of 0006 is rebuilt with them (PostgreSQL only). The
weights are those of ascn_portal.search.SEARCHABLE."""

import importlib

from django.db import migrations

documents = importlib.import_module("cities.migrations.0006_search_documents")

TABLE = "cities_initiative"
BEFORE = documents.DOCUMENTS[TABLE]
AFTER = {
    "A": ("name",),
    "B": ("programme", "partner_text"),
    "C": ("description", "notes"),
}


def rebuild(weighted_columns):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        columns = ", ".join(
            f'"{column}"' for names in weighted_columns.values() for column in names
        )
        schema_editor.execute(
            f'DROP TRIGGER IF EXISTS {TABLE}_search_document ON "{TABLE}"'
        )
        schema_editor.execute(
            f"CREATE OR REPLACE FUNCTION {TABLE}_search_document() RETURNS trigger"
            " AS $$\n"
            "BEGIN\n"
            f"    NEW.search_document := "
            f"{documents.document(weighted_columns, 'NEW.')};\n"
            "    RETURN NEW;\n"
            "END\n"
            "$$ LANGUAGE plpgsql"
        )
        schema_editor.execute(
            f"CREATE TRIGGER {TABLE}_search_document"
            f' BEFORE INSERT OR UPDATE OF {columns} ON "{TABLE}"'
            f" FOR EACH ROW EXECUTE FUNCTION {TABLE}_search_document()"
        )
        schema_editor.execute(
            f'UPDATE "{TABLE}" SET search_document = '
            f"{documents.document(weighted_columns)}"
        )

    return run


class Migration(migrations.Migration):
    dependencies = [("cities", "0012_peer_goal_tier")]

    operations = [migrations.RunPython(rebuild(AFTER), rebuild(BEFORE))]
