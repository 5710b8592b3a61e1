"""Trigram indexes for the substring match on city and initiative names (PostgreSQL).

Search also finds names that contain the query ("Hano" finds Hanoi) with Django's
icontains, which compares UPPER(name); a GIN trigram index on that expression answers
it without reading all 100,000 names. The index needs the pg_trgm extension.
PostgreSQL 13 and later let a database owner create it (it is a trusted extension);
where this database user may not, the migration skips the indexes and says so, and
search still works, only slower on large data. To add them later, have a superuser
run `CREATE EXTENSION pg_trgm;` in the database, then:

    manage.py migrate cities 0006 && manage.py migrate cities
"""

import sys

from django.db import DatabaseError, migrations, transaction

INDEXES = {
    "cities_city": "city_name_trgm",
    "cities_initiative": "initiative_name_trgm",
}


def add_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DatabaseError as error:
        sys.stderr.write(
            f"\n  Skipped the trigram indexes on names: pg_trgm is not available "
            f"({str(error).splitlines()[0]}). See {__name__}.\n"
        )
        return
    for table, name in INDEXES.items():
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS {name} ON "{table}"'
            " USING gin (UPPER(name::text) gin_trgm_ops)"
        )


def remove_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES.values():
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("cities", "0006_search_documents")]

    operations = [migrations.RunPython(add_indexes, remove_indexes)]
