"""The registry's events as EPCIS 2.0 JSON-LD (standards.md: the mapping of farm steps).

Harvest: ObjectEvent ADD, bizStep commissioning. Packing, shipping and receiving: ObjectEvent OBSERVE, with
sourceList/destinationList for the parties. Splits, merges and transformations: TransformationEvent with input
and output quantity lists. A lot is named by its class: the canonical Digital Link for a product with a GTIN,
else its short label link. A captured event answers as the partner sent it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from urllib.parse import quote

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from registry.areas.models import GrowingArea
from registry.core.db import utcnow
from registry.organizations.models import Organization
from registry.packing.models import PackingHouse
from trace.epcis.schema import CONTEXT
from trace.lots.events import EventItem, EventKind, ItemRole, Shipment, TraceEvent
from trace.lots.identifiers import epc_class
from trace.lots.models import Lot

BTT = {"invoice": "inv", "bill_of_lading": "bol", "purchase_order": "po", "despatch_advice": "desadv"}


def _time(value: dt.datetime, offset: str) -> str:
    sign = -1 if offset.startswith("-") else 1
    hours, minutes = offset[1:].split(":")
    tz = dt.timezone(sign * dt.timedelta(hours=int(hours), minutes=int(minutes)))
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(tz).isoformat(timespec="milliseconds")


def _number(value: Decimal | None) -> float | int | None:
    if value is None:
        return None
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


class Context:
    """What an export needs besides the events: the base URL and the rows the events point at, loaded once."""

    def __init__(self, session: Session, events: list[TraceEvent], base_url: str) -> None:
        self.base = base_url.rstrip("/")
        items = [i for e in events for i in e.items]
        lot_ids = {i.lot_id for i in items if i.lot_id}
        self.lots = {x.id: x for x in session.scalars(sa.select(Lot).where(Lot.id.in_(lot_ids)))} if lot_ids else {}
        self.areas = self._load(session, GrowingArea, {e.growing_area_id for e in events})
        self.houses = self._load(session, PackingHouse, {e.packing_house_id for e in events})
        ids = {e.id for e in events}
        self.shipments: dict[int, Shipment] = {}
        if ids:
            stmt = sa.select(Shipment).where(
                sa.or_(Shipment.ship_event_id.in_(ids), Shipment.receive_event_id.in_(ids))
            )
            for row in session.scalars(stmt):
                self.shipments[row.ship_event_id] = row
                if row.receive_event_id:
                    self.shipments[row.receive_event_id] = row
        org_ids = {e.organization_id for e in events} | {
            o for s in self.shipments.values() for o in (s.sender_organization_id, s.receiver_organization_id)
        }
        self.orgs = self._load(session, Organization, org_ids)

    @staticmethod
    def _load(session: Session, model: type, ids: set) -> dict:
        ids = {i for i in ids if i}
        return {row.id: row for row in session.scalars(sa.select(model).where(model.id.in_(ids)))} if ids else {}

    def organization_uri(self, organization_id: int) -> str:
        return f"{self.base}/organizations/{organization_id}"

    def party_uri(self, name: str) -> str:
        return f"{self.base}/parties/{quote(name, safe='')}"

    def location(self, event: TraceEvent) -> str | None:
        subject = self.houses.get(event.packing_house_id) or self.areas.get(event.growing_area_id)
        if subject is not None and subject.code:
            return f"{self.base}/codes/{quote(subject.code, safe='')}"
        if event.organization_id:
            return self.organization_uri(event.organization_id)
        return None

    def epc_class(self, item: EventItem) -> str:
        lot = self.lots.get(item.lot_id) if item.lot_id else None
        return epc_class(lot, self.base) if lot is not None else item.epc_class


def _quantities(ctx: Context, items: list[EventItem]) -> list[dict[str, Any]]:
    out = []
    for item in items:
        element: dict[str, Any] = {"epcClass": ctx.epc_class(item)}
        if item.quantity is not None:
            element["quantity"] = _number(item.quantity)
            if item.uom:
                element["uom"] = item.uom
        out.append(element)
    return out


def event_json(ctx: Context, event: TraceEvent) -> dict[str, Any]:
    if event.kind == EventKind.CAPTURED and event.captured is not None:
        return event.captured
    body: dict[str, Any] = {
        "type": event.epcis_type,
        "eventTime": _time(event.event_time, event.time_zone_offset),
        "eventTimeZoneOffset": event.time_zone_offset,
        "recordTime": _time(event.recorded_at, "+00:00").replace("+00:00", "Z"),
        "eventID": event.epcis_id,
    }
    by_role = {role: [i for i in event.items if i.role == role] for role in ItemRole}
    if event.epcis_type == "TransformationEvent":
        body["inputQuantityList"] = _quantities(ctx, by_role[ItemRole.INPUT])
        body["outputQuantityList"] = _quantities(ctx, by_role[ItemRole.OUTPUT])
    else:
        body["action"] = "ADD" if event.kind == EventKind.HARVEST else "OBSERVE"
        body["quantityList"] = _quantities(ctx, by_role[ItemRole.OBJECT])
    if event.biz_step:
        body["bizStep"] = event.biz_step
    if event.disposition:
        body["disposition"] = event.disposition
    where = ctx.location(event)
    if where:
        body["readPoint"] = {"id": where}
        body["bizLocation"] = {"id": where}
    if event.document_type in BTT and event.document_number:
        body["bizTransactionList"] = [
            {
                "type": BTT[event.document_type],
                "bizTransaction": f"{ctx.base}/documents/{event.document_type}/{quote(event.document_number, safe='')}",
            }
        ]
    shipment = ctx.shipments.get(event.id)
    if shipment is not None:
        source = ctx.organization_uri(shipment.sender_organization_id)
        if shipment.receiver_organization_id:
            destination = ctx.organization_uri(shipment.receiver_organization_id)
        else:
            destination = ctx.party_uri(shipment.receiver_name)
        body["sourceList"] = [{"type": "owning_party", "source": source}]
        body["destinationList"] = [{"type": "owning_party", "destination": destination}]
    return body


def load_events(session: Session, stmt: sa.Select) -> list[TraceEvent]:
    return list(session.scalars(stmt.options(selectinload(TraceEvent.items))))


def query_document(session: Session, events: list[TraceEvent], base_url: str) -> dict[str, Any]:
    """An EPCISQueryDocument answering a SimpleEventQuery with ``events``."""
    ctx = Context(session, events, base_url)
    return {
        "@context": [CONTEXT],
        "type": "EPCISQueryDocument",
        "schemaVersion": "2.0",
        "creationDate": utcnow().isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "epcisBody": {
            "queryResults": {
                "queryName": "SimpleEventQuery",
                "resultsBody": {"eventList": [event_json(ctx, e) for e in events]},
            }
        },
    }
