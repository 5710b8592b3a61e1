"""A page of records' many-to-many links read as values, one query per relation.

A prefetch makes a model instance and a related manager for every link, and a
template then makes another manager each time it reads one; a page of 100 cities
has some 1,000 links. The API lists, the exports and the list and topic pages read
the links they show as plain values instead.
"""

from django.db import connection
from django.db.models import F, Lookup, Q

# PostgreSQL: the SQL of each shape of linked_values query, compiled once per
# process ({shape: sql}); see _postgres_rows.
_COMPILED = {}


def linked_values(relation, pks, *fields, order):
    """{record pk: [value, ...]} for the records `pks` over a many-to-many
    relation (such as `City.focus_goals`), in one query on its link table:
    `fields` are paths from the link row (one gives plain values, several give
    tuples), `order` the linked model's own ordering (what a prefetch would give),
    with its key last so that ties come out the same every time.

    A prefetch makes a model instance and a manager for every link; a page of 100
    cities has some 1,000 links, which cost most of the API list's time.
    """
    through = relation.through
    owner = relation.field.m2m_field_name()
    target = relation.field.m2m_reverse_field_name()

    def queryset(ids):
        return (
            through.objects.filter(one_of(f"{owner}_id", ids))
            .order_by(*(f"{target}__{key}" for key in order), target)
            .values_list(f"{owner}_id", *fields)
        )

    pks = list(pks)
    if connection.vendor == "postgresql":
        shape = (through._meta.label, owner, fields, tuple(order))
        rows = _postgres_rows(shape, queryset, pks)
    else:
        rows = queryset(pks)
    found = {pk: [] for pk in pks}
    for owner_pk, *values in rows:
        found[owner_pk].append(values[0] if len(values) == 1 else tuple(values))
    return found


def _postgres_rows(shape, queryset, pks):
    """The rows of `queryset(pks)`, from SQL compiled once per `shape`.

    With `= ANY(%s)` the SQL does not depend on the keys, only its one parameter
    does; compiling it (resolving the joins of the fields and of the ordering)
    cost more than running it: some 0.5 ms a query, four or five queries an API
    list. A shape whose values need converting from the database's (a JSON or a
    decimal column) is read through the ORM every time.
    """
    sql = _COMPILED.get(shape)
    if sql is None:
        query = queryset(pks)
        compiler = query.query.get_compiler(using=query.db)
        compiled, params = compiler.as_sql()
        converters = compiler.get_converters(
            [column for column, _, _ in compiler.select]
        )
        usable = not converters and list(params) == [pks]
        # "" marks a shape the ORM reads every time.
        sql = _COMPILED[shape] = compiled if usable else ""
    if not sql:
        return queryset(pks)
    with connection.cursor() as cursor:
        cursor.execute(sql, [pks])
        return cursor.fetchall()


class AnyOf(Lookup):
    """PostgreSQL's `field = ANY(%s)`, the values passed as one array parameter
    (psycopg2 adapts a list to an array)."""

    prepare_rhs = False

    def get_prep_lookup(self):
        return list(self.rhs)

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", (*lhs_params, self.rhs)


def one_of(field, pks):
    """`field` is one of the integers `pks`. On PostgreSQL one array parameter
    (`= ANY(%s)`): `IN (...)` makes the ORM prepare every value apart, some 4 µs
    each, which was a fifth of a 100,000-row export's time."""
    if connection.vendor == "postgresql":
        return AnyOf(F(field), pks)
    return Q(**{f"{field}__in": pks})
