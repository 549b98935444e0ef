"""The code lifecycle, one mechanism for growing areas and packing houses alike.

pending -> active -> suspended <-> active -> revoked (final). A pending application may also be withdrawn by
its owner or refused by the department; both are final and neither is a revocation.

One history table and one inspection table serve every kind of coded subject: each row names exactly one
subject (a growing area or a packing house), so the department's queues are single queries.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.core.db import UTCDateTime, enum_column, utcnow
from registry.core.extensions import db


class CodeStatus(enum.StrEnum):
    PENDING = "pending"
    ACTIVE = "active"
    SUSPENDED = "suspended"
    REVOKED = "revoked"
    WITHDRAWN = "withdrawn"
    REFUSED = "refused"


TRANSITIONS: dict[CodeStatus, frozenset[CodeStatus]] = {
    CodeStatus.PENDING: frozenset({CodeStatus.ACTIVE, CodeStatus.REFUSED, CodeStatus.WITHDRAWN}),
    CodeStatus.ACTIVE: frozenset({CodeStatus.SUSPENDED, CodeStatus.REVOKED}),
    CodeStatus.SUSPENDED: frozenset({CodeStatus.ACTIVE, CodeStatus.REVOKED}),
    CodeStatus.REVOKED: frozenset(),
    CodeStatus.WITHDRAWN: frozenset(),
    CodeStatus.REFUSED: frozenset(),
}
FINAL = frozenset(s for s, targets in TRANSITIONS.items() if not targets)
# Moves that need a written reason.
NEEDS_REASON = frozenset({CodeStatus.SUSPENDED, CodeStatus.REVOKED, CodeStatus.REFUSED, CodeStatus.WITHDRAWN})
# The one move an owner makes; every other move is the department's.
OWNER_MOVES = frozenset({CodeStatus.WITHDRAWN})


class Conclusion(enum.StrEnum):
    PASS = "pass"  # noqa: S105  (an inspection outcome, not a password)
    CORRECTIVE_ACTION = "corrective_action"
    SUSPEND = "suspend"
    REVOKE = "revoke"


CONCLUSION_STATUS = {Conclusion.SUSPEND: CodeStatus.SUSPENDED, Conclusion.REVOKE: CodeStatus.REVOKED}


class Hygiene(enum.StrEnum):
    GOOD = "good"
    FAIR = "fair"
    POOR = "poor"


def _one_subject(name: str) -> sa.CheckConstraint:
    return sa.CheckConstraint("(growing_area_id IS NULL) <> (packing_house_id IS NULL)", name=name)


class Inspection(db.Model):
    """A field or facility inspection (kiểm tra, giám sát) recorded by the department."""

    __tablename__ = "inspection"
    __table_args__ = (
        _one_subject("one_subject"),
        sa.CheckConstraint(
            "conclusion <> 'corrective_action' OR corrective_deadline IS NOT NULL", name="corrective_has_deadline"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    growing_area_id: Mapped[int | None] = mapped_column(sa.ForeignKey("growing_area.id"), index=True)
    packing_house_id: Mapped[int | None] = mapped_column(sa.ForeignKey("packing_house.id"), index=True)
    inspected_on: Mapped[dt.date] = mapped_column(sa.Date, index=True)
    inspector_name: Mapped[str] = mapped_column(sa.String(200))
    growth_stage: Mapped[str | None] = mapped_column(sa.String(200))
    # [{"name": "Rệp sáp", "density": "5 con/cành"}, ...]
    pests: Mapped[list[dict[str, Any]]] = mapped_column(sa.JSON, default=list)
    diary_kept: Mapped[bool | None] = mapped_column(sa.Boolean)
    pesticides_permitted: Mapped[bool | None] = mapped_column(sa.Boolean)
    sampled: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    sample_results: Mapped[str | None] = mapped_column(sa.Text)
    field_hygiene: Mapped[Hygiene | None] = mapped_column(enum_column(Hygiene, "hygiene"))
    packaging_collected: Mapped[bool | None] = mapped_column(sa.Boolean)
    conclusion: Mapped[Conclusion] = mapped_column(enum_column(Conclusion, "conclusion"), index=True)
    corrective_deadline: Mapped[dt.date | None] = mapped_column(sa.Date)
    reason: Mapped[str | None] = mapped_column(sa.Text)
    notes: Mapped[str | None] = mapped_column(sa.Text)
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    recorded_by: Mapped[Any] = relationship("User")


class StatusChange(db.Model):
    """Who changed a code's status, when, why, and the inspection that caused it. Rows are only ever added."""

    __tablename__ = "status_change"
    __table_args__ = (_one_subject("one_subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    growing_area_id: Mapped[int | None] = mapped_column(sa.ForeignKey("growing_area.id"), index=True)
    packing_house_id: Mapped[int | None] = mapped_column(sa.ForeignKey("packing_house.id"), index=True)
    from_status: Mapped[CodeStatus | None] = mapped_column(enum_column(CodeStatus, "code_status_from"))
    to_status: Mapped[CodeStatus] = mapped_column(enum_column(CodeStatus, "code_status_to"))
    reason: Mapped[str | None] = mapped_column(sa.Text)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    inspection_id: Mapped[int | None] = mapped_column(sa.ForeignKey("inspection.id"))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    actor: Mapped[Any] = relationship("User")
    inspection: Mapped[Inspection | None] = relationship()


class CodeSerial(db.Model):
    """The last serial issued under a code prefix; the row is locked while the next one is taken."""

    __tablename__ = "code_serial"

    prefix: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    last_serial: Mapped[int] = mapped_column(sa.Integer)


class CodedMixin:
    """Columns every coded subject has. A subject also defines SUBJECT_COLUMN and issue_prefix()."""

    # The code as issued and confirmed by the department; unique across the registry.
    code: Mapped[str | None] = mapped_column(sa.String(43), unique=True)
    # A code the applicant says was issued elsewhere: provisional, never unique, until the department confirms it.
    claimed_code: Mapped[str | None] = mapped_column(sa.String(43), index=True)
    status: Mapped[CodeStatus] = mapped_column(
        enum_column(CodeStatus, "code_status"), default=CodeStatus.PENDING, index=True
    )
    status_changed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class ValidityMixin:
    """One idea of validity for every certificate (GAP now, OCOP later): dated, and revocable."""

    issued_on: Mapped[dt.date] = mapped_column(sa.Date)
    expires_on: Mapped[dt.date] = mapped_column(sa.Date, index=True)
    revoked_on: Mapped[dt.date | None] = mapped_column(sa.Date)
    revoke_reason: Mapped[str | None] = mapped_column(sa.Text)

    def is_valid(self, today: dt.date) -> bool:
        return self.revoked_on is None and self.issued_on <= today <= self.expires_on

    def validity(self, today: dt.date) -> str:
        if self.revoked_on is not None:
            return "revoked"
        if today > self.expires_on:
            return "expired"
        if today < self.issued_on:
            return "not_yet_valid"
        return "valid"
