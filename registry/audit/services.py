"""Reading the trail (the API, a record's history on its page) and the baseline of records that predate it."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from registry.audit import chain
from registry.audit.capture import Change
from registry.audit.models import AuditEntry
from registry.audit.verify import audited_tables, table_rows
from registry.core.auth import Actor, require_department
from registry.core.db import Page, paginate
from registry.core.errors import ValidationError
from registry.core.i18n import _l

E = AuditEntry.__table__.c


def _checked(record_type: Any, record_id: Any) -> tuple[str | None, str | None]:
    errors = {}
    for name, value in (("record_type", record_type), ("record_id", record_id)):
        if value not in (None, "") and (not isinstance(value, str) or len(value) > 200):
            errors[name] = _l("At most 200 characters.")
    if errors:
        raise ValidationError(errors)
    return record_type or None, None if record_id in (None, "") else str(record_id)


def list_entries(
    session: Session, *, actor: Actor, record_type: Any = None, record_id: Any = None, page: int = 1, per_page: int = 25
) -> Page[AuditEntry]:
    """The department's view of the trail, newest first, for one kind of record or one record."""
    require_department(actor)
    record_type, record_id = _checked(record_type, record_id)
    stmt = sa.select(AuditEntry).order_by(AuditEntry.seq.desc())
    if record_type:
        stmt = stmt.where(AuditEntry.record_type == record_type)
    if record_id is not None:
        stmt = stmt.where(AuditEntry.record_id == record_id)
    return paginate(session, stmt, page=page, per_page=per_page)


@dataclass
class HistoryLine:
    entry: AuditEntry
    changes: list[tuple[str, Any, Any]]  # (column, before, after)


def history(
    session: Session, record_type: str, record_id: Any, related: dict[str, Any] | None = None, limit: int = 50
) -> tuple[list[HistoryLine], int]:
    """A record's last entries (and those of the records listed in ``related``, {type: [ids]}), newest first,
    with what each changed; and how many there are in all."""
    wanted = {record_type: [record_id], **(related or {})}
    where = sa.or_(
        *(sa.and_(E.record_type == kind, E.record_id.in_([str(i) for i in ids])) for kind, ids in wanted.items() if ids)
    )
    total = session.scalar(sa.select(sa.func.count()).select_from(AuditEntry.__table__).where(where)) or 0
    entries = session.scalars(sa.select(AuditEntry).where(where).order_by(AuditEntry.seq.desc()).limit(limit))
    lines = []
    for entry in entries:
        before = json.loads(entry.before) if entry.before else {}
        after = json.loads(entry.after) if entry.after else {}
        names = sorted(set(before) | set(after))
        lines.append(HistoryLine(entry, [(n, before.get(n), after.get(n)) for n in names]))
    return lines, total


def baseline(session: Session, metadata: sa.MetaData, progress: Callable[[int], None] = lambda n: None) -> int:
    """One 'baseline' entry for every audited row that has no entry yet (records from before the trail).

    Commits after each chunk, so the work survives an interruption and a rerun carries on. Returns how many.
    """
    written = 0
    reader = session.get_bind().connect()
    try:
        for table in audited_tables(metadata):
            for rows in table_rows(reader, table):
                known = set(
                    session.scalars(
                        sa.select(E.record_id).where(E.record_type == table.name, E.record_id.in_(list(rows)))
                    )
                )
                missing = [Change(table.name, k, "baseline", None, r) for k, r in rows.items() if k not in known]
                if missing:
                    chain.write(session.connection(), missing, chain.origin())
                    session.commit()
                    written += len(missing)
                progress(len(rows))
    finally:
        reader.close()
    return written
