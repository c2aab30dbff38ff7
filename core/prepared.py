"""Querysets compiled to SQL once per process (and thread), run with fresh values on every call.

Building and compiling a queryset with a few joins costs one to two milliseconds of CPU, more than
PostgreSQL takes to answer it, although the SQL is the same on every request and only the values
differ. Only the SQL text is kept, never a row: every call reads the database, so nothing here can
be stale. Two ways, both returning dicts as ``values()`` does (through the same converters):

- ``PreparedQuery(build, **samples)`` for a query whose shape never changes: ``build(**samples)``
  is compiled once, and where each sample value sits among the SQL parameters is remembered;
  ``rows(**values)`` runs that SQL with the values in those places. The samples must reach the
  database unchanged (a string for an exact match, an integer, a date on PostgreSQL) and be values no
  real row has and no constant of the query has; a list stands for a fixed number of values
  (``pk__in``), each found once; a single value may be used more than once (a filter and a
  subquery's). Where a sample is not found among the parameters (a backend that turns dates into
  text, a lookup that wraps the value), the query is not prepared and ``rows`` builds it every
  time: slower, never wrong.
- ``compiled_rows(key, build)`` for a query whose shape depends on its inputs (a search's filters):
  ``build()`` is compiled once per ``key``, which must hold *every* input of ``build`` (like
  ``core.fragments``: a changed input is a new key); bounded, least recently used go first.
- ``CompiledPages(key, build)`` for a paginated staff list: what ``django.core.paginator.Paginator``
  asks of a queryset (``count()`` and one slice per page), each compiled once per ``key`` plus the
  page's bounds through ``compiled_rows``; the count and the rows are read on every request.

``PreparedInsert(model).create(instance)`` does for a new row what ``instance.save()`` does (the
same signals, ``pre_save`` of each field, values prepared by the same fields, the primary key
returned), with the INSERT's text compiled once: the ORM's save machinery cost the registration
more than the statement it sends.

``SAMPLE_TIME`` and ``SAMPLE_DAY`` are the samples for "now" and "today": no real row has them.
``counted(queryset)`` is a queryset's ``count()`` as a ``values()`` query that can be compiled.

``build`` returns a ``values()`` queryset. A compiled query belongs to the thread that compiled it
(its converters hold that thread's connection). Where a caller needs model instances rather than
dicts (a page's templates, a service that saves them), ``RowModel`` names the columns to select and
builds the instances from the rows, related objects cached as ``select_related`` would leave them.
This module is the one way to spare a hot query the ORM's compilation: no hand-written SQL.
"""

import datetime
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections, router, transaction
from django.db.models import Count, IntegerField, Model, QuerySet, Value
from django.db.models.signals import post_save, pre_save
from django.db.models.sql import InsertQuery

MAX_KEYED = 256
SAMPLE_TIME = datetime.datetime(1901, 2, 3, 4, 5, 6, tzinfo=datetime.UTC)
SAMPLE_DAY = datetime.date(1901, 2, 3)
_UNPREPARED = object()
_local = threading.local()


class _Compiled:
    __slots__ = ("columns", "compiler", "composite", "converters", "names", "params", "sql")

    def __init__(self, queryset: QuerySet, using: str):
        query = queryset.query
        self.compiler = compiler = query.get_compiler(using)
        sql, params = compiler.as_sql()
        self.sql, self.params = sql, tuple(params)
        self.names = list(query.selected) if query.selected else [*query.values_select, *query.annotation_select]
        if query.extra_select or not self.names:
            raise ValueError("a prepared query must be a values() queryset without extra(select=…)")
        # what ``compiler.results_iter`` works out on every call, once: the columns' converters
        self.columns = [selected[0] for selected in compiler.select[0 : compiler.col_count]]
        self.converters = compiler.get_converters(self.columns)
        self.composite = compiler.has_composite_fields(self.columns)

    def run(self, params, using: str) -> list[dict]:
        with connections[using].cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        if self.converters:
            rows = self.compiler.apply_converters(rows, self.converters)
        if self.composite:
            rows = self.compiler.composite_fields_to_tuples(rows, self.columns)
        names = self.names
        return [dict(zip(names, row, strict=False)) for row in rows]


def _places(params: tuple, sample) -> list[int] | None:
    """Where ``sample`` sits among a compiled query's parameters: each item of a list exactly once (in
    its order), a single value once or more (a filter and a subquery may both use it); None if not."""

    def found(item):
        return [i for i, p in enumerate(params) if type(p) is type(item) and p == item]

    if isinstance(sample, list | tuple):
        places = [found(item) for item in sample]
        return [at[0] for at in places] if all(len(at) == 1 for at in places) else None
    return found(sample) or None


def _bindable(value) -> bool:
    """Whether a database takes ``value`` as it is: not an integer beyond 64 bits (a URL's id can be one)."""
    return not isinstance(value, int) or -(2**63) <= value < 2**63


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
                places = _places(compiled.params, sample)
                if places is None:
                    break
                slots[name] = places
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
                if not _bindable(value):
                    break  # the ORM knows such a value matches no row (SQLite would refuse it)
                if isinstance(value, list | tuple):
                    if len(value) != len(places):
                        break
                    for place, item in zip(places, value, strict=True):
                        params[place] = item
                else:
                    for place in places:  # a value the query uses twice (a filter and a subquery's)
                        params[place] = value
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


def counted(queryset: QuerySet) -> QuerySet:
    """``queryset.count()`` as a ``values()`` query (one row, ``n``) that can be compiled: grouped by a
    constant, which Django leaves out, so the SQL is ``SELECT COUNT(*) AS n … WHERE …`` (as ``count()``
    sends: an index that covers the filter answers it alone, without reading the rows)."""
    whole = Value(1, output_field=IntegerField())
    return queryset.order_by().annotate(whole=whole).values("whole").annotate(n=Count("*")).values("n")


