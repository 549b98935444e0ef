"""Recalls (thu hồi). Session first, never commit.

Opening a recall on a lot reaches that lot and every lot downstream of it, through splits, merges,
transformations and receipts: each gets a RecalledLot row, and Lot.open_recall_id so that a scan reads the
banner with the lot. Bulk statements, not a flush per lot: a recall reaching a thousand lots takes one walk of
the lineage, one insert and a few updates. Closing keeps the record and lifts the banner, unless another open
recall still reaches the lot.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from registry.core import validators as v
from registry.core.auth import Actor, can_see
from registry.core.db import Page, paginate, utcnow
from registry.core.errors import Conflict, Forbidden, NotFound, ValidationError
from registry.core.fields import Fields, db_int
from registry.core.i18n import _l
from registry.organizations.models import Organization
from trace.lots import lineage
from trace.lots.events import Shipment
from trace.lots.models import Lot
from trace.recall.models import Recall, RecalledLot

CHUNK = 500
STATUSES = ("open", "closed")


def _may_act(actor: Actor, organization_id: int) -> bool:
    """The department (inspectors and the admin), or a member of the organization holding the lot."""
    return actor.is_department or actor.organization_id == organization_id


def open_recall(session: Session, *, actor: Actor, lot_id: Any, reason: Any) -> Recall:
    lot = session.get(Lot, db_int(lot_id)) if db_int(lot_id) is not None else None
    f = Fields()
    if lot is None or not can_see(actor, lot.organization_id):
        f.add("lot_id", _l("Lot not found."))
    reason = f.check("reason", v.required_text, reason, max_length=2000)
    f.raise_if_any()
    if not _may_act(actor, lot.organization_id):
        raise Forbidden(_l("Only the department or the organization holding the lot can recall it."))
    if lot.open_recall_id is not None:
        raise Conflict(_l("Lot %(code)s is already under recall no. %(id)s.", code=lot.code, id=lot.open_recall_id))
    recall = Recall(lot_id=lot.id, reason=reason, opened_at=utcnow(), opened_by_id=getattr(actor, "id", None))
    session.add(recall)
    session.flush()
    depth = {lot.id: 0}
    for edge in lineage.edges(session, lot.id, lineage.Direction.DOWN):
        depth.setdefault(edge.child_lot_id, edge.depth)
    rows = [{"recall_id": recall.id, "lot_id": lot_id, "depth": d} for lot_id, d in depth.items()]
    for start in range(0, len(rows), CHUNK):
        session.execute(sa.insert(RecalledLot), rows[start : start + CHUNK])
    ids = list(depth)
    for start in range(0, len(ids), CHUNK):
        session.execute(
            sa.update(Lot)
            .where(Lot.id.in_(ids[start : start + CHUNK]), Lot.open_recall_id.is_(None))
            .values(open_recall_id=recall.id)
            .execution_options(synchronize_session=False)
        )
    session.flush()
    session.expire_all()
    return recall


def _visible(session: Session, actor: Actor, recall: Recall) -> bool:
    if actor.is_department:
        return True
    stmt = (
        sa.select(RecalledLot.lot_id)
        .join(Lot, Lot.id == RecalledLot.lot_id)
        .where(RecalledLot.recall_id == recall.id, Lot.organization_id == actor.organization_id)
        .limit(1)
    )
    return session.scalar(stmt) is not None


def get_recall(session: Session, *, actor: Actor, recall_id: Any) -> Recall:
    """Visible to the department and to every organization holding a lot the recall reaches."""
    recall = session.get(Recall, db_int(recall_id)) if db_int(recall_id) is not None else None
    if recall is None or not _visible(session, actor, recall):
        raise NotFound(_l("Recall not found."))
    return recall


def close_recall(session: Session, *, actor: Actor, recall_id: Any, note: Any) -> Recall:
    recall = get_recall(session, actor=actor, recall_id=recall_id)
    if not _may_act(actor, recall.lot.organization_id):
        raise Forbidden(_l("Only the department or the organization holding the lot can close its recall."))
    if recall.closed_at is not None:
        raise Conflict(_l("This recall is already closed."))
    f = Fields()
    note = f.check("note", v.required_text, note, max_length=2000)
    f.raise_if_any()
    recall.closed_at = utcnow()
    recall.closed_by_id = getattr(actor, "id", None)
    recall.close_note = note
    session.flush()
    reached = sa.select(RecalledLot.lot_id).where(RecalledLot.recall_id == recall.id)
    # Another open recall may still reach some of these lots: it takes over their banner.
    other = (
        sa.select(sa.func.min(RecalledLot.recall_id))
        .join(Recall, Recall.id == RecalledLot.recall_id)
        .where(RecalledLot.lot_id == Lot.id, Recall.closed_at.is_(None))
        .scalar_subquery()
    )
    session.execute(
        sa.update(Lot)
        .where(Lot.id.in_(reached))
        .values(open_recall_id=other)
        .execution_options(synchronize_session=False)
    )
    session.flush()
    session.expire_all()
    return recall


def list_recalls(
    session: Session, *, actor: Actor, status: Any = None, page: int = 1, per_page: int = 25
) -> Page[Recall]:
    if status not in (None, "") and status not in STATUSES:
        raise ValidationError({"status": [_l("Choose open or closed.")]})
    stmt = sa.select(Recall).order_by(Recall.closed_at.is_not(None), Recall.opened_at.desc(), Recall.id.desc())
    if status == "open":
        stmt = stmt.where(Recall.closed_at.is_(None))
    elif status == "closed":
        stmt = stmt.where(Recall.closed_at.is_not(None))
    if not actor.is_department:
        mine = (
            sa.select(RecalledLot.recall_id)
            .join(Lot, Lot.id == RecalledLot.lot_id)
            .where(Lot.organization_id == actor.organization_id)
        )
        stmt = stmt.where(Recall.id.in_(mine))
    return paginate(session, stmt, page=page, per_page=per_page)


def affected_lots(session: Session, recall: Recall) -> list[tuple[Lot, int]]:
    stmt = (
        sa.select(Lot, RecalledLot.depth)
        .join(RecalledLot, RecalledLot.lot_id == Lot.id)
        .where(RecalledLot.recall_id == recall.id)
        .order_by(RecalledLot.depth, Lot.id)
    )
    return [(lot, depth) for lot, depth in session.execute(stmt)]


@dataclass
class Party:
    """An organization holding affected lots, or an outside party that received some."""

    name: str
    organization_id: int | None
    lots: list[tuple[str, Decimal, str]] = field(default_factory=list)  # (lot code, quantity, unit) held
    received: list[tuple[str, Decimal, str]] = field(default_factory=list)  # (lot code, quantity, unit) shipped to it


def affected_parties(session: Session, recall: Recall) -> list[Party]:
    lots = affected_lots(session, recall)
    ids = [lot.id for lot, _ in lots]
    names = dict(
        session.execute(
            sa.select(Organization.id, Organization.name).where(
                Organization.id.in_({lot.organization_id for lot, _ in lots})
            )
        ).all()
    )
    parties: dict[tuple, Party] = {}
    for lot, _depth in lots:
        party = parties.setdefault(("org", lot.organization_id), Party(names[lot.organization_id], lot.organization_id))
        party.lots.append((lot.code, lot.quantity, lot.unit.value))
    if ids:
        codes = {lot.id: lot.code for lot, _ in lots}
        for shipment in session.scalars(sa.select(Shipment).where(Shipment.lot_id.in_(ids)).order_by(Shipment.id)):
            if shipment.receiver_organization_id is not None:
                key = ("org", shipment.receiver_organization_id)
                name = (
                    names.get(shipment.receiver_organization_id)
                    or session.get(Organization, shipment.receiver_organization_id).name
                )
                party = parties.setdefault(key, Party(name, shipment.receiver_organization_id))
            else:
                key = ("outside", shipment.receiver_name)
                party = parties.setdefault(key, Party(shipment.receiver_name, None))
            party.received.append((codes[shipment.lot_id], shipment.quantity, shipment.unit.value))
    return list(parties.values())
