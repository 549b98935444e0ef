"""Shipping part of a lot to another organization or an outside party, and receiving it. Never commit.

One step forward (Circular 17/2021: the recipient of every outgoing lot) and one step back (the supplier of
every incoming one): the receiver holds a lot of its own, linked to the one shipped.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from registry.core import validators as v
from registry.core.auth import Actor, can_see, get_visible, require_writer
from registry.core.errors import Conflict, NotFound
from registry.core.fields import Fields, db_int
from registry.core.i18n import _l
from registry.organizations.models import Organization
from trace.lots import record
from trace.lots.events import EventKind, ItemRole, Shipment
from trace.lots.models import Lot, LotOrigin
from trace.lots.steps import DOCUMENT_TYPES, _amount, _code, _lot, _new_lot, _usable, _when, _within


def ship(
    session: Session,
    *,
    actor: Actor,
    lot_id: Any,
    quantity: Any,
    receiver_organization_id: Any = None,
    receiver_name: Any = None,
    shipped_at: Any = None,
    document_type: Any = None,
    document_number: Any = None,
) -> Shipment:
    """Send part of a lot: to an organization of the registry, which then receives it, or to an outside party."""
    lot = _lot(session, actor, lot_id)
    _usable(lot)
    f = Fields()
    amount = _amount(f, "quantity", quantity)
    _within(f, "quantity", lot, amount, record.held(session, lot))
    receiver = None
    name = f.check("receiver_name", v.optional_text, receiver_name, max_length=300)
    if receiver_organization_id not in (None, "") and name:
        f.add("receiver_name", _l("Name either an organization of the registry or an outside party, not both."))
    elif receiver_organization_id not in (None, ""):
        rid = db_int(receiver_organization_id)
        receiver = session.get(Organization, rid) if rid is not None else None
        if receiver is None:
            f.add(
                "receiver_organization_id", _l("There is no organization with id %(id)s.", id=receiver_organization_id)
            )
        elif receiver.id == lot.organization_id:
            f.add("receiver_organization_id", _l("A lot cannot be shipped to the organization that holds it."))
            receiver = None
    elif not name and not f.has("receiver_name"):
        f.add("receiver_organization_id", _l("Name the receiver: an organization of the registry or an outside party."))
    when = _when(f, "shipped_at", shipped_at)
    doc_type = None
    if document_type not in (None, ""):
        if document_type not in DOCUMENT_TYPES:
            f.add(
                "document_type",
                _l("The document is an invoice, a bill of lading, a purchase order or a despatch advice."),
            )
        doc_type = document_type
    number = f.check("document_number", v.optional_text, document_number, max_length=100)
    if number and not doc_type and not f.has("document_type"):
        f.add("document_type", _l("Say what kind of document the number belongs to."))
    f.raise_if_any()
    event = record.record_event(
        session, kind=EventKind.SHIP, items=[record.Item(ItemRole.OBJECT, lot, amount)], actor=actor,
        organization_id=lot.organization_id, event_time=when, packing_house_id=lot.packing_house_id,
        place=receiver.name if receiver is not None else name, document_type=doc_type, document_number=number,
    )  # fmt: skip
    shipment = Shipment(
        lot_id=lot.id, quantity=amount, unit=lot.unit, sender_organization_id=lot.organization_id,
        receiver_organization_id=receiver.id if receiver is not None else None,
        receiver_name=None if receiver is not None else name, shipped_at=event.event_time, ship_event_id=event.id,
    )  # fmt: skip
    session.add(shipment)
    session.flush()
    return shipment


def get_shipment(session: Session, *, actor: Actor, shipment_id: Any) -> Shipment:
    """Visible to the sender, the receiving organization and the department; 404 to anyone else."""
    row = session.get(Shipment, db_int(shipment_id)) if db_int(shipment_id) is not None else None
    if row is None or not (can_see(actor, row.sender_organization_id) or can_see(actor, row.receiver_organization_id)):
        raise NotFound(_l("Shipment not found."))
    return row


def receive(session: Session, *, actor: Actor, shipment_id: Any, code: Any = None, received_at: Any = None) -> Shipment:
    """The receiving organization takes the shipment in: it now holds a lot of its own, linked to the one sent."""
    shipment = get_shipment(session, actor=actor, shipment_id=shipment_id)
    if shipment.receiver_organization_id is None:
        raise Conflict(_l("This shipment went to an outside party; nobody in the registry receives it."))
    require_writer(actor, shipment.receiver_organization_id)
    if shipment.received_at is not None:
        raise Conflict(_l("This shipment was already received."))
    source = shipment.lot
    f = Fields()
    if code in (None, ""):
        code = f"R{shipment.id}-{source.code}"[:20]
    new_code = _code(f, session, "code", source.product, code, set())
    when = _when(f, "received_at", received_at)
    f.raise_if_any()
    held = _new_lot(
        source, code=new_code, quantity=shipment.quantity, origin=LotOrigin.RECEIVE, actor=actor,
        organization_id=shipment.receiver_organization_id, packing_house_id=None,
    )  # fmt: skip
    session.add(held)
    session.flush()
    event = record.record_event(
        session, kind=EventKind.RECEIVE, items=[record.Item(ItemRole.OBJECT, held, held.quantity)], actor=actor,
        organization_id=shipment.receiver_organization_id, event_time=when, place=None,
    )  # fmt: skip
    record.link(session, event, [source], [held])
    shipment.received_at = event.event_time
    shipment.receive_event_id = event.id
    shipment.received_lot_id = held.id
    session.flush()
    return shipment


def shipments_of(session: Session, *, actor: Actor, lot_id: Any) -> list[Shipment]:
    """Read by the lot's organization and by the department (inspectors included)."""
    lot = get_visible(session, Lot, lot_id, actor=actor, not_found=_l("Lot not found."))
    return list(session.scalars(sa.select(Shipment).where(Shipment.lot_id == lot.id).order_by(Shipment.id)))


def incoming(session: Session, *, actor: Actor) -> list[Shipment]:
    """Shipments sent to the actor's organization and not yet received, oldest first."""
    stmt = sa.select(Shipment).where(Shipment.received_at.is_(None)).order_by(Shipment.shipped_at, Shipment.id)
    if not actor.is_department:
        stmt = stmt.where(Shipment.receiver_organization_id == actor.organization_id)
    return list(session.scalars(stmt.limit(200)))
