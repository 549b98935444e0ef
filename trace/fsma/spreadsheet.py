"""The FSMA 204 electronic sortable spreadsheet (21 CFR 1.1455(c)) of a lot and its whole lineage.

One row per Critical Tracking Event (CTE) with its Key Data Elements, for the lot and every lot it came from
or went into, to any depth, whichever organization holds them (the FDA asks for the whole chain the firm
knows; only the columns below are shown):

- harvest -> Harvesting; a lot's creation from a growing area.
- pack -> Initial Packing, when it is the first packing of a raw agricultural commodity: no earlier packing
  of the lot or of any lot it came from, and nothing in its past was transformed into another product. A later
  packing keeps the traceability lot code (TLC) and is no CTE of its own, so it makes no row.
- ship -> Shipping; receive -> Receiving (the party at the other end comes from the shipment).
- split, merge, transform -> Transformation: each makes lots with new codes, and the rule treats a new TLC
  as a transformation. One row per output lot, listing the input TLCs with their quantities.
- Cooling: the registry records no cooling, so no such row is ever made up; a captured event whose step is
  named cooling (CBV has no such step: a partner's own step URI ending in "cooling") gets one.
- Captured (partner EPCIS) events count by their bizStep: commissioning (as the registry's own harvest is
  exported), packing, shipping, receiving, cooling; a TransformationEvent is a Transformation whatever its
  step. Other steps (inspecting, storing, loading...) are no CTE and are left out.

A receipt gives the received goods a lot code of the receiver's own: the Receiving row carries that code,
and the reference document (the shipper's invoice or bill of lading) ties it to the Shipping row.
Dates and times are Viet Nam's (UTC+07:00). Rows are sorted by event time, then TLC.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from registry.areas.models import GrowingArea
from registry.core.db import VN_TZ
from registry.organizations.models import Organization
from registry.packing.models import PackingHouse
from trace.fsma.kde import (
    DOCUMENTS,
    bare,
    class_tlc,
    describe,
    format_quantity,
    party,
    product_description,
    tlc,
    unit_name,
)
from trace.lots import lineage
from trace.lots.events import EventItem, EventKind, ItemRole, Shipment, TraceEvent
from trace.lots.models import Lot, LotOrigin

COLUMNS = (
    "Critical Tracking Event",
    "Traceability Lot Code",
    "Traceability Lot Code Source",
    "Product Description",
    "Quantity",
    "Unit of Measure",
    "Location Description",
    "Date",
    "Time",
    "Immediate Previous Source",
    "Immediate Subsequent Recipient",
    "Reference Document Type",
    "Reference Document Number",
    "Input Traceability Lot Codes",
    "Harvest Date",
    "Field/Growing Area",
)
HARVESTING, COOLING, INITIAL_PACKING = "Harvesting", "Cooling", "Initial Packing"
SHIPPING, RECEIVING, TRANSFORMATION = "Shipping", "Receiving", "Transformation"
CTE = {
    EventKind.HARVEST: HARVESTING,
    EventKind.PACK: INITIAL_PACKING,
    EventKind.SHIP: SHIPPING,
    EventKind.RECEIVE: RECEIVING,
    EventKind.SPLIT: TRANSFORMATION,
    EventKind.MERGE: TRANSFORMATION,
    EventKind.TRANSFORM: TRANSFORMATION,
}
# A captured event's CBV business step (stored without its prefix) -> its CTE; any other step is left out.
CAPTURED_CTE = {
    "commissioning": HARVESTING,
    "packing": INITIAL_PACKING,
    "shipping": SHIPPING,
    "receiving": RECEIVING,
    "cooling": COOLING,
}


@dataclass
class Row:
    cte: str
    tlc: str
    tlc_source: str = ""
    product: str = ""
    quantity: Decimal | None = None
    unit: str = ""
    location: str = ""
    date: dt.date | None = None
    time: str = ""
    previous_source: str = ""
    next_recipient: str = ""
    document_type: str = ""
    document_number: str = ""
    inputs: str = ""
    harvest_date: dt.date | None = None
    field_name: str = ""
    sort_key: tuple = field(default=(), repr=False, compare=False)

    def values(self) -> list[Any]:
        """The cells in COLUMNS order: text, a Decimal quantity, dates, or None when not applicable."""
        return [
            self.cte, self.tlc, self.tlc_source, self.product, self.quantity, self.unit, self.location, self.date,
            self.time, self.previous_source, self.next_recipient, self.document_type, self.document_number,
            self.inputs, self.harvest_date, self.field_name,
        ]  # fmt: skip


class Sheet:
    """The rows for one lot, loading the lineage's events, lots and shipments once."""

    def __init__(self, session: Session, lot: Lot) -> None:
        self.session = session
        self.ids = {lot.id} | lineage.reached(session, lot.id, lineage.Direction.UP)
        self.ids |= lineage.reached(session, lot.id, lineage.Direction.DOWN)
        touching = sa.select(EventItem.event_id).where(EventItem.lot_id.in_(self.ids))
        self.events = list(
            session.scalars(
                sa.select(TraceEvent)
                .where(TraceEvent.id.in_(touching))
                .options(selectinload(TraceEvent.items))
                .order_by(TraceEvent.event_time, TraceEvent.id)
            )
        )
        lot_ids = {i.lot_id for e in self.events for i in e.items if i.lot_id}
        self.lots = {x.id: x for x in lineage.lots_by_id(session, list(lot_ids))}
        self.shipments: dict[int, Shipment] = {}
        event_ids = [e.id for e in self.events]
        if event_ids:
            stmt = sa.select(Shipment).where(
                sa.or_(Shipment.ship_event_id.in_(event_ids), Shipment.receive_event_id.in_(event_ids))
            )
            for shipment in session.scalars(stmt):
                self.shipments[shipment.ship_event_id] = shipment
                if shipment.receive_event_id is not None:
                    self.shipments[shipment.receive_event_id] = shipment
        # The event that made each lot: its harvest or receipt, or the split, merge or transformation it came out of.
        self.made_by: dict[int, TraceEvent] = {}
        for event in self.events:
            for item in event.items:
                made = item.role == ItemRole.OUTPUT or event.kind in (EventKind.HARVEST, EventKind.RECEIVE)
                if made and item.lot_id and event.kind != EventKind.CAPTURED:
                    self.made_by.setdefault(item.lot_id, event)

    # ------------------------------------------------------------ places

    def _get(self, model: type, key: int | None) -> Any:
        return self.session.get(model, key) if key is not None else None

    def _where(self, event: TraceEvent) -> str:
        """Where the event happened: the growing area for a harvest, else the packing house, the area, the
        organization; for a partner's event its business location or read point as it names them."""
        if event.kind == EventKind.CAPTURED:
            body = event.captured or {}
            for key in ("bizLocation", "readPoint"):
                place = body.get(key)
                if isinstance(place, dict) and isinstance(place.get("id"), str):
                    return place["id"]
            return describe(self._get(Organization, event.organization_id))
        order = (
            ((GrowingArea, event.growing_area_id), (PackingHouse, event.packing_house_id))
            if event.kind == EventKind.HARVEST
            else ((PackingHouse, event.packing_house_id), (GrowingArea, event.growing_area_id))
        )
        for model, key in (*order, (Organization, event.organization_id)):
            if key is not None:
                return describe(self._get(model, key))
        return event.place or ""

    def _source(self, lot: Lot) -> str:
        """The TLC source: where the lot, and so its code, was made."""
        event = self.made_by.get(lot.id)
        if event is None:  # not expected: every lot is made by one of the registry's steps
            house = lot.packing_house_id
            area = lot.growing_area_id if lot.origin == LotOrigin.HARVEST else None
        else:
            house = lot.packing_house_id if event.kind == EventKind.MERGE else event.packing_house_id
            area = event.growing_area_id if event.kind in (EventKind.HARVEST, EventKind.SPLIT) else None
        if house is not None:
            return describe(self._get(PackingHouse, house))
        if area is not None:
            return describe(self._get(GrowingArea, area))
        return describe(self._get(Organization, lot.organization_id))

    # ------------------------------------------------------------ rows

    def _cte(self, event: TraceEvent) -> str | None:
        if event.kind != EventKind.CAPTURED:
            return CTE[event.kind]
        if event.epcis_type == "TransformationEvent":
            return TRANSFORMATION
        # A CBV step is stored bare ("shipping"); a partner's own step is a URI: its last segment names it.
        step = re.split(r"[/#:]", event.biz_step or "")[-1].lower()
        return CAPTURED_CTE.get(step)

    def _row(self, cte: str, event: TraceEvent, item: EventItem) -> Row:
        when = event.event_time if event.event_time.tzinfo else event.event_time.replace(tzinfo=dt.UTC)
        local = when.astimezone(VN_TZ)
        lot = self.lots.get(item.lot_id) if item.lot_id else None
        code = tlc(lot) if lot is not None else class_tlc(item.epc_class)
        return Row(
            cte=cte, tlc=code, tlc_source=self._source(lot) if lot is not None else "",
            product=product_description(lot) if lot is not None else "", quantity=item.quantity,
            unit=unit_name(item.uom or (lot.unit.value if lot is not None else None)), location=self._where(event),
            date=local.date(), time=local.isoformat(timespec="minutes")[11:], sort_key=(when, code, event.id),
        )  # fmt: skip

    def _inputs(self, event: TraceEvent) -> str:
        listed = []
        for item in event.items:
            if item.role != ItemRole.INPUT:
                continue
            lot = self.lots.get(item.lot_id) if item.lot_id else None
            code = tlc(lot) if lot is not None else class_tlc(item.epc_class)
            amount = (
                f"{format_quantity(item.quantity)} {unit_name(item.uom)}".strip() if item.quantity is not None else ""
            )
            listed.append(f"{code} ({amount})" if amount else code)
        return "; ".join(listed)

    def rows(self) -> list[Row]:
        rows: list[Row] = []
        for event in self.events:
            cte = self._cte(event)
            if cte is None:
                continue  # a captured step that is no CTE
            if cte == TRANSFORMATION:
                inputs = self._inputs(event)
                for item in event.items:
                    # Outputs in the lineage, or a partner's own lots; a split's other parts are no lineage of this lot.
                    if item.role == ItemRole.OUTPUT and (item.lot_id is None or item.lot_id in self.ids):
                        row = self._row(cte, event, item)
                        row.inputs = inputs
                        rows.append(row)
                continue
            for item in event.items:
                if item.role != ItemRole.OBJECT or item.lot_id not in self.ids:
                    continue
                lot = self.lots[item.lot_id]
                if cte == INITIAL_PACKING and not self._initial_packing(event, lot):
                    continue
                row = self._row(cte, event, item)
                if cte in (HARVESTING, INITIAL_PACKING):
                    # 21 CFR 1.1325 and 1.1330: the harvest date and the field it came from.
                    area = self._get(GrowingArea, lot.growing_area_id)
                    row.harvest_date = lot.harvest_date
                    row.field_name = (area.code or area.name) if area is not None else ""
                self._parties(row, event)
                rows.append(row)
        rows.sort(key=lambda r: r.sort_key)
        return rows

    def _initial_packing(self, event: TraceEvent, lot: Lot) -> bool:
        """The first packing of a raw agricultural commodity: no lot in its past was transformed, and neither
        it nor any lot it came from was packed before."""
        past = {lot.id} | lineage.reached(self.session, lot.id, lineage.Direction.UP)
        if any(x.origin == LotOrigin.TRANSFORM for x in lineage.lots_by_id(self.session, list(past))):
            return False
        packing = sa.or_(
            TraceEvent.kind == EventKind.PACK,
            sa.and_(TraceEvent.kind == EventKind.CAPTURED, TraceEvent.biz_step == "packing"),
        )
        earlier = sa.or_(
            TraceEvent.event_time < event.event_time,
            sa.and_(TraceEvent.event_time == event.event_time, TraceEvent.id < event.id),
        )
        stmt = (
            sa.select(TraceEvent.id)
            .join(EventItem, EventItem.event_id == TraceEvent.id)
            .where(EventItem.lot_id.in_(past), EventItem.role == ItemRole.OBJECT, packing, earlier)
            .limit(1)
        )
        return self.session.scalar(stmt) is None

    def _parties(self, row: Row, event: TraceEvent) -> None:
        """The party at the other end of a shipping or receiving, and the document behind it."""
        if event.kind == EventKind.CAPTURED:
            self._captured_parties(row, event.captured or {})
            return
        shipment = self.shipments.get(event.id)
        if shipment is None:
            row.document_type = DOCUMENTS.get(event.document_type or "", event.document_type or "")
            row.document_number = event.document_number or ""
            return
        if event.kind == EventKind.SHIP:
            receiver = self._get(Organization, shipment.receiver_organization_id)
            row.next_recipient = describe(receiver) if receiver is not None else shipment.receiver_name or ""
        elif event.kind == EventKind.RECEIVE:
            row.previous_source = describe(self._get(Organization, shipment.sender_organization_id))
        ship = self.session.get(TraceEvent, shipment.ship_event_id)
        if ship is not None and ship.document_type:
            row.document_type = DOCUMENTS.get(ship.document_type, ship.document_type)
            row.document_number = ship.document_number or ""

    def _captured_parties(self, row: Row, body: dict) -> None:
        if row.cte == SHIPPING:
            row.next_recipient = party(body.get("destinationList"), "destination")
        elif row.cte == RECEIVING:
            row.previous_source = party(body.get("sourceList"), "source")
        for entry in body.get("bizTransactionList") or []:
            if isinstance(entry, dict) and isinstance(entry.get("bizTransaction"), str):
                kind = bare(entry.get("type"))
                row.document_type = DOCUMENTS.get(kind, kind)
                row.document_number = entry["bizTransaction"]
                break


def rows_for(session: Session, lot: Lot) -> list[Row]:
    return Sheet(session, lot).rows()
