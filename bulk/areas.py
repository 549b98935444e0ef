"""Importing growing areas (first sheet), their households and GAP certificates (XLSX sheets keyed by area code).

Idempotent by code: a row whose code the registry already holds for the same organization updates that area
when a value differs, and changes nothing otherwise. The rules are the services' (registry.areas.services):
the crop of an area is fixed, a closed (final) code is not edited, markets and geometry are not in the sheet.

Status (see also bulk.common): a new area is pending unless the admin imports a code it already decided on
(active, suspended or revoked codes are stored as issued); a member may only apply (pending) or withdraw its
own pending application. Each new area gets its status history row, as the services write it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from bulk import area_lists, cells
from bulk.columns import AREAS, records
from bulk.common import (
    ISSUED,
    Organizations,
    chunks,
    history_row,
    history_values,
    in_chunks,
    match,
    new_status,
    reserve_ids,
    row_key,
    status_cell,
    status_move,
    uncoded,
)
from bulk.places import Places
from bulk.report import Progress, Report
from bulk.table import Sheet
from registry.areas.models import AreaKind, GrowingArea
from registry.core import validators as v
from registry.core.auth import Actor
from registry.core.db import utcnow
from registry.core.fields import choice
from registry.core.i18n import _l
from registry.lifecycle import services as lifecycle
from registry.lifecycle.models import FINAL, CodeStatus, StatusChange
from registry.packing.models import PackingHouse
from registry.products.crops import CROPS

FIELDS = ("name", "kind", "crop", "variety", "area_ha", "commune_code", "legacy_place")


def _row(report: Report, n: int, raw: dict[str, Any], orgs: Organizations, places: Places) -> dict[str, Any]:
    out: dict[str, Any] = {"row": n}
    out["coded"] = bool(cells.text(raw["code"]))
    out["code"] = report.check(n, "code", cells.code_key, raw["code"]) if out["coded"] else None
    out["name"] = report.check(n, "name", v.required_text, cells.text(raw["name"]), max_length=200)
    out["organization_id"] = orgs.check(report, n, raw["organization_tax_code"])
    out["kind"] = report.check(
        n, "kind", choice, cells.text(raw["kind"]).lower(), AreaKind, _l("Choose domestic or export.")
    )
    crop = cells.text(raw["crop"]).lower()
    if crop not in CROPS:
        report.add(n, "crop", _l("Choose a crop from the list."))
    out["crop"] = crop
    out["variety"] = report.check(n, "variety", v.optional_text, cells.text(raw["variety"]), max_length=100)
    area = report.check(
        n,
        "area_ha",
        cells.decimal_cell,
        raw["area_ha"],
        _l("Enter the area in hectares, greater than 0."),
        max_digits=12,
        places=4,
    )
    if area is not None and crop in CROPS and area < CROPS[crop].min_area_ha:
        report.add(
            n,
            "area_ha",
            _l(
                "A growing area of %(crop)s must be at least %(min)s ha.",
                crop=CROPS[crop].name,
                min=CROPS[crop].min_area_ha,
            ),
        )
    out["area_ha"] = area
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


def _existing(session: Session, codes: list[str]) -> tuple[dict[str, GrowingArea], dict[tuple[int, str], GrowingArea]]:
    issued: dict[str, GrowingArea] = {}
    claimed: dict[tuple[int, str], GrowingArea] = {}
    for part in chunks(sorted(set(codes))):
        stmt = sa.select(GrowingArea).where(sa.or_(GrowingArea.code.in_(part), GrowingArea.claimed_code.in_(part)))
        for area in session.scalars(stmt).unique():
            if area.code:
                issued[area.code] = area
            if area.claimed_code:
                claimed.setdefault((area.organization_id, area.claimed_code), area)
    return issued, claimed


def import_areas(
    session: Session, sheets: list[Sheet], *, actor: Actor, dry_run: bool, filename: str, progress: Progress
) -> Report:
    report = Report()
    rows = records(sheets[0], AREAS)
    report.rows = len(rows)
    orgs, places = Organizations(session, actor), Places(session)
    parsed, seen = [], {}
    for i, (n, raw) in enumerate(rows, start=1):
        row = _row(report, n, raw, orgs, places)
        key = row_key(row)
        if key in seen:
            report.add(n, "code", _l("This area is already on row %(row)s.", row=seen[key]))
        elif (row["code"] or row["name"]) and row["organization_id"]:
            seen[key] = n
        parsed.append(row)
        if i % 500 == 0:
            progress(i)
    codes = [r["code"] for r in parsed if r["code"]]
    issued, claimed = _existing(session, codes)
    houses = {
        c for (c,) in in_chunks(session, lambda p: sa.select(PackingHouse.code).where(PackingHouse.code.in_(p)), codes)
    }
    creates, updates, moves = [], [], []
    unnamed = uncoded(session, GrowingArea, parsed)
    for row in parsed:
        n, code = row["row"], row["code"]
        if code in houses:
            report.add(n, "code", _l("The code %(code)s is a packing house's code.", code=code))
            continue
        usable, area = match(report, row, issued, claimed, unnamed)
        if not usable:
            continue
        if area is None:
            row["status"] = new_status(report, n, actor, row["status"])
            creates.append(row)
            continue
        row["area"] = area
        changed = {k: row[k] for k in FIELDS if row[k] is not None or k in ("variety", "legacy_place")}
        changed = {k: val for k, val in changed.items() if _differs(getattr(area, k), val)}
        if changed.get("kind") == AreaKind.DOMESTIC and area.markets:
            report.add(n, "kind", _l("Remove the export markets before making the code domestic."))
        if "crop" in changed:
            report.add(n, "crop", _l("The crop of a registered area cannot be changed."))
        if changed and area.status in FINAL:
            report.add(
                n,
                "code",
                _l(
                    "A code that is %(status)s is closed: its record can no longer be changed.",
                    status=area.status.value,
                ),
            )
        row["changed"] = changed
        if status_move(report, n, actor, area.status, row["status"]):
            moves.append(row)
        if changed:
            updates.append(row)
    lists = area_lists.check(session, sheets, report, actor, parsed)
    progress(len(rows))
    report.created = len(creates) + lists.created
    report.updated = len({id(r) for r in updates + moves}) + lists.updated
    if report.errors or dry_run:
        return report
    _write(session, creates, updates, moves, actor, filename, progress, len(rows))
    area_lists.write(
        session, lists, {r["code"]: r["area"].id if r.get("area") else r.get("area_id") for r in parsed if r["code"]}
    )
    return report


def _differs(current: Any, new: Any) -> bool:
    if isinstance(current, Decimal) and new is not None:
        return Decimal(current) != Decimal(new)
    return (current.value if hasattr(current, "value") else current) != (new.value if hasattr(new, "value") else new)


def _write(session, creates, updates, moves, actor, filename, progress, total) -> None:
    """New areas and their first history rows as ORM bulk INSERT statements through the session, with ids taken
    first (bulk.common.reserve_ids); changes to existing areas through their objects."""
    done, now = 0, utcnow()
    for part in chunks(creates, 5000):
        ids = reserve_ids(session, GrowingArea, len(part))
        areas, history = [], []
        for row, area_id in zip(part, ids, strict=True):
            status = row["status"]
            row["area_id"] = area_id
            areas.append({
                "id": area_id, "code": row["code"] if status in ISSUED else None, "claimed_code": row["code"],
                **{k: row[k] for k in ("name", "kind", "crop", "variety", "area_ha", "commune_code", "legacy_place",
                                       "organization_id")},
                "status": status, "status_changed_at": now, "markets": [], "created_at": now,
            })  # fmt: skip
            history.append(history_values("growing_area_id", area_id, None, status, actor, filename))
        session.execute(sa.insert(GrowingArea), areas)
        session.execute(sa.insert(StatusChange), history)
        done += len(part)
        progress(total + done)
    for row in updates:
        for key, value in row["changed"].items():
            setattr(row["area"], key, value)
    for row in moves:
        area, target = row["area"], row["status"]
        session.add(history_row("growing_area_id", area.id, area.status, target, actor, filename))
        if target == CodeStatus.ACTIVE and area.code is None:
            if row["code"]:
                area.code = row["code"]
            else:
                lifecycle.confirm_or_issue_code(session, area)
        area.status, area.status_changed_at = target, utcnow()
    session.flush()
    progress(total * 2)
