"""Importing harvest lots, idempotent by product and lot code (compared without case, as the registry does).

The rules are trace.lots.services': an active growing area of the product's organization and crop, an active
packing house of the same organization if one is named, a harvest date not in the future and outside every
spray's pre-harvest interval, a plausible quantity. Each new lot gets its harvest event (and its packing event
when a house is named), as a lot created on a page does. An existing lot may have its harvest date, quantity,
unit and packing house corrected; its area is on the label and cannot change, and a voided lot stays as it is.
"""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from collections import defaultdict
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from bulk import cells
from bulk.columns import LOTS, records
from bulk.common import Organizations, chunks, reserve_ids
from bulk.report import Progress, Report
from bulk.table import Sheet
from registry.areas.models import GrowingArea
from registry.core import validators as v
from registry.core.auth import Actor
from registry.core.db import VN_TZ, today_in_vietnam, utcnow
from registry.core.i18n import _l
from registry.lifecycle.models import CodeStatus
from registry.packing.models import PackingHouse
from registry.products.models import Product
from trace.diary.models import DiaryEntry, DiaryKind
from trace.diary.phi import refusal
from trace.lots import record
from trace.lots.events import EventItem, EventKind, ItemRole, TraceEvent
from trace.lots.identifiers import CANONICAL_DL, digital_link_path, short_link_path
from trace.lots.models import Lot
from trace.lots.services import UNIT_ALIASES, quantity_ceiling


def unit_cell(value: Any) -> Any:
    unit = UNIT_ALIASES.get(cells.text(value).lower())
    if unit is None:
        raise v.FieldError(_l("The unit is kg, tonnes or pieces (KGM, TNE, H87)."))
    return unit


class Lookups:
    def __init__(self, session: Session, actor: Actor, raws: list[dict[str, Any]]) -> None:
        self.orgs = Organizations(session, actor)
        self.products: dict[int, list[Product]] = defaultdict(list)
        for product in session.scalars(sa.select(Product)):
            self.products[product.organization_id].append(product)
        area_codes = {cells.text(r["area_code"]).upper() for r in raws} - {""}
        self.areas: dict[str, GrowingArea] = {}
        for part in chunks(sorted(area_codes)):
            for area in session.scalars(sa.select(GrowingArea).where(GrowingArea.code.in_(part))).unique():
                self.areas[area.code] = area
        house_codes = sorted({cells.text(r["packing_house_code"]).upper() for r in raws} - {""})
        self.houses = {
            h.code: h
            for h in session.scalars(sa.select(PackingHouse).where(PackingHouse.code.in_(house_codes))).unique()
        }
        self.sprays: dict[int, list[DiaryEntry]] = defaultdict(list)
        ids = [a.id for a in self.areas.values()]
        for part in chunks(ids):
            stmt = sa.select(DiaryEntry).where(DiaryEntry.growing_area_id.in_(part), DiaryEntry.kind == DiaryKind.SPRAY)
            for spray in session.scalars(stmt):
                self.sprays[spray.growing_area_id].append(spray)

    def product(self, report: Report, n: int, org: int, value: Any) -> Product | None:
        text = cells.text(value)
        found = [p for p in self.products.get(org, []) if text and (p.gtin == text.zfill(14) or p.name == text)]
        if len(found) == 1:
            return found[0]
        if found:
            report.add(
                n, "product", _l("Several products of the organization are named %(name)s: give its GTIN.", name=text)
            )
        else:
            report.add(n, "product", _l("The organization has no product %(product)s.", product=text or "—"))
        return None

    def blocking(self, area_id: int, day: dt.date) -> DiaryEntry | None:
        unsafe = [
            s
            for s in self.sprays.get(area_id, [])
            if s.done_on <= day and s.safe_from is not None and day < s.safe_from
        ]
        return max(unsafe, key=lambda s: (s.safe_from, s.id)) if unsafe else None


