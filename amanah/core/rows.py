"""Writing new rows on the hot paths with one plain ``INSERT`` each.

``Model.save()`` compiles a generic INSERT through the query machinery on every call; for the public intake,
which writes a complaint of some forty columns, its first timeline step and its task rows on every request,
that compilation costs more CPU than everything the database does for them. These helpers produce the same
rows — each value prepared by its own field (defaults, ``auto_now``/``auto_now_add``, encryption, JSON,
UUID, decimal conversion), ``pre_save``/``post_save`` sent as ``save()`` sends them — with the statement text
built once per model and column set. Models that need more than that (multi-table inheritance, database
defaults, generated columns) and databases that cannot return the new key are simply saved with ``save()``.

:func:`insert` leaves out the columns whose value is NULL: without a database default (those models are
saved with ``save()``; Django's migrations set none otherwise) such a column is NULL either way. A new
complaint has about twenty of them; without them its statement has fewer than the 50 parameters up to
which psycopg keeps the parsed form of a statement, instead of parsing it anew on every intake.

A value that a plain text, yes/no or integer field (or a foreign key to an integer key) would send as it
is — a ``str``, ``bool`` or ``int`` of exactly that type, or None — skips the field's preparation, which
would only hand it back; every other value (a subclass such as a choices member, a lazy translation, a
field of another class such as the encrypted identity) is prepared by its field.
"""

from __future__ import annotations

import functools

from django.db import connections, models, router
from django.db.models.signals import post_save, pre_save


def insert(obj, using: str | None = None):
    """Insert the unsaved ``obj`` as ``obj.save(force_insert=True)`` would; returns it with its key set."""
    model = type(obj)
    using = using or router.db_for_write(model, instance=obj)
    conn = connections[using]
    if not _plain(model) or not conn.features.can_return_columns_from_insert:
        obj.save(force_insert=True, using=using)
        return obj
    pre_save.send(model, instance=obj, raw=False, using=using, update_fields=None)
    pk = model._meta.pk
    with_pk = getattr(obj, pk.attname) is not None
    fields, kinds = _fields(model, with_pk)
    values = _values(obj, fields, kinds, conn)
    # The NULL columns are left out (see the module's description); which ones names the statement.
    given = tuple(v is not None for v in values)
    sql = _statement(model, with_pk, conn.alias, given)
    if not all(given):
        values = [v for v in values if v is not None]
    with conn.cursor() as cur:
        cur.execute(sql, values)
        if not with_pk:
            setattr(obj, pk.attname, cur.fetchone()[0])
    obj._state.adding, obj._state.db = False, using
    post_save.send(model, instance=obj, created=True, raw=False, using=using, update_fields=None)
    return obj


def insert_many(model, objs: list, using: str) -> None:
    """One ``INSERT … VALUES (…), (…)`` for unsaved ``objs`` that carry their own keys (UUIDs), with
    ``pre_save``/``post_save`` sent for each. ``bulk_create`` on PostgreSQL sends the rows as one array per
    column (``UNNEST``), which for the two or three rows of a request costs several times more to build."""
    conn = connections[using]
    for obj in objs:
        pre_save.send(model, instance=obj, raw=False, using=using, update_fields=None)
    fields, kinds = _fields(model, True)
    values = []
    for obj in objs:
        values += _values(obj, fields, kinds, conn)
    sql = _many_statement(model, len(objs), conn.alias)
    with conn.cursor() as cur:
        cur.execute(sql, values)
    for obj in objs:
        obj._state.adding, obj._state.db = False, using
        post_save.send(
            model, instance=obj, created=True, raw=False, using=using, update_fields=None
        )


@functools.cache
def _plain(model) -> bool:
    meta = model._meta
    return not meta.parents and not any(
        f.has_db_default() or getattr(f, "generated", False) for f in meta.concrete_fields
    )


#: The field classes that send a value of exactly this type as it is (their ``pre_save`` reads the
#: attribute; their preparation converts other types only). Subclasses are not included: they may prepare
#: differently (the encrypted text field encrypts).
_AS_IS = {
    models.CharField: str,
    models.TextField: str,
    models.EmailField: str,
    models.URLField: str,
    models.SlugField: str,
    models.BooleanField: bool,
    models.IntegerField: int,
    models.SmallIntegerField: int,
    models.BigIntegerField: int,
    models.PositiveIntegerField: int,
    models.PositiveSmallIntegerField: int,
    models.PositiveBigIntegerField: int,
    models.AutoField: int,
    models.BigAutoField: int,
}


def _kind(field):
    """The type whose values ``field`` sends as they are (see ``_AS_IS``), or None."""
    if type(field) is models.ForeignKey:
        # The key of the row it points to, prepared by that row's key field.
        return int if _AS_IS.get(type(field.target_field)) is int else None
    return _AS_IS.get(type(field))


@functools.cache
def _fields(model, with_pk: bool) -> tuple[tuple, tuple]:
    """The columns written (all concrete fields; the key only ``with_pk``) and their ``_kind``."""
    pk = model._meta.pk
    fields = tuple(f for f in model._meta.concrete_fields if with_pk or f is not pk)
    return fields, tuple(_kind(f) for f in fields)


def _values(obj, fields, kinds, conn) -> list:
    """The values of ``obj`` for ``fields`` as ``save()`` sends them."""
    out = []
    for f, kind in zip(fields, kinds, strict=True):
        if kind is not None:
            value = getattr(obj, f.attname)
            if value is None or type(value) is kind:
                out.append(value)
                continue
        out.append(f.get_db_prep_save(f.pre_save(obj, True), conn))
    return out


@functools.lru_cache(maxsize=64)
def _many_statement(model, rows: int, alias: str) -> str:
    conn = connections[alias]
    fields, _kinds = _fields(model, True)
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    return "INSERT INTO {} ({}) VALUES {}".format(
        conn.ops.quote_name(model._meta.db_table),
        ", ".join(conn.ops.quote_name(f.column) for f in fields),
        ", ".join([row] * rows),
    )


@functools.lru_cache(maxsize=512)
def _statement(model, with_pk: bool, alias: str, given: tuple[bool, ...]) -> str:
    """The ``INSERT`` of ``model``'s columns (with the key when ``with_pk``) whose flag in ``given`` is
    true; ``RETURNING`` the key when it is not sent."""
    conn = connections[alias]
    pk = model._meta.pk
    fields = [f for f, sent in zip(_fields(model, with_pk)[0], given, strict=True) if sent]
    if fields:
        sql = "INSERT INTO {} ({}) VALUES ({})".format(
            conn.ops.quote_name(model._meta.db_table),
            ", ".join(conn.ops.quote_name(f.column) for f in fields),
            ", ".join(["%s"] * len(fields)),
        )
    else:
        sql = f"INSERT INTO {conn.ops.quote_name(model._meta.db_table)} DEFAULT VALUES"
    if not with_pk:
        sql += " RETURNING " + conn.ops.quote_name(pk.column)
    return sql
