"""Inserting many new rows fast: COPY on PostgreSQL, executemany on SQLite, ids allocated first.

Django's bulk_create prepares every value through the field's full conversion chain and, on
SQLite, splits the rows into batches of 999 parameters; for an import of a hundred thousand
members that is most of the time spent writing. This converts each value once with a converter
chosen per field (the identity for text, numbers and booleans; the field's own database
preparation for dates, times, decimals and JSON), and gives the objects their ids.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db import connections, router
from django.db.models import Model
from django.utils import timezone

PASS_THROUGH = frozenset({
    "AutoField", "BigAutoField", "CharField", "TextField", "IntegerField", "BigIntegerField",
    "SmallIntegerField", "PositiveIntegerField", "PositiveSmallIntegerField", "PositiveBigIntegerField",
    "BooleanField", "ForeignKey",
})


def _converter(field, connection) -> Callable[[Any], Any] | None:
    if field.get_internal_type() in PASS_THROUGH:
        return None
    remembered: dict = {}  # the same time or date on many rows is converted once

    def convert(value):
        if value is None:
            return None
        try:
            return remembered[value]
        except KeyError:
            converted = field.get_db_prep_save(value, connection)
            if len(remembered) < 4096:
                remembered[value] = converted
            return converted
        except TypeError:  # unhashable (a JSON list)
            return field.get_db_prep_save(value, connection)

    return convert


def _allocate_ids(connection, table: str, count: int) -> list[int]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count]
            )
            return [row[0] for row in cursor.fetchall()]
        # SQLite, inside the import's write transaction (BEGIN IMMEDIATE: no other writer). The
        # AUTOINCREMENT sequence is consulted too, so that an id of a deleted row (whose history
        # remains) is never given out again.
        cursor.execute(f'SELECT MAX(id) FROM "{table}"')  # a model's own table name
        highest = cursor.fetchone()[0] or 0
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        row = cursor.fetchone()
        start = max(highest, row[0] if row else 0) + 1
        return list(range(start, start + count))


def insert(model: type[Model], objs: Sequence[Model]) -> None:
    """INSERT new objects (whose pk is unset); sets their pk and auto_now(_add) times."""
    if not objs:
        return
    connection = connections[router.db_for_write(model)]
    meta = model._meta
    table = meta.db_table
    now = timezone.now()
    fields = list(meta.concrete_fields)
    for field in fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            for obj in objs:
                setattr(obj, field.attname, now)
    for obj, pk in zip(objs, _allocate_ids(connection, table, len(objs))):
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = connection.alias
    attnames = [field.attname for field in fields]
    converters = [_converter(field, connection) for field in fields]
    plain = all(c is None for c in converters)

    def values(obj):
        if plain:
            return tuple(getattr(obj, name) for name in attnames)
        return tuple(
            getattr(obj, name) if convert is None else convert(getattr(obj, name))
            for name, convert in zip(attnames, converters)
        )

    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    quoted = connection.ops.quote_name(table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {quoted} ({columns}) FROM STDIN") as copy:
                for obj in objs:
                    copy.write_row(values(obj))
        else:
            marks = ", ".join(["%s"] * len(fields))
            cursor.executemany(f"INSERT INTO {quoted} ({columns}) VALUES ({marks})", [values(obj) for obj in objs])


def maker(model: type[Model]) -> Callable[[dict[str, Any]], Model]:
    """A fast constructor: make(values by attname) builds the object through Model.__init__'s
    positional path (the one loading from the database uses), defaults for the rest."""
    fields = model._meta.concrete_fields
    names = [field.attname for field in fields]
    defaults = [(field.default if field.has_default() and callable(field.default) else None,
                 field.get_default()) for field in fields]

    def make(values: dict[str, Any]) -> Model:
        return model(*[
            values[name] if name in values else (call() if call is not None else default)
            for name, (call, default) in zip(names, defaults)
        ])

    return make