def _row(report: Report, n: int, raw: dict[str, Any], look: Lookups, today: dt.date) -> dict[str, Any] | None:
    code = report.check(n, "code", v.lot_code, cells.text(raw["code"]))
    org = look.orgs.check(report, n, raw["organization_tax_code"])
    product = look.product(report, n, org, raw["product"]) if org is not None else None
    area = look.areas.get(cells.text(raw["area_code"]).upper())
    if area is None or area.organization_id != org:
        report.add(n, "area_code", _l("Growing area not found."))
        area = None
    elif area.status != CodeStatus.ACTIVE:
        report.add(
            n,
            "area_code",
            _l(
                "The growing area %(area)s is %(status)s; only an area with an active code can supply a lot.",
                area=area.code,
                status=area.status.value,
            ),
        )
    elif product is not None and area.crop != product.crop:
        report.add(n, "area_code", _l("The growing area and the product are of different crops."))
    house = None
    house_code = cells.text(raw["packing_house_code"]).upper()
    if house_code:
        house = look.houses.get(house_code)
        if house is None or house.organization_id != org:
            report.add(n, "packing_house_code", _l("Packing house not found."))
            house = None
        elif house.status != CodeStatus.ACTIVE:
            report.add(n, "packing_house_code", _l("Only a packing house with an active code can handle a lot."))
    day = report.check(n, "harvest_date", cells.date_cell, raw["harvest_date"])
    if day is not None and day > today:
        report.add(n, "harvest_date", _l("The harvest date cannot be in the future."))
    quantity = report.check(
        n,
        "quantity",
        cells.decimal_cell,
        raw["quantity"],
        _l("The quantity must be greater than 0."),
        max_digits=14,
        places=3,
    )
    unit = report.check(n, "unit", unit_cell, raw["unit"])
    if area is not None and quantity is not None and unit is not None and quantity > quantity_ceiling(area, unit):
        report.add(
            n,
            "quantity",
            _l(
                "No harvest of the area %(area)s could reach %(quantity)s: the ceiling for one lot is %(ceiling)s.",
                area=area.code,
                quantity=quantity,
                ceiling=quantity_ceiling(area, unit),
            ),
        )
    if area is not None and day is not None:
        spray = look.blocking(area.id, day)
        if spray is not None:
            report.add(n, "harvest_date", refusal(spray))
    if None in (code, product, area, day, quantity, unit) or report.has_errors_in(n):
        return None
    return {
        "row": n,
        "code": code,
        "product": product,
        "area": area,
        "house": house,
        "day": day,
        "quantity": quantity,
        "unit": unit,
    }


def import_lots(
    session: Session, sheets: list[Sheet], *, actor: Actor, dry_run: bool, filename: str, progress: Progress
) -> Report:
    report = Report()
    rows = records(sheets[0], LOTS)
    report.rows = len(rows)
    look, today = Lookups(session, actor, [r for _n, r in rows]), today_in_vietnam()
    parsed, seen = [], {}
    for i, (n, raw) in enumerate(rows, start=1):
        row = _row(report, n, raw, look, today)
        if row is not None:
            key = (row["product"].id, row["code"].upper())
            if key in seen:
                report.add(
                    n, "code", _l("The lot %(code)s is already on row %(row)s.", code=row["code"], row=seen[key])
                )
                continue
            seen[key] = n
            parsed.append(row)
        if i % 2000 == 0:
            progress(i)
    existing: dict[tuple[int, str], Lot] = {}
    found = []  # the keys first (a new file has none), then only the lots that exist
    for part in chunks(sorted({k for _p, k in seen}), 5000):
        stmt = sa.select(Lot.id, Lot.product_id, Lot.code_key).where(Lot.code_key.in_(part))
        found += [lot_id for lot_id, product_id, key in session.execute(stmt) if (product_id, key) in seen]
    for part in chunks(found):
        for lot in session.scalars(sa.select(Lot).where(Lot.id.in_(part))).unique():
            existing[(lot.product_id, lot.code_key)] = lot
    creates, updates = [], []
    for row in parsed:
        lot = existing.get((row["product"].id, row["code"].upper()))
        if lot is None:
            creates.append(row)
            continue
        n = row["row"]
        if lot.code != row["code"]:
            report.add(
                n,
                "code",
                _l(
                    "Lot %(existing)s already exists for this product; %(code)s differs only in capital letters.",
                    existing=lot.code,
                    code=row["code"],
                ),
            )
            continue
        if lot.growing_area_id != row["area"].id:
            report.add(
                n,
                "area_code",
                _l("The lot code, product and growing area are on the printed label and cannot be changed."),
            )
            continue
        changed = {}
        if lot.harvest_date != row["day"]:
            changed["harvest_date"] = row["day"]
        if Decimal(lot.quantity) != row["quantity"]:
            changed["quantity"] = row["quantity"]
        if lot.unit != row["unit"]:
            changed["unit"] = row["unit"]
        house_id = row["house"].id if row["house"] else None
        if lot.packing_house_id != house_id:
            changed["packing_house_id"] = house_id
        if changed and lot.voided_at is not None:
            report.add(n, "code", _l("Lot %(code)s was voided and can no longer change.", code=lot.code))
        elif ("quantity" in changed or "unit" in changed) and record.held(session, lot) != Decimal(lot.quantity):
            report.add(n, "quantity", _l("Splits, transformations or shipments already took from this lot."))
        elif changed:
            updates.append((lot, changed))
    progress(len(rows))
    report.created, report.updated = len(creates), len(updates)
    if report.errors or dry_run:
        return report
    _write(session, creates, actor, progress, len(rows))
    for lot, changed in updates:
        for key, value in changed.items():
            setattr(lot, key, value)
    session.flush()
    return report


