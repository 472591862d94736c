"""Inserting many new rows fast: COPY on PostgreSQL, executemany on SQLite, ids allocated first.

Django's bulk_create prepares every value through the field's full conversion chain and, on
SQLite, splits the rows into batches of 999 parameters; for an import of a hundred thousand
members (and as many history rows) that is most of the time spent writing. This converts each
value once with a converter chosen per field (the identity for text, numbers and booleans;
json.dumps for JSON, as Django's JSONField does on both databases; the field's own database
preparation for dates, times, decimals and UUIDs), and gives the rows their ids. Rows can be
given as model objects (insert), cheaper still as tuples of values (insert_rows), or made ready
to write in one process and written in another (Rows, which synth's worker processes use).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from itertools import islice
from operator import itemgetter
from typing import Any

from django.db import connections, router
from django.db.models import Model
from django.utils import timezone

PASS_THROUGH = frozenset({
    "AutoField", "BigAutoField", "CharField", "TextField", "IntegerField", "BigIntegerField",
    "SmallIntegerField", "PositiveIntegerField", "PositiveSmallIntegerField", "PositiveBigIntegerField",
    "BooleanField", "ForeignKey",
})


SQLITE_BATCH = 5000  # rows per executemany: a county's rows need not be held twice in memory


def _json_converter(encoder) -> Callable[[Any], Any]:
    """JSON as text, which SQLite stores and PostgreSQL casts to jsonb, as Django's JSONField does
    (and plain strings travel from a worker process, where psycopg's Jsonb wrapper would not).
    Lists of a few choices (health, risks) repeat: each distinct one is dumped once."""
    dumped: dict[tuple, str] = {}

    def convert(value):
        if value is None:
            return None
        if type(value) is list and all(type(item) is str for item in value):
            key = tuple(value)
            found = dumped.get(key)
            if found is None:
                found = dumped[key] = json.dumps(value, cls=encoder)
            return found
        return json.dumps(value, cls=encoder)

    return convert


def _converter(field, connection) -> Callable[[Any], Any] | None:
    kind = field.get_internal_type()
    if kind in PASS_THROUGH:
        return None
    if kind == "JSONField" and field.encoder is None:
        return _json_converter(None)
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


def allocate_ids(model: type[Model], count: int) -> list[int]:
    """Ids for `count` new rows, to be inserted (by insert_rows) before the next allocation."""
    if not count:
        return []
    connection = connections[router.db_for_write(model)]
    return _allocate_ids(connection, model._meta.db_table, count)


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

    _write(connection, table, fields, map(values, objs))


def _write(connection, table: str, fields: list, rows: Iterable[tuple]) -> None:
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    quoted = connection.ops.quote_name(table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY: an order of magnitude faster than INSERTs on PostgreSQL.
            with cursor.cursor.copy(f"COPY {quoted} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(fields))
            sql = f"INSERT INTO {quoted} ({columns}) VALUES ({marks})"
            rows = iter(rows)
            while batch := list(islice(rows, SQLITE_BATCH)):
                cursor.executemany(sql, batch)


def insert_rows(model: type[Model], names: Sequence[str], rows: Sequence[tuple]) -> None:
    """INSERT rows given as tuples of values for the fields `names` (attnames, in that order),
    as the model's attributes would hold them; ids are allocated here for rows without one (no
    "id" among the names, or None), or given (from allocate_ids). Fields not named take their model default (the time now for
    auto_now fields)."""
    if not rows:
        return
    connection = connections[router.db_for_write(model)]
    meta = model._meta
    by_name = {field.attname: field for field in meta.concrete_fields}
    fields = [by_name[name] for name in names]
    if meta.pk.attname not in names:
        ids = _allocate_ids(connection, meta.db_table, len(rows))
        fields.insert(0, meta.pk)
        rows = [(pk, *row) for pk, row in zip(ids, rows)]
    else:
        at = list(names).index(meta.pk.attname)
        if any(row[at] is None for row in rows):
            ids = iter(_allocate_ids(connection, meta.db_table, sum(1 for row in rows if row[at] is None)))
            rows = [row if row[at] is not None else (*row[:at], next(ids), *row[at + 1:]) for row in rows]
    missing = [field for field in meta.concrete_fields if field not in fields]
    if missing:
        now = timezone.now()
        extra = tuple(now if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
                      else field.get_default() for field in missing)
        fields += missing
        rows = [row + extra for row in rows]
    converters = [(index, convert) for index, field in enumerate(fields)
                  if (convert := _converter(field, connection)) is not None]
    if converters:
        def converted(row):
            row = list(row)
            for index, convert in converters:
                row[index] = convert(row[index])
            return row

        rows = map(converted, rows)
    _write(connection, meta.db_table, fields, rows)


def _defaults(fields) -> tuple[dict[str, Callable[[], Any]], dict[str, Any]]:
    """(what to call for each row's value, the value) of fields a row does not give: a callable
    default, the time now for auto_now fields; every other field's default."""
    calls = {field.attname: field.default for field in fields if field.has_default() and callable(field.default)}
    calls |= {field.attname: timezone.now for field in fields
              if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)}
    defaults = {field.attname: field.get_default() for field in fields if field.attname not in calls}
    return calls, defaults


def row_maker(model: type[Model]) -> tuple[list[str], Callable[[dict[str, Any]], tuple]]:
    """(attnames of all concrete fields, make(values by attname) -> a tuple of them in that
    order, model defaults for those not given, the time now for auto_now fields): a row for
    insert_rows without a model object."""
    fields = model._meta.concrete_fields
    names = [field.attname for field in fields]
    calls, defaults = _defaults(fields)
    get = itemgetter(*names)

    def make(values: dict[str, Any]) -> tuple:
        row = dict(defaults)
        for name, call in calls.items():
            if name not in values:
                row[name] = call()
        row.update(values)
        return get(row)

    return names, make


class Rows:
    """One model's rows, made and written apart: row(values by attname) gives a tuple of database
    values in column order (defaults as row_maker gives them, each value converted as insert_rows
    converts it), which write(rows) inserts. A row holds plain values only (JSON as text), so rows
    can be made in worker processes and written by the one that holds the transaction (synth)."""

    def __init__(self, model: type[Model], *, with_pk: bool = False, adapted: Iterable[str] = ()):
        """`with_pk`: rows give their primary key (from allocate_ids); without it the database
        numbers them. `adapted` names fields whose values the caller gives already converted (one
        timestamp shared by every row, converted once)."""
        self.connection = connections[router.db_for_write(model)]
        self.table = model._meta.db_table
        self.fields = [field for field in model._meta.concrete_fields if with_pk or not field.primary_key]
        self.calls, self.defaults = _defaults(self.fields)
        self.pick = itemgetter(*(field.attname for field in self.fields))
        adapted = frozenset(adapted)
        self.converters = [(index, convert) for index, field in enumerate(self.fields)
                           if field.attname not in adapted
                           and (convert := _converter(field, self.connection)) is not None]

    def row(self, values: dict[str, Any]) -> tuple:
        merged = self.defaults | values
        for name, call in self.calls.items():
            if name not in values:
                merged[name] = call()
        if not self.converters:
            return self.pick(merged)
        row = list(self.pick(merged))
        for index, convert in self.converters:
            row[index] = convert(row[index])
        return tuple(row)

    def write(self, rows: Iterable[tuple]) -> None:
        _write(self.connection, self.table, self.fields, rows)


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
