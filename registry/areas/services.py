"""Growing-area services. Session first, never commit, raise registry.core.errors."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from registry.areas.models import AreaKind, GrowingArea
from registry.core import validators as v
from registry.core.auth import Actor, get_visible, scope, writable_organization_id
from registry.core.db import Page, paginate
from registry.core.errors import Conflict
from registry.core.fields import Fields, choice, positive_decimal
from registry.core.i18n import _l
from registry.lifecycle import services as lifecycle
from registry.lifecycle.models import CodeStatus
from registry.organizations.services import organization_exists
from registry.products.crops import CROPS
from registry.units.services import commune_field


def create_area(
    session: Session,
    *,
    actor: Actor,
    name: str,
    kind: str,
    crop: str,
    area_ha: Any,
    commune_code: str,
    organization_id: int | None = None,
    variety: str | None = None,
    code: str | None = None,
    legacy_place: str | None = None,
) -> GrowingArea:
    """Register an application for a growing area. It starts pending; the department activates it.

    A code the applicant says was issued elsewhere is kept as claimed (provisional) until the department
    confirms it on activation, so nobody can block a real holder by typing its code first.
    """
    org_id = writable_organization_id(actor, organization_id)
    f = Fields()
    if not organization_exists(session, org_id):
        f.add("organization_id", _l("Organization not found."))
    name = f.check("name", v.required_text, name, max_length=200)
    kind = f.check("kind", choice, kind, AreaKind, _l("Choose domestic or export."))
    crop_obj = CROPS.get(crop)
    if crop_obj is None:
        f.add("crop", _l("Choose a crop from the list."))
    variety = f.check("variety", v.optional_text, variety, max_length=100)
    legacy_place = f.check("legacy_place", v.optional_text, legacy_place, max_length=300)
    area = f.check("area_ha", positive_decimal, area_ha, _l("Enter the area in hectares, greater than 0."))
    if area is not None and crop_obj is not None and area < crop_obj.min_area_ha:
        f.add(
            "area_ha",
            _l("A growing area of %(crop)s must be at least %(min)s ha.", crop=crop_obj.name, min=crop_obj.min_area_ha),
        )
    commune = commune_field(session, f, "commune_code", commune_code)
    claimed = f.check("code", v.area_code_as_issued, code) if code else None
    f.raise_if_any()
    row = GrowingArea(
        claimed_code=claimed,
        name=name,
        kind=kind,
        crop=crop,
        variety=variety,
        area_ha=area,
        commune_code=commune.code,
        legacy_place=legacy_place,
        organization_id=org_id,
        status=CodeStatus.PENDING,
    )
    session.add(row)
    session.flush()
    lifecycle.start_history(session, row, actor=actor)
    session.flush()
    return row


def list_areas(
    session: Session, *, actor: Actor, page: int = 1, per_page: int = 25, status: str | None = None
) -> Page[GrowingArea]:
    stmt = sa.select(GrowingArea).order_by(GrowingArea.id.desc())
    if status:
        stmt = stmt.where(GrowingArea.status == lifecycle.parse_status(status))
    return paginate(session, scope(stmt, actor, GrowingArea.organization_id), page=page, per_page=per_page)


def get_area(session: Session, *, actor: Actor, area_id: int) -> GrowingArea:
    return get_visible(session, GrowingArea, area_id, actor=actor, not_found=_l("Growing area not found."))


def confirm_or_issue_code(session: Session, area: GrowingArea) -> None:
    """On activation: confirm the code the applicant claimed, or issue VN-<province>-<commune>-<serial>."""
    if area.claimed_code:
        holder = session.scalar(
            sa.select(GrowingArea).where(GrowingArea.code == area.claimed_code, GrowingArea.id != area.id)
        )
        if holder is not None:
            raise Conflict(
                _l(
                    "The code %(code)s is already held by the area %(area)s of %(org)s. Resolve the clash before activating.",
                    code=area.claimed_code,
                    area=holder.name,
                    org=holder.organization.name,
                )
            )
        area.code = area.claimed_code
        return
    prefix = area.issue_prefix()

    def taken(serial: int) -> bool:
        return session.scalar(sa.select(GrowingArea.id).where(GrowingArea.code == f"{prefix}{serial:03d}")) is not None

    area.code = f"{prefix}{lifecycle.issue_serial(session, prefix, taken):03d}"


def change_area_status(
    session: Session, *, actor: Actor, area_id: int, status: str, reason: str | None = None
) -> GrowingArea:
    area = get_area(session, actor=actor, area_id=area_id)
    lifecycle.transition(session, area, actor=actor, status=status, reason=reason)
    return area
