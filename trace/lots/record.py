"""Recording traceability events and reading what a lot still holds. Session first, never commit.

Every step writes one TraceEvent with its items (the lots and quantities), so that the EPCIS export, the
FSMA 204 spreadsheet and lineage read one history. ``harvest_event`` is called when a lot is created.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Session

from registry.core.db import VN_TZ, utcnow
from registry.products.models import Product
from trace.lots.events import EventItem, EventKind, ItemRole, LotLink, Shipment, TraceEvent
from trace.lots.identifiers import epc_class, parse_lot_uri
from trace.lots.models import Lot

# EPCIS 2.0 event type, CBV business step and disposition of each of the registry's own steps.
EPCIS = {
    EventKind.HARVEST: ("ObjectEvent", "commissioning", "active"),
    EventKind.PACK: ("ObjectEvent", "packing", "in_progress"),
    EventKind.SHIP: ("ObjectEvent", "shipping", "in_transit"),
    EventKind.RECEIVE: ("ObjectEvent", "receiving", "in_progress"),
    EventKind.SPLIT: ("TransformationEvent", "repackaging", "active"),
    EventKind.MERGE: ("TransformationEvent", "repackaging", "active"),
    EventKind.TRANSFORM: ("TransformationEvent", "creating_class_instance", "active"),
}


@dataclass(frozen=True)
class Item:
    role: ItemRole
    lot: Lot
    quantity: Decimal | None


def base_url() -> str:
    return current_app.config["PUBLIC_BASE_URL"]


def record_event(
    session: Session,
    *,
    kind: EventKind,
    items: list[Item],
    actor: Any,
    organization_id: int | None,
    event_time: dt.datetime | None = None,
    growing_area_id: int | None = None,
    packing_house_id: int | None = None,
    place: str | None = None,
    reason: str | None = None,
    document_type: str | None = None,
    document_number: str | None = None,
) -> TraceEvent:
    """One step: who (organization, user), what (items), where (area, house or place), when, why."""
    epcis_type, biz_step, disposition = EPCIS[kind]
    event = TraceEvent(
        kind=kind,
        epcis_id=f"urn:uuid:{uuid.uuid4()}",
        epcis_type=epcis_type,
        biz_step=biz_step,
        disposition=disposition,
        event_time=event_time or utcnow(),
        time_zone_offset="+07:00",
        organization_id=organization_id,
        recorded_by_id=getattr(actor, "id", None),
        growing_area_id=growing_area_id,
        packing_house_id=packing_house_id,
        place=place,
        reason=reason,
        document_type=document_type,
        document_number=document_number,
    )
    base = base_url()
    for item in items:
        event.items.append(
            EventItem(
                role=item.role,
                lot_id=item.lot.id,
                epc_class=epc_class(item.lot, base),
                quantity=item.quantity,
                uom=item.lot.unit.value,
            )
        )
    session.add(event)
    session.flush()
    return event


def harvest_event(session: Session, lot: Lot, actor: Any) -> TraceEvent:
    """A lot's creation: at the start of its harvest day in Viet Nam, where it was grown."""
    when = dt.datetime.combine(lot.harvest_date, dt.time(0), tzinfo=VN_TZ).astimezone(dt.UTC)
    return record_event(
        session,
        kind=EventKind.HARVEST,
        items=[Item(ItemRole.OBJECT, lot, lot.quantity)],
        actor=actor,
        organization_id=lot.organization_id,
        event_time=when,
        growing_area_id=lot.growing_area_id,
        packing_house_id=lot.packing_house_id,
    )


def pack_event(session: Session, lot: Lot, house: Any, actor: Any, event_time: dt.datetime | None = None) -> TraceEvent:
    """The lot passes through a packing house (FSMA 204: initial packing)."""
    return record_event(
        session,
        kind=EventKind.PACK,
        items=[Item(ItemRole.OBJECT, lot, lot.quantity)],
        actor=actor,
        organization_id=lot.organization_id,
        event_time=event_time,
        packing_house_id=house.id,
    )


def link(session: Session, event: TraceEvent, parents: list[Lot], children: list[Lot]) -> None:
    """Lineage edges from every parent to every child of one event."""
    quantities = {i.lot_id: i.quantity for i in event.items if i.role == ItemRole.INPUT}
    for parent in parents:
        for child in children:
            session.add(
                LotLink(
                    parent_lot_id=parent.id,
                    child_lot_id=child.id,
                    event_id=event.id,
                    quantity=quantities.get(parent.id),
                )
            )
    session.flush()


def held(session: Session, lot: Lot) -> Decimal:
    """What the lot still holds: its quantity less what splits, merges and transformations took as input and
    what was shipped."""
    used = session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(EventItem.quantity), 0)).where(
            EventItem.lot_id == lot.id, EventItem.role == ItemRole.INPUT
        )
    )
    shipped = session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(Shipment.quantity), 0)).where(Shipment.lot_id == lot.id)
    )
    return Decimal(lot.quantity) - Decimal(used) - Decimal(shipped)


def lot_for_class(session: Session, uri: str) -> Lot | None:
    """The registry's lot an EPCIS class names (a Digital Link with a lot on any host, or a short link)."""
    parsed = parse_lot_uri(uri)
    if parsed is None:
        return None
    if len(parsed) == 2:
        gtin, code = parsed
        stmt = sa.select(Lot).join(Product, Lot.product_id == Product.id).where(Product.gtin == gtin, Lot.code == code)
    else:
        stmt = sa.select(Lot).where(Lot.public_token == parsed[0])
    return session.scalar(stmt)
