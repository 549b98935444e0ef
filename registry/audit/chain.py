"""Writing the trail: who and which request, then the entries, chained, in the committing transaction.

The chain is one sequence for the whole database. On PostgreSQL each writing transaction takes a
transaction-level advisory lock before it reads the last entry, so two commits cannot both extend the same
entry (the lock is released by COMMIT or ROLLBACK). SQLite lets one writer at a time in already; the
primary key on ``seq`` backs both up. The lock is taken at commit, after every other statement of the
transaction, so it is held for the few milliseconds the entries take to insert.
"""

from __future__ import annotations

import shlex
import sys
import uuid
from typing import Any

import click
import sqlalchemy as sa
from flask import g, has_request_context, request
from sqlalchemy import event
from sqlalchemy.orm import Session

from registry.audit import capture
from registry.audit.models import AuditEntry
from registry.audit.values import GENESIS, Hasher, dumps
from registry.core.db import utcnow

LOCK_KEY = 0x61756469  # "audi": the advisory lock that serialises extensions of the chain
SECRET_PARAMS = ("password", "token", "secret")
COPY_FROM = 2000  # entries from which PostgreSQL's COPY writes them


# ---------------------------------------------------------------- who and where


def _command_line() -> str:
    ctx = click.get_current_context(silent=True)
    if ctx is None:
        return shlex.join(sys.argv)[:1000]
    words = ctx.command_path.split()
    for name, value in ctx.params.items():
        if value in (None, False, (), []):
            continue
        shown = "[redacted]" if any(s in name for s in SECRET_PARAMS) else value
        words.append(f"--{name.replace('_', '-')}" if value is True else f"--{name.replace('_', '-')}={shown}")
    return " ".join(str(w) for w in words)[:1000]


def _user() -> Any:
    user = g.get("api_user")
    if user is None:
        from flask_login import current_user

        user = current_user if current_user and current_user.is_authenticated else None
    return user


def origin() -> dict[str, Any]:
    """Who is writing and from which request or command."""
    if has_request_context():
        user = _user()
        role = getattr(getattr(user, "role", None), "value", None) or ("anonymous" if user is None else "member")
        return {
            "actor_id": getattr(user, "id", None),
            "actor_role": role,
            "actor_name": getattr(user, "full_name", None),
            "request_id": request_id(),
            "method": request.method,
            "path": request.path[:1000],
        }
    cli = click.get_current_context(silent=True) is not None
    return {
        "actor_id": None,
        "actor_role": "cli" if cli else "system",
        "actor_name": None,
        "request_id": None,
        "method": "CLI" if cli else None,
        "path": _command_line(),
    }


def request_id() -> str:
    if "audit_request_id" not in g:
        g.audit_request_id = sane_request_id(request.headers.get("X-Request-ID")) or uuid.uuid4().hex
    return g.audit_request_id


def sane_request_id(value: str | None) -> str | None:
    """An incoming X-Request-ID is kept when it is 1–64 letters, digits, '-', '_', '.' or ':'."""
    if not value or len(value) > 64:
        return None
    return value if all(ch.isascii() and (ch.isalnum() or ch in "-_.:") for ch in value) else None


# ---------------------------------------------------------------- the writer


def write(connection: sa.Connection, changes: list[capture.Change], who: dict[str, Any]) -> int:
    """Append the changes to the chain on ``connection`` (inside its transaction); the last seq written."""
    if connection.dialect.name == "postgresql":
        connection.execute(sa.select(sa.func.pg_advisory_xact_lock(LOCK_KEY)))
    table = AuditEntry.__table__
    last = connection.execute(sa.select(table.c.seq, table.c.hash).order_by(table.c.seq.desc()).limit(1)).first()
    seq, prev = (last.seq, last.hash) if last else (0, GENESIS)
    at = utcnow()
    hasher = Hasher({"at": at, **who})
    rows = []
    for change in changes:
        seq += 1
        row = {
            "seq": seq,
            "at": at,
            **who,
            "record_type": change.record_type,
            "record_id": change.record_id,
            "action": change.action,
            "before": None if change.before is None else dumps(change.before),
            "after": None if change.after is None else dumps(change.after),
            "prev_hash": prev,
        }
        row["hash"] = prev = hasher(row)
        rows.append(row)
    if connection.dialect.name == "postgresql" and len(rows) > COPY_FROM:
        _copy(connection, table, rows)
    else:
        for start in range(0, len(rows), 1000):
            connection.execute(sa.insert(table), rows[start : start + 1000])
    return seq


def _copy(connection: sa.Connection, table: sa.Table, rows: list[dict[str, Any]]) -> None:
    """Many entries at once (an import): PostgreSQL's COPY, on the transaction's own connection."""
    names = [c.name for c in table.columns]
    with (
        connection.connection.driver_connection.cursor() as cursor,
        cursor.copy(f"COPY {table.name} ({', '.join(names)}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row([row[name] for name in names])


# ---------------------------------------------------------------- session events


def _before_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint is released; its changes are written with the outer transaction's
    if session.new or session.dirty or session.deleted:
        session.flush()
    changes = session.info.pop(capture.PENDING, None)
    if changes:
        write(session.connection(), changes, origin())


def _after_soft_rollback(session: Session, previous: Any) -> None:
    pending = session.info.get(capture.PENDING)
    if not pending:
        return
    if previous.parent is None:
        session.info.pop(capture.PENDING, None)
        return

    def inside(savepoint: Any) -> bool:
        while savepoint is not None:
            if savepoint is previous:
                return True
            savepoint = savepoint.parent
        return False

    session.info[capture.PENDING] = [c for c in pending if not inside(c.savepoint)]


def _after_transaction_end(session: Session, transaction: Any) -> None:
    if transaction.parent is None:  # closed without commit (the commit popped them already)
        session.info.pop(capture.PENDING, None)
        session.info.pop(capture.DELETED, None)
        session.info.pop(capture.UNKNOWN, None)


def _append_only(*_args: Any) -> None:
    raise RuntimeError("audit_entry is append-only")


EVENTS = (
    (Session, "before_flush", capture._before_flush),
    (Session, "after_flush", capture._after_flush),
    (Session, "do_orm_execute", capture._do_orm_execute),
    (Session, "before_commit", _before_commit),
    (Session, "after_soft_rollback", _after_soft_rollback),
    (Session, "after_transaction_end", _after_transaction_end),
    (AuditEntry, "before_update", _append_only),
    (AuditEntry, "before_delete", _append_only),
)


def install() -> None:
    """Listen on every ORM session of the process (idempotent)."""
    for target, name, fn in EVENTS:
        if not event.contains(target, name, fn):
            event.listen(target, name, fn)


def uninstall() -> None:
    """Stop capturing (the benchmark measures writes without the trail with this)."""
    for target, name, fn in EVENTS:
        if event.contains(target, name, fn):
            event.remove(target, name, fn)
