"""An area file's extra XLSX sheets: households ("households" or "hộ") and GAP certificates ("certificates" or
"chứng nhận"), each row keyed by the code of an area on the first sheet. A CSV file carries areas only.

A household is the same when its area and name are; a certificate when its area, scheme and number are. Their
errors name the sheet in the column: ``households.plot_ha``. The households' plots of an area may not add up to
more than its area, as registry.areas.record requires.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from bulk import cells
from bulk.columns import CERTIFICATES, HOUSEHOLDS, SHEET_NAMES_VI, records
from bulk.report import Report
from bulk.table import Sheet
from registry.areas.models import GapCertificate, GapScheme, Household
from registry.areas.record import vn_phone
from registry.core import validators as v
from registry.core.auth import Actor
from registry.core.fields import choice
from registry.core.i18n import _l, fold


@dataclass
class Lists:
    households: list[dict[str, Any]] = field(default_factory=list)
    certificates: list[dict[str, Any]] = field(default_factory=list)
    created: int = 0
    updated: int = 0


def sheet_of(sheets: list[Sheet], kind: str) -> Sheet | None:
    names = {kind, fold(SHEET_NAMES_VI[kind])}
    return next((s for s in sheets[1:] if fold(s.name).strip() in names), None)


def _existing(session: Session, model: type, area_ids: list[int]) -> dict[int, list[Any]]:
    out: dict[int, list[Any]] = {}
    if area_ids:
        for row in session.scalars(sa.select(model).where(model.growing_area_id.in_(area_ids))):
            out.setdefault(row.growing_area_id, []).append(row)
    return out


def check(session: Session, sheets: list[Sheet], report: Report, actor: Actor, parsed: list[dict[str, Any]]) -> Lists:
    lists = Lists()
    areas = {r["code"]: r for r in parsed if r["code"]}
    ids = [r["area"].id for r in parsed if r.get("area") is not None]
    homes = sheet_of(sheets, "households")
    if homes is not None:
        existing = _existing(session, Household, ids)
        plots: dict[str, Decimal] = {}
        seen: set[tuple[str, str]] = set()
        first: dict[str, int] = {}
        for n, raw in records(homes, HOUSEHOLDS):
            col = "households."
            code = report.check(n, col + "area_code", cells.code_key, raw["area_code"])
            name = report.check(n, col + "name", v.required_text, cells.text(raw["name"]), max_length=200)
            plot = report.check(
                n,
                col + "plot_ha",
                cells.decimal_cell,
                raw["plot_ha"],
                _l("Enter the plot in hectares, greater than 0."),
                max_digits=12,
                places=4,
            )
            phone = report.check(n, col + "phone", vn_phone, cells.text(raw["phone"]) or None)
            if code is None or name is None or plot is None:
                continue
            if code not in areas:
                report.add(n, col + "area_code", _l("The area %(code)s is not on the first sheet.", code=code))
                continue
            if (code, name) in seen:
                report.add(n, col + "name", _l("This household is already listed for the area %(code)s.", code=code))
                continue
            seen.add((code, name))
            area = areas[code].get("area")
            current = next((h for h in existing.get(area.id, []) if h.name == name), None) if area else None
            plots[code] = plots.get(code, Decimal(0)) + plot
            first.setdefault(code, n)
            values = {"plot_ha": plot, "phone": phone}
            if current is None:
                lists.households.append({"code": code, "name": name, **values})
                lists.created += 1
            elif Decimal(current.plot_ha) != plot or current.phone != phone:
                lists.households.append({"row": current, **values})
                lists.updated += 1
        for code, total in plots.items():
            area, limit = areas[code].get("area"), areas[code]["area_ha"]
            named = {name for c, name in seen if c == code}
            others = [h.plot_ha for h in existing.get(area.id, []) if h.name not in named] if area else []
            total += sum((Decimal(p) for p in others), Decimal(0))
            if limit is not None and total > limit:
                report.add(
                    first[code],
                    "households.plot_ha",
                    _l("The households' plots add up to %(total)s ha, more than %(area)s ha.", total=total, area=limit),
                )
    certs = sheet_of(sheets, "certificates")
    if certs is not None:
        existing = _existing(session, GapCertificate, ids)
        seen_c: set[tuple[str, str, str]] = set()
        for n, raw in records(certs, CERTIFICATES):
            col = "certificates."
            code = report.check(n, col + "area_code", cells.code_key, raw["area_code"])
            scheme = report.check(
                n,
                col + "scheme",
                choice,
                cells.text(raw["scheme"]).lower(),
                GapScheme,
                _l("Choose VietGAP, GlobalGAP or organic."),
            )
            number = report.check(n, col + "number", v.required_text, cells.text(raw["number"]), max_length=100)
            issuer = report.check(n, col + "issuer", v.required_text, cells.text(raw["issuer"]), max_length=200)
            issued = report.check(n, col + "issued_on", cells.date_cell, raw["issued_on"])
            expires = report.check(n, col + "expires_on", cells.date_cell, raw["expires_on"])
            if issued and expires and expires < issued:
                report.add(n, col + "expires_on", _l("The expiry date cannot be before the date of issue."))
                continue
            if None in (code, scheme, number, issuer, issued, expires):
                continue
            if code not in areas:
                report.add(n, col + "area_code", _l("The area %(code)s is not on the first sheet.", code=code))
                continue
            if (code, scheme, number) in seen_c:
                report.add(
                    n, col + "number", _l("This certificate is already listed for the area %(code)s.", code=code)
                )
                continue
            seen_c.add((code, scheme, number))
            area = areas[code].get("area")
            current = None
            if area is not None:
                current = next(
                    (c for c in existing.get(area.id, []) if c.scheme == scheme and c.number == number), None
                )
            values = {"issuer": issuer, "issued_on": issued, "expires_on": expires}
            if current is None:
                lists.certificates.append({"code": code, "scheme": scheme, "number": number, **values})
                lists.created += 1
            elif any(getattr(current, k) != val for k, val in values.items()):
                lists.certificates.append({"row": current, **values})
                lists.updated += 1
    return lists


def write(session: Session, lists: Lists, areas: dict[str, int | None]) -> None:
    for item in lists.households:
        values = {k: item[k] for k in ("plot_ha", "phone")}
        if "row" in item:
            for key, value in values.items():
                setattr(item["row"], key, value)
        else:
            session.add(Household(growing_area_id=areas[item["code"]], name=item["name"], **values))
    for item in lists.certificates:
        values = {k: item[k] for k in ("issuer", "issued_on", "expires_on")}
        if "row" in item:
            for key, value in values.items():
                setattr(item["row"], key, value)
        else:
            session.add(
                GapCertificate(
                    growing_area_id=areas[item["code"]], scheme=item["scheme"], number=item["number"], **values
                )
            )
    session.flush()
