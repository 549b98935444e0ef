"""Importing cooperatives and enterprises, idempotent by tax code.

The admin registers and corrects any organization. A member may only list its own organization, and only its
name, address and phone may differ from the record (the rule of registry.organizations.services).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from bulk import cells
from bulk.columns import ORGANIZATIONS, records
from bulk.common import chunks
from bulk.report import Progress, Report
from bulk.table import Sheet
from registry.core import validators as v
from registry.core.auth import Actor, Role
from registry.core.fields import choice
from registry.core.i18n import _l
from registry.organizations.models import Organization, OrganizationKind
from registry.organizations.services import MEMBER_FIELDS
from registry.units.models import Commune

FIELDS = ("name", "kind", "commune_code", "address", "phone")


def import_organizations(
    session: Session, sheets: list[Sheet], *, actor: Actor, dry_run: bool, filename: str, progress: Progress
) -> Report:
    report = Report()
    rows = records(sheets[0], ORGANIZATIONS)
    report.rows = len(rows)
    existing = {o.tax_code: o for o in session.scalars(sa.select(Organization))}
    communes = set(session.scalars(sa.select(Commune.code)))
    seen: dict[str, int] = {}
    creates, updates = [], []
    for n, raw in rows:
        tax = report.check(n, "tax_code", cells.tax_code, raw["tax_code"])
        values: dict[str, Any] = {
            "name": report.check(n, "name", v.required_text, cells.text(raw["name"]), max_length=200),
            "kind": report.check(
                n,
                "kind",
                choice,
                cells.text(raw["kind"]).lower(),
                OrganizationKind,
                _l("Choose cooperative or enterprise."),
            ),
            "address": report.check(n, "address", v.optional_text, cells.text(raw["address"]), max_length=300),
            "phone": report.check(n, "phone", v.optional_text, cells.text(raw["phone"]), max_length=20),
        }
        commune = report.check(n, "commune_code", cells.commune_code, raw["commune_code"])
        if commune is None and not cells.text(raw["commune_code"]):
            report.add(n, "commune_code", _l("Choose the commune."))
        elif commune is not None and commune not in communes:
            report.add(
                n,
                "commune_code",
                _l(
                    "There is no commune with code %(code)s. Use the 5-digit code of the commune after the July 2025 reform.",
                    code=commune,
                ),
            )
        values["commune_code"] = commune
        if tax is None:
            continue
        if tax in seen:
            report.add(n, "tax_code", _l("The tax code %(code)s is already on row %(row)s.", code=tax, row=seen[tax]))
            continue
        seen[tax] = n
        org = existing.get(tax)
        if actor.role != Role.ADMIN and (org is None or org.id != actor.organization_id):
            report.add(n, "tax_code", _l("You can only import your own organization's records."))
            continue
        if org is None:
            creates.append({"tax_code": tax, **values})
            continue
        changed = {k: val for k, val in values.items() if _value(getattr(org, k)) != val}
        if actor.role != Role.ADMIN:
            for key in sorted(set(changed) - set(MEMBER_FIELDS)):
                report.add(
                    n,
                    key,
                    _l("Only the provincial department can change the kind, tax code, commune or dissolution date."),
                )
        if changed:
            updates.append((org, changed))
    progress(len(rows))
    report.created, report.updated = len(creates), len(updates)
    if report.errors or dry_run:
        return report
    for part in chunks(creates):
        session.add_all(Organization(**row) for row in part)
        session.flush()
    for org, changed in updates:
        for key, value in changed.items():
            setattr(org, key, value)
    session.flush()
    progress(2 * len(rows))
    return report


def _value(value: Any) -> Any:
    return value.value if hasattr(value, "value") else value
