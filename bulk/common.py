"""What every kind's import shares: who may import, the organizations by tax code, statuses, chunked writes."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from bulk import cells
from bulk.report import Report
from registry.core.auth import Actor, Role
from registry.core.db import utcnow
from registry.core.errors import Forbidden
from registry.core.i18n import _l
from registry.lifecycle.models import OWNER_MOVES, TRANSITIONS, CodeStatus, StatusChange
from registry.organizations.models import Organization

CHUNK = 1000
# A code in one of these statuses was issued: the import stores it as the issued code.
ISSUED = frozenset({CodeStatus.ACTIVE, CodeStatus.SUSPENDED, CodeStatus.REVOKED})


def require_importer(actor: Actor) -> None:
    """Members import their own organization's records and the admin anyone's; inspectors only read."""
    if actor.role not in (Role.MEMBER, Role.ADMIN):
        raise Forbidden(_l("Department inspectors check records; cooperatives and enterprises register them."))


def chunks(items: list[Any], size: int = CHUNK) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def in_chunks(session: Session, stmt_for: Any, values: Iterable[Any]) -> list[Any]:
    """Rows of ``stmt_for(chunk)`` for every chunk of ``values`` (IN lists stay short)."""
    out: list[Any] = []
    for part in chunks(sorted(set(values))):
        out.extend(session.execute(stmt_for(part)).all())
    return out


def reserve_ids(session: Session, model: Any, n: int) -> list[int]:
    """``n`` new ids for ``model``'s table, taken before its rows are written, so that rows written together can
    point at each other by key and the ORM writes each table in plain batches (no RETURNING round trips).

    PostgreSQL: from the table's sequence, in one statement (safe beside concurrent writers). SQLite: after the
    table's largest id; SQLite has one writer at a time, and the import holds the write lock from its first write.
    """
    if n <= 0:
        return []
    table = model.__table__.name
    if session.get_bind().dialect.name == "postgresql":
        stmt = sa.text(f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) FROM generate_series(1, :n)")  # noqa: S608
        return list(session.scalars(stmt, {"n": n}))
    session.execute(sa.text(f"UPDATE {table} SET id = id WHERE 0"))  # noqa: S608  (takes the write lock first)
    top = session.scalar(sa.select(sa.func.coalesce(sa.func.max(model.id), 0))) or 0
    return list(range(top + 1, top + n + 1))


def assign_ids(session: Session, model: Any, objects: list[Any]) -> None:
    for obj, new_id in zip(objects, reserve_ids(session, model, len(objects)), strict=True):
        obj.id = new_id


class Organizations:
    """Organizations by tax code, and the rule that a member names only its own."""

    def __init__(self, session: Session, actor: Actor) -> None:
        self.actor = actor
        self.by_tax: dict[str, int] = dict(session.execute(sa.select(Organization.tax_code, Organization.id)).all())
        self.tax_of = {v: k for k, v in self.by_tax.items()}

    def check(self, report: Report, row: int, value: Any, column: str = "organization_tax_code") -> int | None:
        tax = report.check(row, column, cells.tax_code, value)
        if tax is None:
            return None
        org_id = self.by_tax.get(tax)
        if self.actor.role == Role.MEMBER and org_id != self.actor.organization_id:
            report.add(
                row,
                column,
                _l(
                    "You can only import your own organization's records (tax code %(tax)s).",
                    tax=self.tax_of.get(self.actor.organization_id, "—"),
                ),
            )
            return None
        if org_id is None:
            report.add(row, column, _l("No organization with tax code %(code)s is registered.", code=tax))
        return org_id


STATUS_WORDS = {s.value: s for s in CodeStatus}


def status_cell(report: Report, row: int, value: Any) -> CodeStatus | None:
    """The status written in a row, or None when the cell is empty; an unknown word is a row error."""
    raw = cells.text(value).lower()
    if not raw:
        return None
    status = STATUS_WORDS.get(raw)
    if status is None:
        report.add(row, "status", _l("Unknown status: use pending, active, suspended, revoked, withdrawn or refused."))
    return status


def new_status(report: Report, row: int, actor: Actor, status: CodeStatus | None) -> CodeStatus | None:
    """A new record's status: pending unless the admin imports codes it already decided on."""
    if status is None:
        return CodeStatus.PENDING
    if actor.role != Role.ADMIN and status != CodeStatus.PENDING:
        report.add(
            row,
            "status",
            _l(
                "A new application is pending: the department grants, suspends and revokes codes, not an import by a member."
            ),
        )
        return None
    return status


