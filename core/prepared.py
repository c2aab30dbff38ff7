"""Querysets compiled to SQL once per process (and thread), run with fresh values on every call.

Building and compiling a queryset with a few joins costs one to two milliseconds of CPU, more than
PostgreSQL takes to answer it, although the SQL is the same on every request and only the values
differ. Only the SQL text is kept, never a row: every call reads the database, so nothing here can
be stale. Two ways, both returning dicts as ``values()`` does (through the same converters):

- ``PreparedQuery(build, **samples)`` for a query whose shape never changes: ``build(**samples)``
  is compiled once, and where each sample value sits among the SQL parameters is remembered;
  ``rows(**values)`` runs that SQL with the values in those places. The samples must reach the
  database unchanged (a string for an exact match, an integer, a date on PostgreSQL) and be values no
  real row has; a list stands for a fixed number of values (``pk__in``). Where a sample is not found
  exactly once among the parameters (a backend that turns dates into text, a lookup that wraps the
  value), the query is not prepared and ``rows`` builds it every time: slower, never wrong.
- ``compiled_rows(key, build)`` for a query whose shape depends on its inputs (a search's filters):
  ``build()`` is compiled once per ``key``, which must hold *every* input of ``build`` (like
  ``core.fragments``: a changed input is a new key); bounded, least recently used go first.

- ``CompiledPages(key, build)`` for a paginated staff list: what ``django.core.paginator.Paginator``
  asks of a queryset (``count()`` and one slice per page), each compiled once per ``key`` plus the
  page's bounds through ``compiled_rows``; the count and the rows are read on every request.

``build`` returns a ``values()`` queryset. A compiled query belongs to the thread that compiled it
(its converters hold that thread's connection). Where a caller needs model instances rather than
dicts (a page's templates, a service that saves them), ``RowModel`` names the columns to select and
builds the instances from the rows, related objects cached as ``select_related`` would leave them.
This module is the one way to spare a hot query the ORM's compilation: no hand-written SQL.
"""

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Count, IntegerField, QuerySet, Value

MAX_KEYED = 256
_UNPREPARED = object()
_local = threading.local()


class _Compiled:
    __slots__ = ("compiler", "converters", "fields", "names", "params", "sql")

    def __init__(self, queryset: QuerySet, using: str):
        query = queryset.query
        self.compiler = compiler = query.get_compiler(using)
        sql, params = compiler.as_sql()
        self.sql, self.params = sql, tuple(params)
        self.names = list(query.selected) if query.selected else [*query.values_select, *query.annotation_select]
        if query.extra_select or not self.names:
            raise ValueError("a prepared query must be a values() queryset without extra(select=…)")
        # what ``compiler.results_iter`` works out on every call, once: the columns' converters
        self.fields = [column[0] for column in compiler.select[0 : compiler.col_count]]
        self.converters = compiler.get_converters(self.fields)
        if compiler.has_composite_fields(self.fields):
            raise ValueError("a prepared query cannot select a composite primary key")

    def run(self, params, using: str) -> list[dict]:
        with connections[using].cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        if self.converters:
            rows = self.compiler.apply_converters(rows, self.converters)
        names = self.names
        return [dict(zip(names, row, strict=False)) for row in rows]


class PreparedQuery:
    def __init__(self, build: Callable[..., QuerySet], **samples):
        self.build = build
        self.samples = samples
        self._local = threading.local()

    def _prepare(self, using: str):
        by_alias = self._local.__dict__.setdefault("by_alias", {})
        prepared = by_alias.get(using)
        if prepared is None:
            compiled = _Compiled(self.build(**self.samples), using)
            slots = {}
            for name, sample in self.samples.items():
                places = []
                for item in sample if isinstance(sample, list | tuple) else [sample]:
                    found = [i for i, p in enumerate(compiled.params) if type(p) is type(item) and p == item]
                    if len(found) != 1:
                        break
                    places.append(found[0])
                else:
                    slots[name] = places
                    continue
                break
            prepared = by_alias[using] = (compiled, slots) if len(slots) == len(self.samples) else _UNPREPARED
        return prepared

    def rows(self, using: str = DEFAULT_DB_ALIAS, **values) -> list[dict]:
        """The rows of ``build(**values)`` as dicts (the names of its ``values()``)."""
        prepared = self._prepare(using)
        if prepared is not _UNPREPARED:
            compiled, slots = prepared
            params = list(compiled.params)
            for name, places in slots.items():
                value = values[name]
                items = list(value) if isinstance(value, list | tuple) else [value]
                if len(items) != len(places):
                    break
                for place, item in zip(places, items, strict=True):
                    params[place] = item
            else:
                return compiled.run(params, using)
        return list(self.build(**values).using(using))


