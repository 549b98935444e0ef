"""The department's desk: what is waiting for it. And a member's certificates about to expire."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from registry.areas.models import GapCertificate, GrowingArea
from registry.core.auth import Actor, require_department, scope
from registry.core.db import today_in_vietnam
from registry.lifecycle.models import FINAL, CodeStatus, Inspection, StatusChange
from registry.lifecycle.services import overdue_corrective_actions
from registry.packing.models import PackingHouse

EXPIRY_WINDOW_DAYS = 90
RECENT_CHANGES = 20
QUEUE_LIMIT = 200


@dataclass
class Item:
    """One line of a queue: the subject (growing area or packing house) and what puts it there."""

    kind: str  # "growing_area" | "packing_house"
    subject: Any
    inspection: Inspection | None = None
    change: StatusChange | None = None


def _kind(subject: Any) -> str:
    return "growing_area" if isinstance(subject, GrowingArea) else "packing_house"


def pending_applications(session: Session, *, actor: Actor, limit: int = QUEUE_LIMIT) -> list[Item]:
    """Applications waiting for a decision, areas and packing houses together, oldest first."""
    require_department(actor)
    items: list[Item] = []
    for model in (GrowingArea, PackingHouse):
        stmt = (
            sa.select(model).where(model.status == CodeStatus.PENDING).order_by(model.created_at, model.id).limit(limit)
        )
        items.extend(Item(_kind(s), s) for s in session.scalars(stmt))
    items.sort(key=lambda i: (i.subject.created_at, i.kind, i.subject.id))
    return items[:limit]


def _subjects(session: Session, model: type, ids: set[int]) -> dict[int, Any]:
    if not ids:
        return {}
    return {s.id: s for s in session.scalars(sa.select(model).where(model.id.in_(ids)))}


def overdue_corrective(session: Session, *, actor: Actor, today: dt.date | None = None) -> list[Item]:
    """Codes whose corrective-action deadline has passed with no inspection since; final codes left out."""
    require_department(actor)
    rows = overdue_corrective_actions(session, today=today)
    areas = _subjects(session, GrowingArea, {r.growing_area_id for r in rows if r.growing_area_id})
    houses = _subjects(session, PackingHouse, {r.packing_house_id for r in rows if r.packing_house_id})
    items = []
    for row in rows:
        subject = areas.get(row.growing_area_id) if row.growing_area_id else houses.get(row.packing_house_id)
        if subject is not None and subject.status not in FINAL:
            items.append(Item(_kind(subject), subject, inspection=row))
    return items


def expiring_certificates(
    session: Session, *, actor: Actor, days: int = EXPIRY_WINDOW_DAYS, today: dt.date | None = None
) -> list[GapCertificate]:
    """GAP certificates not revoked and not yet expired that expire within ``days``, soonest first.

    The department sees every organization's; a member its own.
    """
    today = today or today_in_vietnam()
    stmt = (
        sa.select(GapCertificate)
        .join(GrowingArea, GapCertificate.growing_area_id == GrowingArea.id)
        .where(
            GapCertificate.revoked_on.is_(None),
            GapCertificate.expires_on >= today,
            GapCertificate.expires_on <= today + dt.timedelta(days=days),
            GrowingArea.status.not_in(FINAL),
        )
        .order_by(GapCertificate.expires_on, GapCertificate.id)
        .limit(QUEUE_LIMIT)
    )
    return list(session.scalars(scope(stmt, actor, GrowingArea.organization_id)))


def recent_status_changes(session: Session, *, actor: Actor, limit: int = RECENT_CHANGES) -> list[Item]:
    """The last status changes of both kinds of code, newest first."""
    require_department(actor)
    stmt = sa.select(StatusChange).order_by(StatusChange.at.desc(), StatusChange.id.desc()).limit(limit)
    changes = list(session.scalars(stmt))
    areas = _subjects(session, GrowingArea, {c.growing_area_id for c in changes if c.growing_area_id})
    houses = _subjects(session, PackingHouse, {c.packing_house_id for c in changes if c.packing_house_id})
    items = []
    for change in changes:
        subject = areas.get(change.growing_area_id) if change.growing_area_id else houses.get(change.packing_house_id)
        if subject is not None:
            items.append(Item(_kind(subject), subject, change=change))
    return items
