"""The FSMA 204 electronic sortable spreadsheet (21 CFR 1.1455(c)) for a lot and its lineage.

One row per Critical Tracking Event with its Key Data Elements: harvesting, initial packing, shipping,
receiving and transformation (splits, merges and transformations all change the traceability lot code).
The registry records no cooling, so no cooling row is ever made up. Partners' captured events count when
their step is shipping or receiving, or they are transformations; other captured steps are left out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from registry.areas.models import GrowingArea
from registry.organizations.models import Organization
from registry.packing.models import PackingHouse
from trace.lots import lineage
from trace.lots.events import EventKind, ItemRole, Shipment, TraceEvent
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
    "Field / Growing Area",
)
UNITS = {"KGM": "kg", "TNE": "t", "H87": "pieces"}
DOCUMENTS = {
    "invoice": "Invoice",
    "bill_of_lading": "Bill of lading",
    "purchase_order": "Purchase order",
    "despatch_advice": "Despatch advice",
}
CTE = {
    EventKind.HARVEST: "Harvesting",
    EventKind.PACK: "Initial Packing",
    EventKind.SHIP: "Shipping",
    EventKind.RECEIVE: "Receiving",
    EventKind.SPLIT: "Transformation",
    EventKind.MERGE: "Transformation",
    EventKind.TRANSFORM: "Transformation",
}
CAPTURED_CTE = {"shipping": "Shipping", "receiving": "Receiving"}
VN = dt.timezone(dt.timedelta(hours=7))


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
    field: str = ""

    def values(self) -> list[Any]:
        return [
            self.cte, self.tlc, self.tlc_source, self.product, self.quantity, self.unit, self.location, self.date,
            self.time, self.previous_source, self.next_recipient, self.document_type, self.document_number,
            self.inputs, self.harvest_date, self.field,
        ]  # fmt: skip


def tlc(lot: Lot) -> str:
    """The traceability lot code: the GS1 element string for a product with a GTIN, else the lot code."""
    return f"(01){lot.product.gtin}(10){lot.code}" if lot.product.gtin else lot.code


def _place(subject: Any) -> str:
    if subject is None:
        return ""
    commune = getattr(subject, "commune", None)
    parts = [subject.name]
    if commune is not None:
        parts.append(f"{commune.name}, {commune.province.name}, Viet Nam")
    code = getattr(subject, "code", None)
    return "; ".join(parts) + (f" (code {code})" if code else "")


class Sheet:
    def __init__(self, session: Session, lot: Lot) -> None:
        self.session = session
        self.events = list(session.scalars(lineage.history_stmt(session, lot)))
        lot_ids = {i.lot_id for e in self.events for i in e.items if i.lot_id}
        self.lots = {x.id: x for x in session.scalars(sa.select(Lot).where(Lot.id.in_(lot_ids)))} if lot_ids else {}
        ids = [e.id for e in self.events]
        self.shipments = {}
        for s in session.scalars(
            sa.select(Shipment).where(sa.or_(Shipment.ship_event_id.in_(ids), Shipment.receive_event_id.in_(ids)))
        ):
            self.shipments[s.ship_event_id] = s
            if s.receive_event_id:
                self.shipments[s.receive_event_id] = s
        self.ship_events = {e.id: e for e in self.events if e.kind == EventKind.SHIP}

    def _org(self, organization_id: int | None) -> Organization | None:
        return self.session.get(Organization, organization_id) if organization_id else None

    def _source(self, lot: Lot) -> str:
        """Where the lot's code was assigned: its packing house, its area for a harvest, else its holder."""
        if lot.packing_house_id:
            return _place(self.session.get(PackingHouse, lot.packing_house_id))
        if lot.origin == LotOrigin.HARVEST and lot.growing_area_id:
            return _place(self.session.get(GrowingArea, lot.growing_area_id))
        return _place(self._org(lot.organization_id))

    def _where(self, event: TraceEvent) -> str:
        if event.packing_house_id:
            return _place(self.session.get(PackingHouse, event.packing_house_id))
        if event.growing_area_id:
            return _place(self.session.get(GrowingArea, event.growing_area_id))
        return _place(self._org(event.organization_id)) or (event.place or "")

    def _base(self, cte: str, event: TraceEvent, lot: Lot, quantity: Decimal | None) -> Row:
        local = event.event_time.astimezone(VN)
        return Row(
            cte=cte, tlc=tlc(lot), tlc_source=self._source(lot),
            product=f"{lot.product.name} ({lot.product.crop})", quantity=quantity, unit=UNITS.get(lot.unit.value, ""),
            location=self._where(event), date=local.date(), time=local.strftime("%H:%M") + " +07:00",
        )  # fmt: skip

    def rows(self) -> list[Row]:
        rows: list[Row] = []
        packed: set[int] = set()
        for event in self.events:
            cte = CTE.get(event.kind)
            if event.kind == EventKind.CAPTURED:
                cte = (
                    "Transformation" if event.epcis_type == "TransformationEvent" else CAPTURED_CTE.get(event.biz_step)
                )
            if cte is None:
                continue
            items = [i for i in event.items if i.lot_id in self.lots]
            if cte == "Transformation":
                inputs = "; ".join(
                    f"{tlc(self.lots[i.lot_id])} ({i.quantity} {UNITS.get(i.uom or '', i.uom or '')})"
                    for i in items
                    if i.role == ItemRole.INPUT
                )
                for item in (i for i in items if i.role == ItemRole.OUTPUT):
                    row = self._base(cte, event, self.lots[item.lot_id], item.quantity)
                    row.inputs = inputs
                    rows.append(row)
                continue
            for item in (i for i in items if i.role == ItemRole.OBJECT):
                lot = self.lots[item.lot_id]
                if event.kind == EventKind.PACK:
                    if lot.id in packed or lot.origin != LotOrigin.HARVEST:
                        continue  # only the first packing of a raw commodity is "initial packing"
                    packed.add(lot.id)
                row = self._base(cte, event, lot, item.quantity)
                if cte == "Harvesting":
                    row.harvest_date = lot.harvest_date
                    area = self.session.get(GrowingArea, lot.growing_area_id) if lot.growing_area_id else None
                    row.field = f"{area.name} ({area.code})" if area is not None and area.code else ""
                self._parties(row, event)
                rows.append(row)
        rows.sort(key=lambda r: (r.date or dt.date.min, r.time))  # stable: the order events were recorded in
        return rows

    def _parties(self, row: Row, event: TraceEvent) -> None:
        shipment = self.shipments.get(event.id)
        if shipment is None:
            return
        sender = self._org(shipment.sender_organization_id)
        receiver = self._org(shipment.receiver_organization_id)
        if event.kind == EventKind.SHIP:
            row.next_recipient = _place(receiver) if receiver is not None else shipment.receiver_name or ""
        elif event.kind == EventKind.RECEIVE:
            row.previous_source = _place(sender)
        ship = self.session.get(TraceEvent, shipment.ship_event_id)
        if ship is not None and ship.document_type:
            row.document_type = DOCUMENTS.get(ship.document_type, ship.document_type)
            row.document_number = ship.document_number or ""


def rows_for(session: Session, lot: Lot) -> list[Row]:
    return Sheet(session, lot).rows()