def compiled_rows(
    key: tuple[Hashable, ...], build: Callable[[], QuerySet], using: str = DEFAULT_DB_ALIAS
) -> list[dict]:
    """The rows of ``build()`` as dicts; its SQL is compiled once per process and thread for ``key``,
    which must hold every input ``build`` reads."""
    cache = _local.__dict__.setdefault("keyed", OrderedDict())
    full_key = (using, *key)
    compiled = cache.get(full_key)
    if compiled is None:
        try:
            compiled = _Compiled(build().using(using), using)
        except EmptyResultSet:  # a filter that can match nothing (``pk__in=[]``): Django sends no query either
            return []
        cache[full_key] = compiled
        while len(cache) > MAX_KEYED:
            cache.popitem(last=False)
    else:
        cache.move_to_end(full_key)
    return compiled.run(compiled.params, using)


class RowModel:
    """Model instances from the rows of a prepared query, as ``select_related`` would leave them.

    ``names`` are what the ``values()`` of ``build`` must select: every concrete column of ``model``
    (by ``attname``), then every concrete column of each foreign key in ``related`` as
    ``<fk>__<attname>``. ``instance(row)`` builds the model with ``Model.from_db`` from its own
    columns and caches each related object on its foreign key (``None`` where the key is empty);
    any other key of the row (an annotation: a count, an ``Exists`` flag) becomes an attribute.
    The values are already converted (the rows come through the ORM's converters), so the instance
    is what the ORM would have built; it is saved, refreshed and deleted like any other."""

    def __init__(self, model, related: tuple[str, ...] = ()):
        self.model = model
        self.own = [field.attname for field in model._meta.concrete_fields]
        self.related = []
        for name in related:
            field = model._meta.get_field(name)
            columns = [column.attname for column in field.related_model._meta.concrete_fields]
            self.related.append((field, columns, [f"{name}__{column}" for column in columns]))
        self.names = [*self.own, *(name for _, _, keys in self.related for name in keys)]

    def instance(self, row: dict, using: str = DEFAULT_DB_ALIAS):
        row = dict(row)
        instance = self.model.from_db(using, self.own, [row.pop(name) for name in self.own])
        for field, columns, keys in self.related:
            values = [row.pop(key) for key in keys]
            cached = None
            if getattr(instance, field.attname) is not None:
                cached = field.related_model.from_db(using, columns, values)
            field.set_cached_value(instance, cached)
        for name, value in row.items():
            setattr(instance, name, value)
        return instance


class CompiledPages:
    """``Paginator(CompiledPages(key, build), 50)``: the count and each page of ``build()`` (an ordered
    ``values()`` queryset) through :func:`compiled_rows`, so neither is built or compiled by the ORM again.
    ``key`` must hold every input of ``build`` (like ``compiled_rows``); the page's bounds are added to it.
    ``row`` (optional) turns each dict into what the page shows, e.g. ``RowModel(…).instance``.
    Keep user-typed text (a search) out of keys: such a list paginates its queryset directly."""

    def __init__(self, key: tuple[Hashable, ...], build: Callable[[], QuerySet], *, row: Callable | None = None):
        self.key = key
        self.build = build
        self.row = row  # e.g. ``RowModel(…).instance``: each page's dicts made into what the page shows

    def count(self) -> int:
        rows = compiled_rows((*self.key, "count"), self._count_query)
        return rows[0]["n"] if rows else 0

    def _count_query(self) -> QuerySet:
        # grouped by a constant, which Django leaves out: one row, ``SELECT COUNT(pk) AS n … WHERE …``
        whole = Value(1, output_field=IntegerField())
        return self.build().order_by().annotate(whole=whole).values("whole").annotate(n=Count("pk")).values("n")

    def __getitem__(self, bounds: slice) -> list[dict]:
        if not isinstance(bounds, slice):
            raise TypeError("CompiledPages are read a page (a slice) at a time")
        rows = compiled_rows((*self.key, bounds.start, bounds.stop), lambda: self.build()[bounds])
        return [self.row(row) for row in rows] if self.row else rows
