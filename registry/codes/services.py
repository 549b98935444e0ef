"""Public code lookup: what anyone may know about an issued growing-area or packing-house code.

Only public facts leave this module: never households, phone numbers, inspections, tax codes, history actors,
nor applications that were never granted (pending, withdrawn, refused answer as unknown).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from registry.areas.models import GapCertificate, GrowingArea
from registry.core.db import today_in_vietnam
from registry.core.errors import NotFound
from registry.core.i18n import _l
from registry.lifecycle.models import CodeStatus
from registry.lifecycle.services import status_label
from registry.ocop.status import current_certificates
from registry.packing.models import PackingHouse
from registry.products.crops import crop_name
from registry.products.models import Product

# Statuses a code that was once granted can be in; the others were never a code.
PUBLIC_STATUSES = (CodeStatus.ACTIVE, CodeStatus.SUSPENDED, CodeStatus.REVOKED)
MAX_CODE = 60


def normalise(code: str | None) -> str:
    return re.sub(r"\s+", "", code or "").upper()


def _find(session: Session, code: str) -> tuple[str, Any] | None:
    for kind, model in (("growing_area", GrowingArea), ("packing_house", PackingHouse)):
        stmt = sa.select(model).where(sa.func.upper(model.code) == code, model.status.in_(PUBLIC_STATUSES))
        subject = session.scalar(stmt)
        if subject is not None:
            return kind, subject
    return None


def valid_certificates(area: GrowingArea, today: dt.date) -> list[GapCertificate]:
    return sorted((c for c in area.certificates if c.validity(today) == "valid"), key=lambda c: c.expires_on)


def ocop_products(session: Session, subject: Any, crop: str | None, today: dt.date) -> list[dict[str, Any]]:
    """The holder's OCOP products (of the area's crop) whose certificate is valid today; none from an expired or
    revoked certificate."""
    stmt = sa.select(Product.id, Product.name).where(Product.organization_id == subject.organization_id)
    if crop is not None:
        stmt = stmt.where(Product.crop == crop)
    names = dict(session.execute(stmt.order_by(Product.name, Product.id)).all())
    current = current_certificates(session, list(names), today)
    return [
        {
            "name": names[pid],
            "stars": c.stars,
            "group": c.evaluation.group,
            "subgroup": c.evaluation.subgroup,
            "level": c.level.value,
            "issued_on": c.issued_on,
            "expires_on": c.expires_on,
        }
        for pid, c in sorted(current.items(), key=lambda item: (-item[1].stars, names[item[0]]))
    ]


def public_code(session: Session, *, code: Any) -> dict[str, Any]:
    """The public facts of a granted code; NotFound for an unknown code or one never granted."""
    text = normalise(code if isinstance(code, str) else "")
    found = _find(session, text) if text and len(text) <= MAX_CODE else None
    if found is None:
        raise NotFound(_l("No growing-area or packing-house code %(code)s is registered.", code=text or "—"))
    kind, s = found
    commune = s.commune
    result: dict[str, Any] = {
        "subject": kind,
        "code": s.code,
        "name": s.name,
        "status": s.status.value,
        "status_label": status_label(s.status),
        "status_since": s.status_changed_at,
        "markets": list(s.markets or []),
        "commune": commune.name,
        "province": commune.province.name,
        "organization": s.organization.name,
        "legacy_place": s.legacy_place,
        "kind": None,
        "crop": None,
        "crop_name": None,
        "variety": None,
        "area_ha": None,
        "certificates": [],
    }
    today = today_in_vietnam()
    result["ocop_products"] = ocop_products(session, s, s.crop if kind == "growing_area" else None, today)
    if kind == "growing_area":
        result.update(
            kind=s.kind.value,
            crop=s.crop,
            crop_name=crop_name(s.crop),
            variety=s.variety,
            area_ha=s.area_ha,
            certificates=[
                {"scheme": c.scheme.value, "number": c.number, "issuer": c.issuer, "expires_on": c.expires_on}
                for c in valid_certificates(s, today)
            ],
        )
    return result
