"""Capture every change to an audited table from the ORM session, and write it when the transaction commits.

- ``after_flush``: inserts, updates and deletes of mapped objects, read from the unit of work (values before
  and after, per column), plus rows added to or removed from many-to-many collections.
- ``do_orm_execute``: INSERT, UPDATE and DELETE statements run through the session on an audited table
  (bulk writes such as trace.recall, qr.serials, indicators.key_crops, the bulk imports): the rows are read before
  and after; a bulk INSERT whose parameters carry the keys and exact values is recorded from its parameters
  (registry.audit.params), else with RETURNING.
- ``before_commit``: the collected changes go into audit_entry, in the same transaction (chain.write).
- A rollback drops what was collected in the rolled-back transaction or savepoint.

Every statement-level write in the code base, and how it is covered:
- trace.recall.services: INSERT recalled_lot, UPDATE lot.open_recall_id: through the session, recorded here;
- qr.serials.services: INSERT serial: recorded here; indicators.key_crops: DELETE key_crop: recorded here;
- registry.accounts.services.touch_token: UPDATE api_token.last_used_at: an excluded column, skipped;
- registry.lifecycle.services: INSERT code_serial (excluded table); its ``sa.text`` UPDATE sets status to itself;
- registry.units.legacy: legacy_district tables (excluded reference data);
- qr.scans (recorder, stamps, alerts) write on the engine's own connections: scan tables (excluded) and
  serial.scans / serial.first_scanned_at (excluded columns); trace.lots.tally's triggers write lot_month.
Statements on a bare connection bypass the session and are not seen; ``sa.text`` writes are not parsed.
ON DELETE CASCADE in the database removes rows the session never sees: the tables that have it
(linkage_*, recalled_lot, product_image) lose rows that way only when their parent is deleted, which no code
path does today.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, attributes
from sqlalchemy.orm import object_mapper as _object_mapper

from registry.audit.params import rows_from_parameters
from registry.audit.policy import EXCLUDED_COLUMNS, audited, columns
from registry.audit.values import canonical, record_key

PENDING = "audit_pending"
DELETED = "audit_deleted"
UNKNOWN = "audit_unknown"
CHUNK = 500


@dataclass
class Change:
    record_type: str
    record_id: str
    action: str  # create, update, delete, baseline
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    savepoint: Any = None  # the nested transaction it was flushed in, if any


def _collect(session: Session, changes: list[Change]) -> None:
    if not changes:
        return
    savepoint = session.get_nested_transaction()
    for change in changes:
        change.savepoint = savepoint
    session.info.setdefault(PENDING, []).extend(changes)


# ---------------------------------------------------------------- the unit of work


_LAYOUT: dict[Any, list[tuple[sa.Column, str]]] = {}


def _layout(mapper: Any) -> list[tuple[sa.Column, str]]:
    """(column, attribute key) of every recorded column of a mapped class, computed once per class."""
    layout = _LAYOUT.get(mapper)
    if layout is None:
        layout = _LAYOUT[mapper] = [(c, mapper.get_property_by_column(c).key) for c in columns(mapper.local_table)]
    return layout


def _row(state: Any, mapper: Any) -> dict[str, Any]:
    """Every recorded column of a persistent object, loading any that are expired."""
    values = {}
    loaded = state.dict
    for column, key in _layout(mapper):
        value = loaded[key] if key in loaded else getattr(state.obj(), key)
        values[column.name] = canonical(value, column)
    return values


_ORDER: dict[sa.Table, int] = {}


def _table_order(table: sa.Table) -> int:
    """Parents before children (the metadata's dependency order), computed once."""
    if table not in _ORDER:
        _ORDER.clear()
        _ORDER.update({t: n for n, t in enumerate(table.metadata.sorted_tables)})
    return _ORDER.get(table, 0)


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    # Deleted objects: their values, while they can still be loaded.
    snapshots = session.info.setdefault(DELETED, {})
    for obj in session.deleted:
        mapper = _object_mapper(obj)
        if audited(mapper.local_table):
            snapshots[id(obj)] = _row(attributes.instance_state(obj), mapper)
            snapshots[id(obj)].update(_links_of(obj, mapper))
    # Attributes set while expired (after a commit) have no old value in memory: read it before the UPDATE.
    unknown = session.info.setdefault(UNKNOWN, {})
    for obj in session.dirty:
        mapper = _object_mapper(obj)
        state = attributes.instance_state(obj)
        if not audited(mapper.local_table) or state.key is None:
            continue
        missing = [(c, k) for c, k in _layout(mapper) if state.committed_state.get(k, None) is attributes.NO_VALUE]
        if missing:
            pk = mapper.local_table.primary_key
            where = sa.and_(*(c == v for c, v in zip(pk, state.key[1], strict=True)))
            row = session.connection().execute(sa.select(*(c for c, _ in missing)).where(where)).first()
            if row is not None:
                unknown[id(obj)] = {k: v for (_, k), v in zip(missing, row, strict=True)}


def _links_of(obj: Any, mapper: Any) -> dict[str, Any]:
    """The members of a deleted object's many-to-many collections, under keys no column can have."""
    out: dict[str, Any] = {}
    for prop in mapper.relationships:
        if prop.secondary is not None and not prop.viewonly and audited(prop.secondary):
            out["\0" + prop.key] = list(getattr(obj, prop.key) or [])
    return out


def _link_row(prop: Any, parent: Any, child: Any) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for parent_col, link_col in prop.synchronize_pairs:
        row[link_col.name] = getattr(parent, prop.parent.get_property_by_column(parent_col).key)
    for child_col, link_col in prop.secondary_synchronize_pairs:
        row[link_col.name] = getattr(child, prop.mapper.get_property_by_column(child_col).key)
    return {c.name: canonical(row.get(c.name), c) for c in prop.secondary.columns}


def _collections(obj: Any, mapper: Any, removed_all: list | None = None) -> list[Change]:
    out = []
    for prop in mapper.relationships:
        if prop.secondary is None or prop.viewonly or not audited(prop.secondary):
            continue
        table = prop.secondary
        if removed_all is not None:
            added, removed = [], removed_all.get("\0" + prop.key, [])
        else:
            history = attributes.instance_state(obj).attrs[prop.key].history
            added, removed = history.added or [], history.deleted or []
        for child in removed:
            row = _link_row(prop, obj, child)
            out.append(Change(table.name, record_key(table, row), "delete", row, None))
        for child in added:
            row = _link_row(prop, obj, child)
            out.append(Change(table.name, record_key(table, row), "create", None, row))
    return out


def _after_flush(session: Session, _context: Any) -> None:
    changes: list[tuple[int, Change]] = []
    snapshots = session.info.pop(DELETED, {})
    unknown = session.info.pop(UNKNOWN, {})
    for obj in session.new:
        mapper = _object_mapper(obj)
        table = mapper.local_table
        if audited(table):
            row = _row(attributes.instance_state(obj), mapper)
            changes.append((_table_order(table), Change(table.name, record_key(table, row), "create", None, row)))
            changes += [(_table_order(table) + 1, c) for c in _collections(obj, mapper)]
    for obj in session.dirty:
        mapper = _object_mapper(obj)
        table = mapper.local_table
        if audited(table):
            change = _update(obj, mapper, unknown.get(id(obj), {}))
            if change is not None:
                changes.append((_table_order(table), change))
            changes += [(_table_order(table) + 1, c) for c in _collections(obj, mapper)]
    for obj in session.deleted:
        mapper = _object_mapper(obj)
        table = mapper.local_table
        if audited(table):
            row = snapshots.get(id(obj)) or _row(attributes.instance_state(obj), mapper)
            links = {k: row.pop(k) for k in list(row) if k.startswith("\0")}
            changes += [(-_table_order(table) - 1, c) for c in _collections(obj, mapper, removed_all=links)]
            changes.append((-_table_order(table), Change(table.name, record_key(table, row), "delete", row, None)))
    changes.sort(key=lambda pair: pair[0])
    _collect(session, [c for _, c in changes])


def _update(obj: Any, mapper: Any, unknown: dict[str, Any]) -> Change | None:
    state = attributes.instance_state(obj)
    table = mapper.local_table
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    modified = state.committed_state  # the attributes set since the last flush (cleared after this one)
    for column, key in _layout(mapper):
        if key not in modified:
            continue
        history = state.attrs[key].history
        if history.added or history.deleted:
            old = history.deleted[0] if history.deleted else unknown.get(key)
            new = history.added[0] if history.added else None
            old_c, new_c = canonical(old, column), canonical(new, column)
            if old_c != new_c:
                before[column.name], after[column.name] = old_c, new_c
    if not after:
        return None
    for column, key in _layout(mapper):  # values the flush set on its own (updated_at)
        if column.onupdate is not None and column.name not in after and key in state.dict:
            after[column.name] = canonical(state.dict[key], column)
    key = {c.name: canonical(getattr(obj, mapper.get_property_by_column(c).key), c) for c in table.primary_key}
    return Change(table.name, record_key(table, key), "update", before, after)


# ---------------------------------------------------------------- statements run through the session


def _read(session: Session, table: sa.Table, where: Any) -> list[dict[str, Any]]:
    cols = columns(table)
    rows = session.execute(sa.select(*cols).where(where) if where is not None else sa.select(*cols))
    return [{c.name: canonical(v, c) for c, v in zip(cols, row, strict=True)} for row in rows]


def _by_keys(session: Session, table: sa.Table, keys: list[tuple]) -> list[dict[str, Any]]:
    pk = list(table.primary_key)
    out = []
    for start in range(0, len(keys), CHUNK):
        part = keys[start : start + CHUNK]
        where = pk[0].in_([k[0] for k in part]) if len(pk) == 1 else sa.tuple_(*pk).in_(part)
        out += _read(session, table, where)
    return out


def _from_parameters(state: Any, table: sa.Table) -> Any:
    """A bulk INSERT of rows with their keys (``session.execute(insert(Model or its table), rows)``): its rows from
    the parameters, when they are exact (registry.audit.params), so that no RETURNING is needed."""
    statement, params = state.statement, state.parameters
    mapper = state.bind_mapper if state.is_orm_statement else None
    if not state.is_executemany or not isinstance(params, list) or not params:
        return None
    if getattr(statement, "_values", None) or getattr(statement, "_multi_values", None) or statement.select is not None:
        return None
    if mapper is not None:
        if mapper.local_table.name != table.name:  # the statement's table is an annotated copy of the mapper's
            return None
        table = mapper.local_table
    elif isinstance(table, sa.Table) and table.metadata is not None:
        table = table.metadata.tables.get(table.fullname, table)  # a Core INSERT: parameters named by column key
    return rows_from_parameters(mapper, table, params)


def _do_orm_execute(state: Any) -> Any:
    if not (state.is_insert or state.is_update or state.is_delete):
        return None
    statement = state.statement
    table = getattr(statement, "table", None)
    table = table if isinstance(table, sa.Table) else getattr(table, "element", table)
    if not isinstance(table, sa.Table) or not audited(table):
        return None
    values = getattr(statement, "_values", None) or {}
    skipped = EXCLUDED_COLUMNS.get(table.name, set())
    if state.is_update and values and all(getattr(k, "key", k) in skipped for k in values):
        return None  # telemetry only (api_token.last_used_at)
    session = state.session
    pk = list(table.primary_key)
    if state.is_insert:
        if getattr(statement, "_returning", ()):  # the caller reads its own RETURNING: keep it and read the rows after
            return None
        known = _from_parameters(state, table)
        if known is not None:
            rows, defaults = known
            _collect(session, [Change(table.name, record_key(table, r), "create", None, r) for r in rows])
            return state.invoke_statement(params=defaults)
        frozen = state.invoke_statement(statement=statement.returning(*columns(table))).freeze()
        cols = columns(table)
        rows = [{c.name: canonical(v, c) for c, v in zip(cols, row, strict=True)} for row in frozen().all()]
        _collect(session, [Change(table.name, record_key(table, r), "create", None, r) for r in rows])
        return frozen()
    params = state.parameters
    if isinstance(params, list) and state.is_update:  # ORM bulk UPDATE by primary key
        before = _by_keys(session, table, [tuple(p[c.key] for c in pk) for p in params])
    else:
        before = _read(session, table, statement.whereclause)
    result = state.invoke_statement()
    if state.is_delete:
        _collect(session, [Change(table.name, record_key(table, r), "delete", r, None) for r in before])
        return result
    after = {record_key(table, r): r for r in _by_keys(session, table, [tuple(r[c.name] for c in pk) for r in before])}
    changes = []
    for old in before:
        key = record_key(table, old)
        new = after.get(key)
        if new is None:
            continue
        diff = [name for name in new if new[name] != old.get(name)]
        if diff:
            changes.append(Change(table.name, key, "update", {n: old.get(n) for n in diff}, {n: new[n] for n in diff}))
    _collect(session, changes)
    return result
