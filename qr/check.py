""" "Check a code" for the department: whatever a person brings (a code, a GTIN, a label's URL) to one record.

``check(session, actor=..., q=...)`` answers a plain dict the page and the JSON API both show:
kind, id, status, organization, url, code, history, label (and, per kind, area_code, product, claims).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlsplit

import sqlalchemy as sa
from flask import url_for
from sqlalchemy.orm import Session

from registry.areas.models import GrowingArea
from registry.core.auth import Actor, require_department
from registry.core.errors import NotFound, ValidationError
from registry.core.i18n import _l
from registry.core.people import public_name
from registry.core.validators import FieldError, gtin14
from registry.lifecycle import services as lifecycle
from registry.lifecycle.models import CodeStatus
from registry.packing.models import PackingHouse
from registry.products.models import Product
from trace.lots.models import Lot
from trace.lots.views import packing_house_url

MAX_QUERY = 500
# A GS1 Digital Link path, possibly under a prefix: /01/<gtin>[/10/<lot>][/21/...]
DIGITAL_LINK = re.compile(r"(?:^|/)01/(\d{8,14})(?:/10/([^/]+))?(?:/|$)", re.ASCII)
SHORT_LINK = re.compile(r"(?:^|/)l/([A-Za-z0-9_\-]{1,64})/?$")
PUBLIC_CODE = re.compile(r"(?:^|/)codes/([^/]+)/?$")
# A GS1 element string as printed under a barcode: (01)09520123456788(10)DH-01
ELEMENT_STRING = re.compile(r"\(01\)\s*(\d{14})(?:\s*\(10\)\s*(.{1,20}?))?\s*$", re.ASCII)
GTIN_LIKE = re.compile(r"[\d\s\-]+", re.ASCII)

KIND_LABELS = {
    "growing_area": _l("Growing area"),
    "packing_house": _l("Packing house"),
    "product": _l("Product"),
    "lot": _l("Harvest lot"),
}


@dataclass
class Match:
    kind: str
    subject: Any
    claimed: bool = False  # the subject only claims the code; the department has not confirmed it
    claims: list[Any] = field(default_factory=list)


def normalise_code(text: str) -> str:
    """A code as a person types it: any case, stray spaces anywhere."""
    return re.sub(r"\s+", "", text).upper()


def _looks_like_link(q: str) -> bool:
    return "/" in q


def _link_path(q: str) -> str:
    if "://" in q:
        return urlsplit(q).path
    return q.split("#", 1)[0].split("?", 1)[0]


def _product_by_gtin(session: Session, gtin: str) -> Product | None:
    return session.scalar(sa.select(Product).where(Product.gtin == gtin))


def _lot_by_gtin(session: Session, gtin: str, code: str) -> Lot | None:
    stmt = (
        sa.select(Lot)
        .join(Product, Lot.product_id == Product.id)
        .where(Product.gtin == gtin, Lot.code_key == code.strip().upper())
    )
    return session.scalar(stmt)


def _gtin_or_none(digits: str) -> str | None:
    try:
        return gtin14(digits)
    except FieldError:
        return None


def _by_code(session: Session, code: str) -> Match | None:
    for kind, model in (("growing_area", GrowingArea), ("packing_house", PackingHouse)):
        subject = session.scalar(sa.select(model).where(sa.func.upper(model.code) == code))
        if subject is not None:
            return Match(kind, subject, claims=_claims(session, code))
    claims = _claims(session, code)
    if claims:
        kind, subject = claims[0]
        return Match(kind, subject, claimed=True, claims=claims[1:])
    return None


def _claims(session: Session, code: str) -> list[tuple[str, Any]]:
    """Pending applications that say this code was issued to them elsewhere."""
    found: list[tuple[str, Any]] = []
    for kind, model in (("growing_area", GrowingArea), ("packing_house", PackingHouse)):
        stmt = (
            sa.select(model)
            .where(
                sa.func.upper(model.claimed_code) == code,
                model.code.is_(None),
                model.status == CodeStatus.PENDING,
            )
            .order_by(model.id)
        )
        found.extend((kind, s) for s in session.scalars(stmt))
    return found


def resolve(session: Session, q: str) -> Match | None:
    """The one record ``q`` names, or None. ``q`` is already stripped and non-empty."""
    element = ELEMENT_STRING.search(q)
    if element:
        gtin = _gtin_or_none(element.group(1))
        if gtin is None:
            return None
        if element.group(2):
            lot = _lot_by_gtin(session, gtin, element.group(2))
            return Match("lot", lot) if lot else None
        product = _product_by_gtin(session, gtin)
        return Match("product", product) if product else None

    if _looks_like_link(q):
        path = _link_path(q)
        link = DIGITAL_LINK.search(path)
        if link:
            gtin = _gtin_or_none(link.group(1))
            if gtin is None:
                return None
            if link.group(2) is not None:
                lot = _lot_by_gtin(session, gtin, unquote(link.group(2)))
                return Match("lot", lot) if lot else None
            product = _product_by_gtin(session, gtin)
            return Match("product", product) if product else None
        short = SHORT_LINK.search(path)
        if short:
            lot = session.scalar(sa.select(Lot).where(Lot.public_token == short.group(1)))
            return Match("lot", lot) if lot else None
        public = PUBLIC_CODE.search(path)
        if public:
            return _by_code(session, normalise_code(unquote(public.group(1))))
        return None

    if GTIN_LIKE.fullmatch(q):
        gtin = _gtin_or_none(q)
        if gtin is None:
            return None
        product = _product_by_gtin(session, gtin)
        return Match("product", product) if product else None

    return _by_code(session, normalise_code(q))


def _organization(org: Any) -> dict[str, Any]:
    return {"id": org.id, "name": org.name}


def _history(subject: Any) -> list[dict[str, Any]]:
    return [
        {
            "from_status": c.from_status.value if c.from_status else None,
            "to_status": c.to_status.value,
            "reason": c.reason,
            "at": c.at,
            "actor": public_name(c.actor),
            "inspection_id": c.inspection_id,
        }
        for c in subject.history
    ]


def subject_url(kind: str, subject: Any) -> str | None:
    if kind == "growing_area":
        return url_for("areas.area_detail", area_id=subject.id)
    if kind == "packing_house":
        return packing_house_url(subject.id)
    if kind == "product":
        return url_for("products.product_detail", product_id=subject.id)
    return url_for("trace.lot_detail", lot_id=subject.id)


def _claim_summary(kind: str, subject: Any) -> dict[str, Any]:
    return {
        "kind": kind,
        "id": subject.id,
        "name": subject.name,
        "claimed_code": subject.claimed_code,
        "status": subject.status.value,
        "organization": _organization(subject.organization),
        "url": subject_url(kind, subject),
    }


def describe(match: Match) -> dict[str, Any]:
    kind, s = match.kind, match.subject
    result: dict[str, Any] = {
        "kind": kind,
        "kind_label": str(KIND_LABELS[kind]),
        "id": s.id,
        "url": subject_url(kind, s),
        "history": [],
    }
    if kind in ("growing_area", "packing_house"):
        code = s.code or s.claimed_code
        status = lifecycle.status_label(s.status)
        result.update(
            code=code,
            name=s.name,
            status=s.status.value,
            status_label=status,
            organization=_organization(s.organization),
            history=_history(s),
            claimed=match.claimed,
            claims=[_claim_summary(k, c) for k, c in match.claims],
        )
        if match.claimed:
            label = _l(
                "%(kind)s %(code)s — %(name)s (%(organization)s): claimed, not confirmed",
                kind=KIND_LABELS[kind],
                code=code,
                name=s.name,
                organization=s.organization.name,
            )
        else:
            label = _l(
                "%(kind)s %(code)s — %(name)s (%(organization)s): %(status)s",
                kind=KIND_LABELS[kind],
                code=code,
                name=s.name,
                organization=s.organization.name,
                status=status,
            )
    elif kind == "product":
        result.update(
            code=s.gtin,
            name=s.name,
            status=None,
            status_label=None,
            organization=_organization(s.organization),
        )
        label = _l(
            "Product %(name)s, GTIN %(gtin)s (%(organization)s)",
            name=s.name,
            gtin=s.gtin,
            organization=s.organization.name,
        )
    else:
        area = s.growing_area  # None for a lot merged or transformed from several areas
        voided = s.voided_at is not None
        if voided:
            status, status_text = "voided", str(_l("voided"))
        elif s.recalled:
            status, status_text = "recalled", str(_l("under recall"))
        elif area is None:
            status, status_text = "active", lifecycle.status_label(CodeStatus.ACTIVE)
        else:
            status, status_text = area.status.value, lifecycle.status_label(area.status)
        result.update(
            code=s.code,
            name=s.product.name,
            status=status,
            status_label=status_text,
            organization=_organization(s.product.organization),
            area_code=(area.code or area.claimed_code) if area is not None else None,
            area_url=subject_url("growing_area", area) if area is not None else None,
            product={"id": s.product.id, "name": s.product.name, "gtin": s.product.gtin},
            harvest_date=s.harvest_date,
            voided_at=s.voided_at,
            void_reason=s.void_reason,
            recalled=s.recalled,
            phi_override_reason=s.phi_override_reason,
        )
        label = _l(
            "Lot %(code)s of %(product)s from growing area %(area)s: %(status)s",
            code=s.code,
            product=s.product.name,
            area=(area.code or area.claimed_code or area.name) if area is not None else "—",
            status=status_text,
        )
    result["label"] = str(label)
    return result


def check(session: Session, *, actor: Actor, q: Any) -> dict[str, Any]:
    """Resolve what a person brought to the department's desk; 404 when nothing matches, 422 when empty."""
    require_department(actor)
    text = q.strip() if isinstance(q, str) else ""
    if not text:
        raise ValidationError({"q": _l("Enter a code, a GTIN or a label link.")})
    if len(text) > MAX_QUERY:
        raise ValidationError({"q": _l("At most %(n)s characters.", n=MAX_QUERY)})
    match = resolve(session, text)
    if match is None:
        raise NotFound(_l("No code matches “%(q)s”.", q=text))
    return describe(match)