class CompiledPages:
    """``Paginator(CompiledPages(key, build), 50)``: the count and each page of ``build()`` (an ordered
    ``values()`` queryset) through :func:`compiled_rows`, so neither is built or compiled by the ORM again.
    ``key`` must hold every input of ``build`` (like ``compiled_rows``); the page's bounds are added to it.
    ``row`` (optional) turns each dict into what the page shows, e.g. ``RowModel(…).instance``; ``page``
    (optional) gets the page's rows as a list and returns what the page shows (e.g. the rows with what a
    second query reads for all of them at once: the consultation list's topics).
    Keep user-typed text (a search) out of keys: such a list paginates its queryset directly."""

    def __init__(
        self,
        key: tuple[Hashable, ...],
        build: Callable[[], QuerySet],
        *,
        row: Callable | None = None,
        page: Callable[[list], list] | None = None,
    ):
        self.key = key
        self.build = build
        self.row = row  # e.g. ``RowModel(…).instance``: each page's dicts made into what the page shows
        self.page = page

    def count(self) -> int:
        rows = compiled_rows((*self.key, "count"), lambda: counted(self.build()))
        return rows[0]["n"] if rows else 0

    def __getitem__(self, bounds: slice) -> list[dict]:
        if not isinstance(bounds, slice):
            raise TypeError("CompiledPages are read a page (a slice) at a time")
        rows = compiled_rows((*self.key, bounds.start, bounds.stop), lambda: self.build()[bounds])
        rows = [self.row(row) for row in rows] if self.row else rows
        return self.page(rows) if self.page else rows


class PreparedInsert:
    """``instance.save()`` of a new ``model`` row with the INSERT compiled once per process and thread.

    ``create(instance)`` sends ``pre_save``, takes each column's value through its field's
    ``pre_save`` (``auto_now_add``, …) and ``get_db_prep_save`` as the ORM's insert does, runs the
    statement compiled for the first instance, sets the returned columns (the primary key), marks
    the instance saved and sends ``post_save`` (``created=True``). Only the SQL text is kept. A
    value that is an expression (``Now()``, a database default) is saved by ``save(force_insert=True)``
    instead; a model with its own ``save()``, a parent model or ``order_with_respect_to`` is refused
    here, since its save does more than one INSERT."""

    def __init__(self, model: type[Model]):
        meta = model._meta
        if model.save is not Model.save or meta.parents or meta.proxy or meta.order_with_respect_to:
            raise ValueError(f"{meta.label}: only a model saved by Model.save with one INSERT")
        self.model = model
        self._local = threading.local()

    def _compiled(self, instance, using: str, pk_set: bool):
        by_key = self._local.__dict__.setdefault("by_key", {})
        compiled = by_key.get((using, pk_set))
        if compiled is None:
            meta = self.model._meta
            connection = connections[using]
            fields = [f for f in meta.local_concrete_fields if not f.generated and (pk_set or f is not meta.auto_field)]
            returning = meta.db_returning_fields if connection.features.can_return_columns_from_insert else []
            query = InsertQuery(self.model)
            query.insert_values(fields, [instance])
            compiler = query.get_compiler(using=using)
            compiler.returning_fields = returning
            ((sql, params),) = compiler.as_sql()
            returning_params = tuple(getattr(compiler, "returning_params", ()))
            plain = sql.count("%s") == len(params) == len(fields) + len(returning_params) and not any(
                hasattr(f, "get_placeholder") for f in fields
            )  # one plain placeholder per column, as for every value that is not an expression
            converters = compiler.get_converters([f.get_col(meta.db_table) for f in returning])
            compiled = (sql, fields, returning, returning_params, compiler, converters) if plain else _UNPREPARED
            by_key[(using, pk_set)] = compiled
        return compiled

    def create(self, instance, using: str | None = None):
        """Insert ``instance`` (a new, unsaved row) as ``instance.save()`` would; returns it."""
        model, meta = self.model, self.model._meta
        using = using or router.db_for_write(model, instance=instance)
        if any(hasattr(getattr(instance, f.attname), "resolve_expression") for f in meta.local_concrete_fields):
            instance.save(force_insert=True, using=using)  # an expression is compiled into the SQL
            return instance
        instance._prepare_related_fields_for_save(operation_name="save")
        if not instance._is_pk_set(meta):
            setattr(instance, meta.pk.attname, meta.pk.get_pk_value_on_save(instance))
        compiled = self._compiled(instance, using, instance._is_pk_set(meta))
        if compiled is _UNPREPARED:
            instance.save(force_insert=True, using=using)
            return instance
        sql, fields, returning, returning_params, compiler, converters = compiled
        pre_save.send(sender=model, instance=instance, raw=False, using=using, update_fields=None)
        connection = connections[using]
        with transaction.mark_for_rollback_on_error(using=using):
            params = [compiler.prepare_value(f, f.pre_save(instance, True)) for f in fields]
            with connection.cursor() as cursor:
                cursor.execute(sql, (*params, *returning_params))
                if returning:
                    rows = [connection.ops.fetch_returned_insert_columns(cursor, returning_params)]
                    if converters:
                        rows = list(compiler.apply_converters(rows, converters))
                    for value, field in zip(rows[0], returning, strict=True):
                        setattr(instance, field.attname, value)
        instance._state.db = using
        instance._state.adding = False
        post_save.send(sender=model, instance=instance, created=True, update_fields=None, raw=False, using=using)
        return instance
