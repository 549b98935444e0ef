"""The code lifecycle's rules: who may move a code where, inspections, and serials for issued codes.

Growing areas and packing houses both go through these functions; their own services only add what is
particular to them. Like every service: session first, never commit.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from registry.core import validators as v
from registry.core.auth import Actor, can_write, require_department
from registry.core.db import today_in_vietnam, utcnow
from registry.core.errors import Conflict, Forbidden
from registry.core.fields import Fields, choice
from registry.core.i18n import _l, text
from registry.lifecycle.models import (
    CONCLUSION_STATUS,
    FINAL,
    NEEDS_REASON,
    OWNER_MOVES,
    TRANSITIONS,
    CodedMixin,
    CodeSerial,
    CodeStatus,
    Conclusion,
    Hygiene,
    Inspection,
    StatusChange,
)

STATUS_LABELS = {
    CodeStatus.PENDING: _l("pending"),
    CodeStatus.ACTIVE: _l("active"),
    CodeStatus.SUSPENDED: _l("suspended"),
    CodeStatus.REVOKED: _l("revoked"),
    CodeStatus.WITHDRAWN: _l("withdrawn"),
    CodeStatus.REFUSED: _l("refused"),
}

CONCLUSION_LABELS = {
    Conclusion.PASS: _l("Pass"),
    Conclusion.CORRECTIVE_ACTION: _l("Corrective action required"),
    Conclusion.SUSPEND: _l("Suspend the code"),
    Conclusion.REVOKE: _l("Revoke the code"),
}

HYGIENE_LABELS = {Hygiene.GOOD: _l("Good"), Hygiene.FAIR: _l("Fair"), Hygiene.POOR: _l("Poor")}

VALIDITY_LABELS = {
    "valid": _l("valid"),
    "expired": _l("expired"),
    "revoked": _l("revoked"),
    "not_yet_valid": _l("not yet valid"),
}


def status_label(status: Any) -> str:
    return text(STATUS_LABELS[CodeStatus(status)])


def conclusion_label(conclusion: Any) -> str:
    return str(CONCLUSION_LABELS[Conclusion(conclusion)])


def hygiene_label(value: Any) -> str:
    return str(HYGIENE_LABELS[Hygiene(value)]) if value else "—"


def validity_label(value: str) -> str:
    return str(VALIDITY_LABELS[value])


def parse_status(value: Any) -> CodeStatus:
    f = Fields()
    status = f.check("status", choice, value, CodeStatus, _l("Unknown status."))
    f.raise_if_any()
    return status


def allowed_moves(subject: Any, actor: Actor) -> list[CodeStatus]:
    """The statuses this actor may move the subject to now (for the page's choices)."""
    moves = TRANSITIONS[subject.status]
    if actor.is_department:
        return sorted(m for m in moves if m not in OWNER_MOVES)
    if can_write(actor, subject.organization_id):
        return sorted(m for m in moves if m in OWNER_MOVES)
    return []


def subject_column(subject: Any) -> str:
    return subject.SUBJECT_COLUMN


def issue_serial(session: Session, prefix: str, taken: Any) -> int:
    """The next free serial under ``prefix``, with the counter row locked until the transaction ends.

    ``taken(serial)`` says whether a code recorded as issued elsewhere already uses that serial. Without the
    lock, two activations in one commune read the same last serial and one of them fails.
    """
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    # Create the counter if missing without taking a serial, then lock it (INSERT ... DO NOTHING is race-safe).
    session.execute(insert(CodeSerial).values(prefix=prefix, last_serial=0).on_conflict_do_nothing())
    row = session.execute(sa.select(CodeSerial).where(CodeSerial.prefix == prefix).with_for_update()).scalar_one()
    serial = row.last_serial + 1
    while taken(serial):
        serial += 1
    row.last_serial = serial
    session.flush()
    return serial


def confirm_or_issue_code(session: Session, subject: Any) -> None:
    """On activation: confirm the code the applicant claimed, or issue the next ``<prefix><serial>``.

    A claimed code is checked against every kind of coded subject, so one code never names two things; the
    clash is for the department to resolve, and only the department ever sees who holds it.
    """
    if subject.claimed_code:
        for model in CodedMixin.__subclasses__():
            holder = session.scalar(
                sa.select(model).where(model.code == subject.claimed_code, model.id != subject.id)
                if model is type(subject)
                else sa.select(model).where(model.code == subject.claimed_code)
            )
            if holder is not None:
                raise Conflict(
                    _l(
                        "The code %(code)s is already held by %(holder)s. Resolve the clash before activating.",
                        code=subject.claimed_code,
                        holder=holder.held_by_label(),
                    )
                )
        subject.code = subject.claimed_code
        return
    model, prefix = type(subject), subject.issue_prefix()

    def taken(serial: int) -> bool:
        return session.scalar(sa.select(model.id).where(model.code == f"{prefix}{serial:03d}")) is not None

    subject.code = f"{prefix}{issue_serial(session, prefix, taken):03d}"


def lock_subject(session: Session, subject: Any) -> None:
    """Reload the subject's row and hold it locked until the transaction ends (FOR UPDATE on PostgreSQL).

    Two people deciding on the same code at once then act one after the other, each on the status the other
    left, instead of both moving it from the same stale status.
    """
    session.flush()
    model = type(subject)
    if session.get_bind().dialect.name == "sqlite":
        # SQLite has no row locks: a no-op write takes the database's write lock first, so a concurrent
        # decision waits for this transaction instead of reading the same status.
        table = model.__table__.name
        session.execute(sa.text(f"UPDATE {table} SET status = status WHERE id = :id"), {"id": subject.id})  # noqa: S608
    stmt = (
        sa.select(model)
        .options(sa.orm.lazyload("*"))
        .where(model.id == subject.id)
        .with_for_update(of=model)
        .execution_options(populate_existing=True)
    )
    session.execute(stmt).scalar_one()


def transition(
    session: Session,
    subject: Any,
    *,
    actor: Actor,
    status: Any,
    reason: str | None = None,
    inspection: Inspection | None = None,
) -> StatusChange:
    """Move a coded subject to ``status``; record who, when, why and the inspection that caused it."""
    f = Fields()
    target = f.check("status", choice, status, CodeStatus, _l("Unknown status."))
    reason = f.check("reason", v.optional_text, reason, max_length=2000)
    if target in NEEDS_REASON and not reason and not f.has("reason"):
        f.add("reason", _l("Give the reason for this decision."))
    f.raise_if_any()
    if target in OWNER_MOVES:
        if not can_write(actor, subject.organization_id):
            raise Forbidden(_l("Only the organization that applied can withdraw its application."))
    else:
        require_department(actor)
    lock_subject(session, subject)
    if target not in TRANSITIONS[subject.status]:
        raise Conflict(
            _l(
                "A code that is %(from)s cannot become %(to)s.",
                **{"from": status_label(subject.status), "to": status_label(target)},
            )
        )
    if target == CodeStatus.ACTIVE and subject.code is None:
        confirm_or_issue_code(session, subject)
    change = StatusChange(
        from_status=subject.status, to_status=target, reason=reason, actor_id=actor.id, inspection=inspection
    )
    setattr(change, subject_column(subject), subject.id)
    session.add(change)
    subject.status = target
    subject.status_changed_at = utcnow()
    session.flush()
    return change


def withdraw(session: Session, subject: Any, *, actor: Actor, reason: str | None) -> StatusChange:
    """The owner withdraws its pending application (final); the department refuses instead."""
    return transition(session, subject, actor=actor, status=CodeStatus.WITHDRAWN, reason=reason)


def start_history(session: Session, subject: Any, *, actor: Actor) -> None:
    change = StatusChange(from_status=None, to_status=CodeStatus.PENDING, actor_id=actor.id)
    setattr(change, subject_column(subject), subject.id)
    session.add(change)


def history(session: Session, subject: Any) -> list[StatusChange]:
    column = getattr(StatusChange, subject_column(subject))
    return list(session.scalars(sa.select(StatusChange).where(column == subject.id).order_by(StatusChange.id)))


def inspections(session: Session, subject: Any) -> list[Inspection]:
    column = getattr(Inspection, subject_column(subject))
    stmt = (
        sa.select(Inspection).where(column == subject.id).order_by(Inspection.inspected_on.desc(), Inspection.id.desc())
    )
    return list(session.scalars(stmt))


def _yes_no(value: Any) -> bool | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "y", "on", "có"):
        return True
    if text in ("0", "false", "no", "n", "off", "không"):
        return False
    raise v.FieldError(_l("Answer yes or no."))