def _label_class(code: str, token: str, product: Product, base: str) -> str:
    """trace.lots.identifiers.epc_class, from the product in hand."""
    if product.gtin:
        return CANONICAL_DL + digital_link_path(product.gtin, code)
    return base.rstrip("/") + short_link_path(token)


def _event(event_id: int, kind: EventKind, organization_id: int, actor: Actor, when: dt.datetime, **where: Any) -> dict:
    epcis_type, biz_step, disposition = record.EPCIS[kind]
    return {
        "id": event_id, "kind": kind, "epcis_id": f"urn:uuid:{uuid.uuid4()}", "epcis_type": epcis_type,
        "biz_step": biz_step, "disposition": disposition, "event_time": when, "time_zone_offset": "+07:00",
        "organization_id": organization_id, "recorded_by_id": actor.id, "growing_area_id": None,
        "packing_house_id": None, **where,
    }  # fmt: skip


def _write(session: Session, creates: list[dict[str, Any]], actor: Actor, progress: Progress, total: int) -> None:
    """Lots, their events and the events' items, chunk by chunk, as bulk INSERT statements run through the
    session (which the audit trail reads like a flush; on PostgreSQL the rows go by COPY, registry.core.copy). Ids
    are taken from the sequences first, so that rows point at each other by key; on SQLite, which has no sequences,
    they come from the table's largest id."""
    base, done, now = record.base_url(), 0, utcnow()
    for part in chunks(creates, 5000):
        houses = sum(1 for row in part if row["house"] is not None)
        lot_ids = reserve_ids(session, Lot, len(part))
        event_ids = reserve_ids(session, TraceEvent, len(part) + houses)
        item_ids = reserve_ids(session, EventItem, len(part) + houses)
        lots, events, items = [], [], []
        for row, lot_id in zip(part, lot_ids, strict=True):
            product, area, house = row["product"], row["area"], row["house"]
            token = secrets.token_urlsafe(12)
            lots.append({
                "id": lot_id, "code": row["code"], "code_key": row["code"].upper(), "product_id": product.id,
                "growing_area_id": area.id, "packing_house_id": house.id if house else None,
                "organization_id": product.organization_id, "harvest_date": row["day"], "quantity": row["quantity"],
                "unit": row["unit"], "public_token": token, "created_by_id": actor.id,
            })  # fmt: skip
            label = _label_class(row["code"], token, product, base)
            when = dt.datetime.combine(row["day"], dt.time(0), tzinfo=VN_TZ).astimezone(dt.UTC)
            steps = [
                (EventKind.HARVEST, when, {"growing_area_id": area.id, "packing_house_id": house.id if house else None})
            ]
            if house is not None:
                steps.append((EventKind.PACK, now, {"packing_house_id": house.id}))
            for kind, at, where in steps:
                event_id = event_ids[len(events)]
                events.append(_event(event_id, kind, product.organization_id, actor, at, **where))
                items.append({
                    "id": item_ids[len(items)], "event_id": event_id, "role": ItemRole.OBJECT, "lot_id": lot_id,
                    "epc_class": label, "quantity": row["quantity"], "uom": row["unit"].value,
                })  # fmt: skip
        for model, rows in ((Lot, lots), (TraceEvent, events), (EventItem, items)):
            session.execute(sa.insert(model.__table__).execution_options(copy=True), rows)
        done += len(part)
        progress(total + done)