def status_move(report: Report, row: int, actor: Actor, current: CodeStatus, target: CodeStatus | None) -> bool:
    """Whether an existing record's status moves; an illegal or unauthorised move is a row error."""
    if target is None or target == current:
        return False
    if actor.role != Role.ADMIN and target not in OWNER_MOVES:
        report.add(
            row,
            "status",
            _l(
                "Only the department changes a code's status; your organization may only withdraw a pending application."
            ),
        )
        return False
    if target not in TRANSITIONS[current]:
        report.add(
            row,
            "status",
            _l("A code that is %(from)s cannot become %(to)s.", **{"from": current.value, "to": target.value}),
        )
        return False
    return True


def history_values(
    subject_column: str, subject_id: int, before: CodeStatus | None, after: CodeStatus, actor: Actor, filename: str
) -> dict[str, Any]:
    """A status history row as the services write it: who, from and to, and why (the file) when it is not the
    plain start of an application."""
    plain_start = before is None and after == CodeStatus.PENDING
    return {
        "growing_area_id": None,
        "packing_house_id": None,
        subject_column: subject_id,
        "from_status": before,
        "to_status": after,
        "actor_id": actor.id,
        "reason": None if plain_start else str(_l("Imported from the file %(file)s.", file=filename)),
        "at": utcnow(),
    }


def history_row(
    subject_column: str, subject_id: int, before: CodeStatus | None, after: CodeStatus, actor: Actor, filename: str
) -> StatusChange:
    return StatusChange(**history_values(subject_column, subject_id, before, after, actor, filename))


def uncoded(session: Session, model: Any, rows: list[dict[str, Any]]) -> dict[tuple[int, str], list[Any]]:
    """Applications with no code yet (neither issued nor claimed), by (organization, name), for the rows that give
    no code: such a row is the same application when its organization and name are."""
    wanted = {(r["organization_id"], r["name"]) for r in rows if not r["coded"] and r["organization_id"] and r["name"]}
    out: dict[tuple[int, str], list[Any]] = {}
    for part in chunks(sorted({name for _org, name in wanted})):
        stmt = sa.select(model).where(model.code.is_(None), model.claimed_code.is_(None), model.name.in_(part))
        for subject in session.scalars(stmt).unique():
            if (subject.organization_id, subject.name) in wanted:
                out.setdefault((subject.organization_id, subject.name), []).append(subject)
    return out


def row_key(row: dict[str, Any]) -> Any:
    """What makes two rows of one file the same record: the code, or for an uncoded one its organization and name."""
    return row["code"] if row["coded"] else ("", row["organization_id"], row["name"])


def match(report: Report, row: dict[str, Any], issued: dict, claimed: dict, unnamed: dict) -> tuple[bool, Any]:
    """(usable, the existing subject or None) for a parsed row; a clash or an ambiguity is a row error."""
    n, code, org = row["row"], row["code"], row["organization_id"]
    if org is None or (row["coded"] and code is None) or (not row["coded"] and row["name"] is None):
        return False, None
    if not row["coded"]:
        found = unnamed.get((org, row["name"]), [])
        if len(found) > 1:
            report.add(
                n,
                "code",
                _l(
                    "Several applications of the organization without a code are named %(name)s: give the code.",
                    name=row["name"],
                ),
            )
            return False, None
        return True, (found[0] if found else None)
    subject = issued.get(code) or claimed.get((org, code))
    if subject is not None and subject.organization_id != org:
        report.add(n, "code", _l("The code %(code)s is already held by another organization.", code=code))
        return False, None
    return True, subject
