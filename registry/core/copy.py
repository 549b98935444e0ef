"""COPY for big executemany INSERTs on PostgreSQL, asked for per statement with ``execution_options(copy=True)``.

``session.execute(insert(Model).execution_options(copy=True), rows)`` goes through the ORM session as any bulk
INSERT does (so the audit trail sees it), and SQLAlchemy prepares each row's parameters as usual (types, Python
defaults); only the last step changes: instead of one INSERT per row, the rows are streamed with COPY on the same
cursor, in the same transaction. Constraints, row triggers and statement triggers (once per COPY) fire as for an
INSERT. When the statement is anything but a plain ``INSERT INTO t (columns) VALUES (one parameter per column, maybe
cast to its type)`` — a SQL expression among the values, RETURNING, another database — it runs as usual.
"""

from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

OPTION = "copy"
_CAST = r"(?:::[A-Za-z_][A-Za-z_0-9 ]*(?:\(\d+(?:, ?\d+)?\))?(?:\[\])?)?"  # the type PostgreSQL's compiler may add


def _copy_executemany(cursor: Any, statement: str, parameters: Any, context: Any) -> bool | None:
    if not context.execution_options.get(OPTION) or context.dialect.name != "postgresql":
        return None
    compiled = context.compiled
    if compiled is None or not getattr(compiled, "isinsert", False) or compiled.effective_returning:
        return None
    if not parameters or not isinstance(parameters[0], dict):
        return None
    table = compiled.statement.table
    names = list(parameters[0])
    if not set(names) <= {c.name for c in table.columns}:
        return None
    columns = ", ".join(compiled.preparer.quote(n) for n in names)
    head = f"INSERT INTO {compiled.preparer.format_table(table)} ({columns}) VALUES ("  # noqa: S608 (a pattern)
    values = ", ".join(re.escape(f"%({n})s") + _CAST for n in names)
    if not re.fullmatch(re.escape(head) + values + r"\)", statement.strip()):
        return None
    with cursor.copy(f"COPY {compiled.preparer.format_table(table)} ({columns}) FROM STDIN") as copy:
        for row in parameters:
            copy.write_row([row[n] for n in names])
    return True


def install() -> None:
    """Listen on every engine's dialect (idempotent)."""
    if not sa.event.contains(Engine, "do_executemany", _copy_executemany):
        sa.event.listen(Engine, "do_executemany", _copy_executemany)
