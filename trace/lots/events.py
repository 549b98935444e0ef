"""Traceability events (TCVN 12850: who, what, where, when, why) and the lineage they make between lots.

Every step is one ``TraceEvent``: a harvest (a lot's creation), packing, shipping, receiving, a split, a merge,
a transformation, or an event captured from a partner's EPCIS document. Its lots and quantities are
``EventItem`` rows (inputs, outputs, or the observed object), each with the EPCIS class it is known by, so
that captured events about the registry's own lots find them. ``LotLink`` rows are the lineage edges
(parent lot -> child lot) that splits, merges, transformations and receipts create, for the recursive
queries "one step back, one step forward" to any depth.
"""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.core.db import UTCDateTime, enum_column, utcnow
from registry.core.extensions import db
from trace.lots.models import Lot, Unit


class EventKind(enum.StrEnum):
    HARVEST = "harvest"
    PACK = "pack"
    SHIP = "ship"
    RECEIVE = "receive"
    SPLIT = "split"
    MERGE = "merge"
    TRANSFORM = "transform"
    CAPTURED = "captured"  # from a partner's EPCIS document; its type and step are in the document


class ItemRole(enum.StrEnum):
    OBJECT = "object"  # what an ObjectEvent observes (harvest, pack, ship, receive)
    INPUT = "input"
    OUTPUT = "output"


class TraceEvent(db.Model):
    __tablename__ = "trace_event"
    __table_args__ = (sa.Index("ix_trace_event_time", "event_time"), sa.Index("ix_trace_event_biz_step", "biz_step"))

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[EventKind] = mapped_column(enum_column(EventKind, "event_kind"))
    # EPCIS: eventID (a urn:uuid), the event type and business step as EPCIS names them.
    epcis_id: Mapped[str] = mapped_column(sa.String(100), unique=True)
    epcis_type: Mapped[str] = mapped_column(sa.String(30))
    biz_step: Mapped[str | None] = mapped_column(sa.String(200))
    disposition: Mapped[str | None] = mapped_column(sa.String(200))
    # When (UTC) and the offset it was recorded in, which EPCIS keeps as eventTimeZoneOffset.
    event_time: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    time_zone_offset: Mapped[str] = mapped_column(sa.String(6), default="+07:00")
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Who: the organization whose step it is, and the user who recorded it (none for a captured event).
    organization_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organization.id"), index=True)
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    # Where: an area, a packing house, or a place described in words (an outside party, a partner's site).
    growing_area_id: Mapped[int | None] = mapped_column(sa.ForeignKey("growing_area.id"))
    packing_house_id: Mapped[int | None] = mapped_column(sa.ForeignKey("packing_house.id"))
    place: Mapped[str | None] = mapped_column(sa.String(300))
    # Why: the reason given, and the business document behind it (invoice, bill of lading) for FSMA 204.
    reason: Mapped[str | None] = mapped_column(sa.Text)
    document_type: Mapped[str | None] = mapped_column(sa.String(50))
    document_number: Mapped[str | None] = mapped_column(sa.String(100))
    # A captured event keeps the partner's JSON as received, and answers with it in EPCIS queries.
    captured: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)

    items: Mapped[list[EventItem]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="EventItem.id"
    )


class EventItem(db.Model):
    __tablename__ = "trace_event_item"
    __table_args__ = (sa.CheckConstraint("quantity IS NULL OR quantity > 0", name="quantity_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("trace_event.id", ondelete="CASCADE"), index=True)
    role: Mapped[ItemRole] = mapped_column(enum_column(ItemRole, "item_role"))
    # The registry's lot, when the class is one of its own; the class is always set.
    lot_id: Mapped[int | None] = mapped_column(sa.ForeignKey("lot.id"), index=True)
    epc_class: Mapped[str] = mapped_column(sa.String(500), index=True)
    quantity: Mapped[Decimal | None] = mapped_column(sa.Numeric(14, 3))
    # UN/ECE Rec 20; a captured event may use codes beyond the registry's three.
    uom: Mapped[str | None] = mapped_column(sa.String(3))

    event: Mapped[TraceEvent] = relationship(back_populates="items")
    lot: Mapped[Lot | None] = relationship()


class LotLink(db.Model):
    """One lineage edge: ``child`` was made from (part of) ``parent`` by ``event``."""

    __tablename__ = "lot_link"
    __table_args__ = (
        sa.UniqueConstraint("parent_lot_id", "child_lot_id", "event_id"),
        sa.CheckConstraint("parent_lot_id <> child_lot_id", name="not_itself"),
        sa.Index("ix_lot_link_child", "child_lot_id", "parent_lot_id"),
        sa.Index("ix_lot_link_parent", "parent_lot_id", "child_lot_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    parent_lot_id: Mapped[int] = mapped_column(sa.ForeignKey("lot.id"))
    child_lot_id: Mapped[int] = mapped_column(sa.ForeignKey("lot.id"))
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("trace_event.id"), index=True)
    quantity: Mapped[Decimal | None] = mapped_column(sa.Numeric(14, 3))


class Shipment(db.Model):
    """Part of a lot sent to another organization of the registry, or to an outside party."""

    __tablename__ = "shipment"
    __table_args__ = (
        sa.CheckConstraint("quantity > 0", name="quantity_positive"),
        sa.CheckConstraint("(receiver_organization_id IS NULL) <> (receiver_name IS NULL)", name="one_receiver"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    lot_id: Mapped[int] = mapped_column(sa.ForeignKey("lot.id"), index=True)
    quantity: Mapped[Decimal] = mapped_column(sa.Numeric(14, 3))
    unit: Mapped[Unit] = mapped_column(enum_column(Unit, "shipment_unit"))
    sender_organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id"), index=True)
    receiver_organization_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organization.id"), index=True)
    receiver_name: Mapped[str | None] = mapped_column(sa.String(300))
    shipped_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    ship_event_id: Mapped[int] = mapped_column(sa.ForeignKey("trace_event.id"))
    received_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    receive_event_id: Mapped[int | None] = mapped_column(sa.ForeignKey("trace_event.id"))
    # The lot the receiver holds from then on (its own code and label).
    received_lot_id: Mapped[int | None] = mapped_column(sa.ForeignKey("lot.id"))

    lot: Mapped[Lot] = relationship(foreign_keys=[lot_id])
    received_lot: Mapped[Lot | None] = relationship(foreign_keys=[received_lot_id])
