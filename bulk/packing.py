"""Importing packing houses, idempotent by code, on the same status rules as areas (bulk.common)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from bulk import cells
from bulk.columns import PACKING_HOUSES, records
from bulk.common import (
    ISSUED,
    Organizations,
    chunks,
    history_row,
    in_chunks,
    match,
    new_status,
    row_key,
    status_cell,
    status_move,
    uncoded,
)
from bulk.places import Places
from bulk.report import Progress, Report
from bulk.table import Sheet
from registry.areas.models import GrowingArea
from registry.core import validators as v
from registry.core.auth import Actor
from registry.core.db import utcnow
from registry.core.i18n import _l
from registry.lifecycle import services as lifecycle
from registry.lifecycle.models import FINAL, CodeStatus
from registry.packing.models import PackingHouse

FIELDS = ("name", "address", "capacity_t_per_day", "commune_code", "legacy_place")


def _row(report: Report, n: int, raw: dict[str, Any], orgs: Organizations, places: Places) -> dict[str, Any]:
    out: dict[str, Any] = {"row": n}
    out["coded"] = bool(cells.text(raw["code"]))
    out["code"] = report.check(n, "code", cells.code_key, raw["code"]) if out["coded"] else None
    out["name"] = report.check(n, "name", v.required_text, cells.text(raw["name"]), max_length=200)
    out["organization_id"] = orgs.check(report, n, raw["organization_tax_code"])
    out["address"] = report.check(n, "address", v.optional_text, cells.text(raw["address"]), max_length=300)
    out["capacity_t_per_day"] = report.check(
        n,
        "capacity_t_per_day",
        cells.optional_decimal_cell,
        raw["capacity_t_per_day"],
        _l("Enter the capacity in tonnes a day, greater than 0."),
        max_digits=10,
        places=2,
    )
    out["legacy_place"] = report.check(
        n, "legacy_place", v.optional_text, cells.text(raw["legacy_place"]), max_length=300
    )
    commune = report.check(n, "commune_code", cells.commune_code, raw["commune_code"])
    out["commune_code"] = None
    if commune or not cells.text(raw["commune_code"]):
        code, message = places.resolve(commune, out["legacy_place"], out["code"])
        if message is not None:
            report.add(n, "commune_code", message)
        out["commune_code"] = code
    out["status"] = status_cell(report, n, raw["status"])
    return out


def import_packing_houses(
    session: Session, sheets: list[Sheet], *, actor: Actor, dry_run: bool, filename: str, progress: Progress
) -> Report:
    report = Report()
    rows = records(sheets[0], PACKING_HOUSES)
    report.rows = len(rows)
    orgs, places = Organizations(session, actor), Places(session)
    parsed, seen = [], {}
    for n, raw in rows:
        row = _row(report, n, raw, orgs, places)
        key = row_key(row)
        if key in seen:
            report.add(n, "code", _l("This packing house is already on row %(row)s.", row=seen[key]))
        elif (row["code"] or row["name"]) and row["organization_id"]:
            seen[key] = n
        parsed.append(row)
    codes = [r["code"] for r in parsed if r["code"]]
    issued: dict[str, PackingHouse] = {}
    claimed: dict[tuple[int, str], PackingHouse] = {}
    for part in chunks(sorted(set(codes))):
        stmt = sa.select(PackingHouse).where(sa.or_(PackingHouse.code.in_(part), PackingHouse.claimed_code.in_(part)))
        for house in session.scalars(stmt).unique():
            if house.code:
                issued[house.code] = house
            if house.claimed_code:
                claimed.setdefault((house.organization_id, house.claimed_code), house)
    areas = {
        c for (c,) in in_chunks(session, lambda p: sa.select(GrowingArea.code).where(GrowingArea.code.in_(p)), codes)
    }
    creates, updates, moves = [], [], []
    unnamed = uncoded(session, PackingHouse, parsed)
    for row in parsed:
        n, code = row["row"], row["code"]
        if code in areas:
            report.add(n, "code", _l("The code %(code)s is a growing area's code.", code=code))
            continue
        usable, house = match(report, row, issued, claimed, unnamed)
        if not usable:
            continue
        if house is None:
            row["status"] = new_status(report, n, actor, row["status"])
            creates.append(row)
            continue
        row["house"] = house
        changed = {k: row[k] for k in FIELDS if _differs(getattr(house, k), row[k])}
        if changed and house.status in FINAL:
            report.add(
                n,
                "code",
                _l(
                    "A code that is %(status)s is closed: its record can no longer be changed.",
                    status=house.status.value,
                ),
            )
        row["changed"] = changed
        if status_move(report, n, actor, house.status, row["status"]):
            moves.append(row)
        if changed:
            updates.append(row)
    progress(len(rows))
    report.created = len(creates)
    report.updated = len({id(r) for r in updates + moves})
    if report.errors or dry_run:
        return report
    for part in chunks(creates):
        houses = [
            PackingHouse(
                code=r["code"] if r["status"] in ISSUED else None,
                claimed_code=r["code"],
                markets=[],
                **{
                    k: r[k]
                    for k in (
                        "name",
                        "address",
                        "capacity_t_per_day",
                        "commune_code",
                        "legacy_place",
                        "organization_id",
                        "status",
                    )
                },
            )
            for r in part
        ]
        session.add_all(houses)
        session.flush()
        session.add_all(
            history_row("packing_house_id", h.id, None, r["status"], actor, filename)
            for h, r in zip(houses, part, strict=True)
        )
    for row in updates:
        for key, value in row["changed"].items():
            setattr(row["house"], key, value)
    for row in moves:
        house, target = row["house"], row["status"]
        session.add(history_row("packing_house_id", house.id, house.status, target, actor, filename))
        if target == CodeStatus.ACTIVE and house.code is None:
            if row["code"]:
                house.code = row["code"]
            else:
                lifecycle.confirm_or_issue_code(session, house)
        house.status, house.status_changed_at = target, utcnow()
    session.flush()
    progress(2 * len(rows))
    return report


def _differs(current: Any, new: Any) -> bool:
    if isinstance(current, Decimal) and new is not None:
        return Decimal(current) != Decimal(new)
    return current != new
