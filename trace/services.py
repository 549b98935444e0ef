"""Lot services. Session first, never commit."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from registry.accounts.models import User
from registry.areas.models import GrowingArea
from registry.core import validators as v
from registry.core.auth import Role, can_see, get_visible, scope
from registry.core.db import Page, paginate, today_in_vietnam
from registry.core.fields import Fields, db_int, positive_decimal
from registry.core.i18n import _l
from registry.lifecycle.models import CodeStatus
from registry.lifecycle.services import status_label
from registry.products.crops import crop_name
from registry.products.models import Product
from trace.models import Lot, Unit

UNIT_ALIASES = {
    "kg": Unit.KGM,
    "kgm": Unit.KGM,
    "t": Unit.TNE,
    "tne": Unit.TNE,
    "tonne": Unit.TNE,
    "tấn": Unit.TNE,
    "piece": Unit.H87,
    "pcs": Unit.H87,
    "quả": Unit.H87,
    "h87": Unit.H87,
}

UNIT_LABELS = {Unit.KGM: _l("kg"), Unit.TNE: _l("tonnes"), Unit.H87: _l("pieces")}


def unit_label(unit: Unit) -> str:
    return str(UNIT_LABELS[Unit(unit)])


def _unit(value: Any) -> Unit:
    unit = UNIT_ALIASES.get(str(value or "").strip().lower())
    if unit is None:
        raise v.FieldError(_l("The unit is kg, tonnes or pieces (KGM, TNE, H87)."))
    return unit


def create_lot(
    session: Session,
    *,
    actor: User,
    product_id: int,
    growing_area_id: int,
    code: str,
    harvest_date: dt.date,
    quantity: Any,
    unit: str = "KGM",
) -> Lot:
    """Record a harvest lot. Only an active growing area can supply one."""
    f = Fields()
    product = session.get(Product, product_id) if db_int(product_id) is not None else None
    if product is None or not can_see(actor, product.organization_id):
        f.add("product_id", _l("Product not found."))
        product = None
    area = session.get(GrowingArea, growing_area_id) if db_int(growing_area_id) is not None else None
    if area is None or not can_see(actor, area.organization_id):
        f.add("growing_area_id", _l("Growing area not found."))
        area = None
    if actor.role == Role.AUDITOR:
        f.add("product_id", _l("Department inspectors check records; cooperatives and enterprises register them."))
    if area is not None:
        if area.status != CodeStatus.ACTIVE:
            f.add(
                "growing_area_id",
                _l(
                    "The growing area %(area)s is %(status)s; only an area with an active code can supply a lot.",
                    area=area.code or area.name,
                    status=status_label(area.status),
                ),
            )
        if product is not None and area.organization_id != product.organization_id:
            f.add("growing_area_id", _l("The growing area and the product belong to different organizations."))
        if product is not None and area.crop != product.crop:
            f.add(
                "growing_area_id",
                _l(
                    "This area grows %(area_crop)s but the product is %(product_crop)s.",
                    area_crop=crop_name(area.crop),
                    product_crop=crop_name(product.crop),
                ),
            )
    code = f.check("code", v.lot_code, code)
    if (
        code
        and product is not None
        and session.scalar(sa.select(Lot.id).where(Lot.product_id == product.id, Lot.code_key == code.upper()))
    ):
        f.add("code", _l("Lot %(code)s already exists for this product.", code=code))
    if harvest_date is None:
        f.add("harvest_date", _l("Enter the harvest date."))
    elif harvest_date > today_in_vietnam():
        f.add("harvest_date", _l("The harvest date cannot be in the future."))
    quantity = f.check(
        "quantity", positive_decimal, quantity, _l("The quantity must be greater than 0."), max_digits=14, places=3
    )
    unit = f.check("unit", _unit, unit)
    f.raise_if_any()
    lot = Lot(
        code=code,
        code_key=code.upper(),
        product_id=product.id,
        growing_area_id=area.id,
        organization_id=product.organization_id,
        harvest_date=harvest_date,
        quantity=quantity,
        unit=unit,
        public_token=secrets.token_urlsafe(12),  # 96 random bits
        created_by_id=actor.id,
    )
    session.add(lot)
    session.flush()
    return lot


def list_lots(session: Session, *, actor: User, page: int = 1, per_page: int = 25) -> Page[Lot]:
    stmt = sa.select(Lot).order_by(Lot.harvest_date.desc(), Lot.id.desc())
    return paginate(session, scope(stmt, actor, Lot.organization_id), page=page, per_page=per_page)


def get_lot(session: Session, *, actor: User, lot_id: int) -> Lot:
    return get_visible(session, Lot, lot_id, actor=actor, not_found=_l("Lot not found."))


def find_public_lot_by_gtin(session: Session, *, gtin: str, code: str) -> Lot | None:
    return session.scalar(
        sa.select(Lot).join(Product, Lot.product_id == Product.id).where(Product.gtin == gtin, Lot.code == code)
    )


def find_public_lot_by_token(session: Session, *, token: str) -> Lot | None:
    return session.scalar(sa.select(Lot).where(Lot.public_token == token))
