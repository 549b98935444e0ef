"""flask audit verify: the chain entry by entry, then every audited record against the trail.

Everything is read in chunks (keyset pages of the chain, streamed table rows), so memory does not grow with the
trail. Findings are yielded as they are found; ``progress(n)`` is told how many rows were read.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from registry.audit.models import AuditEntry
from registry.audit.policy import audited, columns, compared
from registry.audit.values import GENESIS, canonical, entry_hash, record_key
from registry.core.i18n import _l

CHUNK = 2000
E = AuditEntry.__table__.c


@dataclass
class Finding:
    kind: str  # changed, removed, inserted, record
    message: Any  # lazy string, rendered in the reader's language


def audited_tables(metadata: sa.MetaData) -> list[sa.Table]:
    return [t for t in metadata.sorted_tables if audited(t)]


def total_rows(connection: sa.Connection, metadata: sa.MetaData) -> int:
    count = connection.scalar(sa.select(sa.func.count()).select_from(AuditEntry.__table__)) or 0
    for table in audited_tables(metadata):
        count += connection.scalar(sa.select(sa.func.count()).select_from(table)) or 0
    return count


def verify_chain(connection: sa.Connection, progress: Callable[[int], None] = lambda n: None) -> Iterator[Finding]:
    expected, prev_hash, last = 1, GENESIS, 0
    names = [c.name for c in AuditEntry.__table__.columns]
    while True:
        rows = connection.execute(sa.select(AuditEntry.__table__).where(E.seq > last).order_by(E.seq).limit(CHUNK))
        rows = [dict(zip(names, row, strict=True)) for row in rows]
        if not rows:
            return
        for row in rows:
            seq = row["seq"]
            if seq < 1:
                yield Finding("inserted", _l("Entry %(seq)s was inserted: the chain starts at 1.", seq=seq))
                continue
            if seq > expected:
                yield Finding(
                    "removed", _l("Entries %(first)s to %(last)s were removed.", first=expected, last=seq - 1)
                )
            own = entry_hash(row) == row["hash"]
            if not own:
                yield Finding("changed", _l("Entry %(seq)s was changed or inserted: its hash does not match its "
                                            "content.", seq=seq))  # fmt: skip
            elif row["prev_hash"] != prev_hash and seq == expected:
                yield Finding("inserted", _l("Entry %(seq)s does not follow entry %(prev)s: it was inserted or "
                                             "re-linked.", seq=seq, prev=seq - 1))  # fmt: skip
            prev_hash, expected, last = row["hash"], seq + 1, seq
        progress(len(rows))


def _state(entries: list[tuple[str, str | None]]) -> tuple[bool, dict[str, Any] | None]:
    """Fold a record's entries (action, after) in order: (has entries, state; None once deleted)."""
    state: dict[str, Any] | None = None
    for action, after in entries:
        values = json.loads(after) if after else None
        if action in ("create", "baseline"):
            state = values
        elif action == "update" and state is not None:
            state.update(values or {})
        elif action == "delete":
            state = None
    return bool(entries), state


def _show(value: Any) -> str:
    return "NULL" if value is None else repr(value) if isinstance(value, str) else json.dumps(value)


def _compare(table: sa.Table, key: str, row: dict[str, Any], seen: bool, state: dict | None) -> Iterator[Finding]:
    if not seen:
        yield Finding("record", _l("%(type)s %(id)s is in the table but not in the trail: inserted outside it.",
                                   type=table.name, id=key))  # fmt: skip
        return
    if state is None:
        yield Finding("record", _l("%(type)s %(id)s was deleted by the trail but is in the table.",
                                   type=table.name, id=key))  # fmt: skip
        return
    for column in compared(table):
        if column.name in state and state[column.name] != row[column.name]:
            yield Finding("record", _l("%(type)s %(id)s: %(column)s is %(table)s in the table, %(trail)s by the trail.",
                                       type=table.name, id=key, column=column.name, table=_show(row[column.name]),
                                       trail=_show(state[column.name])))  # fmt: skip


def _entries_for(connection: sa.Connection, table: sa.Table, keys: list[str]) -> dict[str, list]:
    found: dict[str, list] = {k: [] for k in keys}
    stmt = (
        sa.select(E.record_id, E.action, E.after)
        .where(E.record_type == table.name, E.record_id.in_(keys))
        .order_by(E.record_id, E.seq)
    )
    for record_id, action, after in connection.execute(stmt):
        found[record_id].append((action, after))
    return found


def table_rows(reader: sa.Connection, table: sa.Table) -> Iterator[dict[str, dict[str, Any]]]:
    """A table's audited columns as the trail writes them, streamed on ``reader`` in chunks of {record key: row}."""
    cols = columns(table)
    stream = reader.execution_options(yield_per=CHUNK).execute(sa.select(*cols).order_by(*table.primary_key))
    try:
        for part in stream.partitions():
            rows = {}
            for raw in part:
                row = {c.name: canonical(v, c) for c, v in zip(cols, raw, strict=True)}
                rows[record_key(table, row)] = row
            yield rows
    finally:
        stream.close()


def verify_records(
    connection: sa.Connection, reader: sa.Connection, metadata: sa.MetaData, progress: Callable[[int], None]
) -> Iterator[Finding]:
    """Each audited table's rows against the trail's state (streamed on ``reader``), then the records the trail
    holds that the table lost."""
    for table in audited_tables(metadata):
        for rows in table_rows(reader, table):
            entries = _entries_for(connection, table, list(rows))
            for key, row in rows.items():
                seen, state = _state(entries[key])
                yield from _compare(table, key, row, seen, state)
            progress(len(rows))
        yield from _lost(connection, reader, table)


def _lost(connection: sa.Connection, reader: sa.Connection, table: sa.Table) -> Iterator[Finding]:
    """Records whose last entry is not a deletion but which are no longer in the table (streamed on ``reader``)."""
    last = (
        sa.select(E.record_id, sa.func.max(E.seq).label("seq"))
        .where(E.record_type == table.name)
        .group_by(E.record_id)
        .subquery()
    )
    stmt = (
        sa.select(E.record_id)
        .select_from(AuditEntry.__table__.join(last, E.seq == last.c.seq))
        .where(E.action != "delete")
    )
    pk = list(table.primary_key)
    stream = reader.execution_options(yield_per=CHUNK).execute(stmt)
    for part in stream.partitions():
        ids = [row[0] for row in part]
        firsts = list({_part(pk[0], i.split("/")[0]) for i in ids})
        present = set()
        for start in range(0, len(firsts), 500):
            for found in connection.execute(sa.select(*pk).where(pk[0].in_(firsts[start : start + 500]))):
                present.add(record_key(table, {c.name: v for c, v in zip(pk, found, strict=True)}))
        for record_id in ids:
            if record_id not in present:
                yield Finding("record", _l("%(type)s %(id)s is in the trail but not in the table: deleted outside it.",
                                           type=table.name, id=record_id))  # fmt: skip
    stream.close()


def _part(column: sa.Column, text: str) -> Any:
    try:
        return int(text) if column.type.python_type is int else text
    except (ValueError, NotImplementedError):
        return text