def pests_from_lines(text: str | None) -> list[dict[str, str]]:
    """Pests typed one per line as "name: density" (the density may be left out)."""
    pests = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        name, _sep, density = line.partition(":")
        pests.append({"name": name.strip(), "density": density.strip()})
    return pests


def pests_as_lines(pests: list[dict[str, str]] | None) -> str:
    return "\n".join(f"{p['name']}: {p['density']}" if p.get("density") else p["name"] for p in pests or [])


def _pests(value: Any) -> list[dict[str, str]]:
    if value in (None, ""):
        return []
    if not isinstance(value, list) or len(value) > 50:
        raise v.FieldError(_l("List each pest with its name and density (at most 50)."))
    pests = []
    for item in value:
        if not isinstance(item, dict) or set(item) - {"name", "density"}:
            raise v.FieldError(_l("List each pest with its name and density (at most 50)."))
        name = v.required_text(item.get("name"), max_length=200)
        density = v.optional_text(item.get("density"), max_length=200)
        pests.append({"name": name, "density": density or ""})
    return pests


def record_inspection(
    session: Session,
    subject: Any,
    *,
    actor: Actor,
    inspected_on: dt.date | None,
    conclusion: Any,
    reason: str | None = None,
    inspector_name: str | None = None,
    growth_stage: str | None = None,
    pests: Any = None,
    diary_kept: Any = None,
    pesticides_permitted: Any = None,
    sampled: Any = None,
    sample_results: str | None = None,
    field_hygiene: Any = None,
    packaging_collected: Any = None,
    corrective_deadline: dt.date | None = None,
    notes: str | None = None,
) -> Inspection:
    """Record an inspection. A conclusion of suspend or revoke moves the code in the same transaction."""
    require_department(actor)
    if subject.status in FINAL:
        raise Conflict(
            _l("This code is %(status)s; it can no longer be inspected.", status=status_label(subject.status))
        )
    f = Fields()
    today = today_in_vietnam()
    if inspected_on is None:
        f.add("inspected_on", _l("Enter the date of the inspection."))
    elif inspected_on > today:
        f.add("inspected_on", _l("The inspection date cannot be in the future."))
    concl = f.check("conclusion", choice, conclusion, Conclusion, _l("Choose the conclusion of the inspection."))
    reason = f.check("reason", v.optional_text, reason, max_length=2000)
    if concl in CONCLUSION_STATUS and not reason and not f.has("reason"):
        f.add("reason", _l("Give the reason for suspending or revoking the code."))
    if concl == Conclusion.CORRECTIVE_ACTION:
        if corrective_deadline is None:
            f.add("corrective_deadline", _l("Set the deadline for the corrective action."))
        elif inspected_on is not None and corrective_deadline <= inspected_on:
            f.add("corrective_deadline", _l("The deadline must come after the inspection date."))
    elif corrective_deadline is not None:
        corrective_deadline = None  # a deadline only means something for corrective action
    if concl in CONCLUSION_STATUS:
        target = CONCLUSION_STATUS[concl]
        if target not in TRANSITIONS[subject.status]:
            f.add(
                "conclusion",
                _l(
                    "A code that is %(from)s cannot become %(to)s.",
                    **{"from": status_label(subject.status), "to": status_label(target)},
                ),
            )
    # The recording inspector's name, else their email (shown to members by role: registry.core.people).
    default_inspector = getattr(actor, "full_name", None) or getattr(actor, "email", None) or "—"
    inspector = f.check("inspector_name", v.optional_text, inspector_name, max_length=200) or default_inspector
    row = Inspection(
        inspected_on=inspected_on,
        inspector_name=inspector,
        growth_stage=f.check("growth_stage", v.optional_text, growth_stage, max_length=200),
        pests=f.check("pests", _pests, pests) or [],
        diary_kept=f.check("diary_kept", _yes_no, diary_kept),
        pesticides_permitted=f.check("pesticides_permitted", _yes_no, pesticides_permitted),
        sampled=bool(f.check("sampled", _yes_no, sampled)),
        sample_results=f.check("sample_results", v.optional_text, sample_results, max_length=5000),
        field_hygiene=f.check("field_hygiene", choice, field_hygiene, Hygiene, _l("Choose good, fair or poor."))
        if field_hygiene not in (None, "")
        else None,
        packaging_collected=f.check("packaging_collected", _yes_no, packaging_collected),
        conclusion=concl,
        corrective_deadline=corrective_deadline,
        reason=reason,
        notes=f.check("notes", v.optional_text, notes, max_length=5000),
        recorded_by_id=actor.id,
    )
    if row.sample_results and not row.sampled:
        f.add("sample_results", _l("Sample results need 'samples taken' to be ticked."))
    f.raise_if_any()
    setattr(row, subject_column(subject), subject.id)
    session.add(row)
    session.flush()
    if concl in CONCLUSION_STATUS:
        transition(session, subject, actor=actor, status=CONCLUSION_STATUS[concl], reason=reason, inspection=row)
    return row


def overdue_corrective_actions(session: Session, *, today: dt.date | None = None) -> list[Inspection]:
    """Inspections asking for corrective action whose deadline has passed with no later inspection since."""
    today = today or today_in_vietnam()
    later = sa.orm.aliased(Inspection)
    newer_exists = (
        sa.select(later.id)
        .where(
            sa.or_(
                sa.and_(Inspection.growing_area_id.is_not(None), later.growing_area_id == Inspection.growing_area_id),
                sa.and_(
                    Inspection.packing_house_id.is_not(None), later.packing_house_id == Inspection.packing_house_id
                ),
            ),
            later.inspected_on > Inspection.inspected_on,
        )
        .exists()
    )
    stmt = (
        sa.select(Inspection)
        .where(
            Inspection.conclusion == Conclusion.CORRECTIVE_ACTION,
            Inspection.corrective_deadline < today,
            ~newer_exists,
        )
        .order_by(Inspection.corrective_deadline)
    )
    return list(session.scalars(stmt))
