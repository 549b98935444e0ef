"""Lot services. Session first, never commit."""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from registry.accounts.models import User
from registry.areas.models import GrowingArea
from registry.core import validators as v
from registry.core.auth import Role, can_see, get_visible, require_writer, scope
from registry.core.db import Page, paginate, today_in_vietnam, utcnow
from registry.core.errors import Conflict, Forbidden, ValidationError
from registry.core.fields import Fields, db_int, positive_decimal
from registry.core.i18n import _l, fmt_date, fmt_number, text
from registry.lifecycle.models import CodeStatus
from registry.lifecycle.services import status_label
from registry.packing.models import PackingHouse
from registry.products.crops import crop_name
from registry.products.models import Product
from trace.diary.phi import blocking_spray
from trace.diary.phi import refusal as phi_refusal
from trace.lots import record
from trace.lots.models import Lot, Unit
from trace.lots.yields import ceiling_for

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
    return text(UNIT_LABELS[Unit(unit)])


def _unit(value: Any) -> Unit:
    unit = UNIT_ALIASES.get(str(value or "").strip().lower())
    if unit is None:
        raise v.FieldError(_l("The unit is kg, tonnes or pieces (KGM, TNE, H87)."))
    return unit


def _packing_house(f: Fields, session: Session, actor: User, value: Any, organization_id: int | None) -> Any:
    """The packing house a lot passes through: None, or an active house of the lot's organization.

    A house of another organization answers "not found", as if it did not exist.
    """
    if value in (None, ""):
        return None
    house_id = db_int(value)
    house = session.get(PackingHouse, house_id) if house_id is not None else None
    if house is None or not can_see(actor, house.organization_id):
        f.add("packing_house_id", _l("Packing house not found."))
        return None
    if organization_id is not None and house.organization_id != organization_id:
        if actor.is_department:
            f.add("packing_house_id", _l("The packing house and the product belong to different organizations."))
        else:
            f.add("packing_house_id", _l("Packing house not found."))
        return None
    if house.status != CodeStatus.ACTIVE:
        f.add(
            "packing_house_id",
            _l(
                "The packing house %(house)s is %(status)s; only a packing house with an active code can handle a lot.",
                house=house.code or house.claimed_code or house.name,
                status=status_label(house.status),
            ),
        )
        return None
    return house


def quantity_ceiling(area: GrowingArea, unit: Unit) -> Decimal:
    """The largest quantity, in ``unit``, one lot from ``area`` may hold; see trace.lots.yields for the rule."""
    return ceiling_for(area).in_unit(Unit(unit).value)


def _check_plausible(f: Fields, area: GrowingArea, quantity: Decimal | None, unit: Unit | None) -> None:
    """Refuse a quantity no harvest of the area could reach.

    Ceiling in kg = max(expected_yield_t, average_yield_t) × 1000 × 1.5 when the area declares a yield, else
    area_ha × MAX_T_PER_HA[crop] (generous upper bounds, trace.lots.yields) × 1000 × 1.5; in the lot's unit: KGM as
    is, TNE ÷ 1000, pieces (H87) ceiling_kg ÷ 0.2, i.e. at least 200 g a piece. The message states the ceiling.
    """
    if area is None or quantity is None or unit is None:
        return
    ceiling = ceiling_for(area)
    limit = ceiling.in_unit(Unit(unit).value)
    if quantity <= limit:
        return
    if ceiling.basis == "yield":
        basis = _l(
            "1.5 times the area's declared yield of %(tonnes)s t",
            tonnes=fmt_number(ceiling.yield_t),
        )
    else:
        basis = _l(
            "%(ha)s ha × %(rate)s t/ha, a generous upper bound for %(crop)s, × 1.5",
            ha=fmt_number(ceiling.area_ha),
            rate=fmt_number(ceiling.t_per_ha),
            crop=crop_name(area.crop),
        )
    if Unit(unit) == Unit.H87:
        basis = _l("%(basis)s, at 200 g a piece or more", basis=basis)
    f.add(
        "quantity",
        _l(
            "No harvest of the area %(area)s could reach %(quantity)s %(unit)s: the plausible ceiling for one lot "
            "is %(ceiling)s %(unit)s (%(basis)s). Check the quantity and the unit.",
            area=area.code or area.name,
            quantity=fmt_number(quantity),
            unit=unit_label(unit),
            ceiling=fmt_number(limit),
            basis=basis,
        ),
    )


def _harvest_date(f: Fields, harvest_date: Any) -> dt.date | None:
    if harvest_date is None:
        f.add("harvest_date", _l("Enter the harvest date."))
        return None
    if harvest_date > today_in_vietnam():
        f.add("harvest_date", _l("The harvest date cannot be in the future."))
        return None
    return harvest_date


def _quantity(f: Fields, quantity: Any) -> Decimal | None:
    return f.check(
        "quantity", positive_decimal, quantity, _l("The quantity must be greater than 0."), max_digits=14, places=3
    )


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
    packing_house_id: Any = None,
    phi_override_reason: Any = None,
) -> Lot:
    """Record a harvest lot. Only an active growing area, and an active packing house if named, can supply one.

    A harvest inside a spray's pre-harvest interval is refused, unless the department records it with
    ``phi_override_reason``: the lot then carries the flag wherever it shows.
    """
    f = Fields()
    product = session.get(Product, product_id) if db_int(product_id) is not None else None
    if product is None or not can_see(actor, product.organization_id):
        f.add("product_id", _l("Product not found."))
        product = None
    area = session.get(GrowingArea, growing_area_id) if db_int(growing_area_id) is not None else None
    if area is None or not can_see(actor, area.organization_id):
        f.add("growing_area_id", _l("Growing area not found."))
        area = None
    override = f.check("phi_override_reason", v.optional_text, phi_override_reason, max_length=2000)
    if override and not actor.is_department:
        raise Forbidden(_l("Only the provincial department can allow a harvest inside a pre-harvest interval."))
    if actor.role == Role.AUDITOR and not override:
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
    house = _packing_house(
        f, session, actor, packing_house_id, product.organization_id if product is not None else None
    )
    code = f.check("code", v.lot_code, code)
    if code and product is not None:
        existing = session.scalar(sa.select(Lot.code).where(Lot.product_id == product.id, Lot.code_key == code.upper()))
        if existing == code:
            f.add("code", _l("Lot %(code)s already exists for this product.", code=code))
        elif existing is not None:
            f.add(
                "code",
                _l(
                    "Lot %(existing)s already exists for this product; %(code)s differs only in capital letters, "
                    "which nobody can tell apart on a label.",
                    existing=existing,
                    code=code,
                ),
            )
    harvest_date = _harvest_date(f, harvest_date)
    quantity = _quantity(f, quantity)
    unit = f.check("unit", _unit, unit)
    _check_plausible(f, area, quantity, unit)
    spray = blocking_spray(session, area.id, harvest_date) if area is not None and harvest_date else None
    if spray is not None and not override:
        f.add("harvest_date", phi_refusal(spray))
    elif spray is None and override and area is not None and harvest_date:
        f.add("phi_override_reason", _l("No pre-harvest interval applies to this harvest; leave the override empty."))
    f.raise_if_any()
    lot = Lot(
        code=code,
        code_key=code.upper(),
        product_id=product.id,
        growing_area_id=area.id,
        packing_house_id=house.id if house is not None else None,
        organization_id=product.organization_id,
        harvest_date=harvest_date,
        quantity=quantity,
        unit=unit,
        public_token=secrets.token_urlsafe(12),  # 96 random bits
        created_by_id=actor.id,
        phi_override_reason=override,
        phi_override_by_id=actor.id if override else None,
    )
    insert_lots(session, {"code": lot})
    record.harvest_event(session, lot, actor)
    if house is not None:
        record.pack_event(session, lot, house, actor)
    return lot


def insert_lots(session: Session, lots: dict[str, Lot]) -> None:
    """Insert new lots, keyed by the field that gave each one's code.

    Two requests may pass the duplicate check at the same moment; the unique (product, code) constraint lets one
    in, and the other gets the check's own field error instead of a bare conflict. Its transaction is spoilt:
    the handler rolls it back, as after any refusal.
    """
    session.add_all(lots.values())
    try:
        session.flush()
    except IntegrityError as exc:
        detail = str(exc.orig)
        if "code_key" not in detail:
            raise
        # PostgreSQL names the key ("... code_key)=(5, DH-01) already exists"); SQLite only the columns.
        taken = {field: lot for field, lot in lots.items() if f", {lot.code_key})" in detail} or lots
        errors = {f: _l("Lot %(code)s already exists for this product.", code=lot.code) for f, lot in taken.items()}
        raise ValidationError(errors) from exc


def _check_used(f: Fields, session: Session, lot: Lot, quantity: Decimal | None, unit: Unit | None) -> None:
    """Once steps have taken from a lot, its unit is fixed and its quantity cannot drop below what they took."""
    if quantity is None or unit is None:
        return
    used = Decimal(lot.quantity) - record.held(session, lot)
    if used <= 0:
        return
    if unit != lot.unit:
        f.add("unit", _l("Splits, transformations or shipments already took from this lot; its unit cannot change."))
    elif quantity < used:
        f.add(
            "quantity",
            _l("Splits, transformations and shipments already took %(used)s from this lot.", used=fmt_number(used)),
        )


# What the printed label (or the public page it opens) shows, and so cannot be corrected in place.
FIXED_FIELDS = {"code": "code", "product_id": "product_id", "growing_area_id": "growing_area_id"}
_MISSING = object()


def writable_lot(session: Session, *, actor: User, lot_id: Any) -> Lot:
    """A lot the actor may change: 404 if unseen, 403 for inspectors, 409 once voided."""
    lot = get_lot(session, actor=actor, lot_id=lot_id)
    require_writer(actor, lot.organization_id)
    if lot.voided_at is not None:
        raise Conflict(
            _l(
                "Lot %(code)s was voided on %(date)s and can no longer change.",
                code=lot.code,
                date=fmt_date(lot.voided_at),
            )
        )
    return lot


def update_lot(
    session: Session,
    *,
    actor: User,
    lot_id: Any,
    harvest_date: Any = _MISSING,
    quantity: Any = _MISSING,
    unit: Any = _MISSING,
    packing_house_id: Any = _MISSING,
    code: Any = _MISSING,
    product_id: Any = _MISSING,
    growing_area_id: Any = _MISSING,
) -> Lot:
    """Correct a lot: harvest date, quantity, unit and packing house. Only fields given change.

    The code and product are printed on the label (and the growing area shown on the page it opens), so
    they cannot change: a wrong one is voided and recorded anew.
    """
    lot = writable_lot(session, actor=actor, lot_id=lot_id)
    f = Fields()
    fixed = {"code": (code, lot.code), "product_id": (product_id, lot.product_id)}
    fixed["growing_area_id"] = (growing_area_id, lot.growing_area_id)
    for name, (given, current) in fixed.items():
        if given is _MISSING or str(given).strip() == str(current):
            continue
        f.add(
            name,
            _l(
                "The lot code, product and growing area are on the printed label and cannot be changed. "
                "Void this lot and record a new one instead."
            ),
        )
    new_date = lot.harvest_date if harvest_date is _MISSING else _harvest_date(f, harvest_date)
    new_quantity = lot.quantity if quantity is _MISSING else _quantity(f, quantity)
    new_unit = lot.unit if unit is _MISSING else f.check("unit", _unit, unit)
    house: Any = _MISSING
    if packing_house_id is not _MISSING:
        if packing_house_id in (None, ""):
            house = None
        elif db_int(packing_house_id) is None or db_int(packing_house_id) != lot.packing_house_id:
            house = _packing_house(f, session, actor, packing_house_id, lot.organization_id)
    if quantity is not _MISSING or unit is not _MISSING:
        _check_plausible(f, lot.growing_area, new_quantity, new_unit)
        _check_used(f, session, lot, new_quantity, new_unit)
    f.raise_if_any()
    lot.harvest_date = new_date
    lot.quantity = new_quantity
    lot.unit = new_unit
    if house is not _MISSING:
        lot.packing_house_id = house.id if house is not None else None
        lot.packing_house = house
    session.flush()
    return lot


def void_lot(session: Session, *, actor: User, lot_id: Any, reason: Any) -> Lot:
    """Void a lot whose label may be out there: it stays, its public page says it is withdrawn and why."""
    lot = writable_lot(session, actor=actor, lot_id=lot_id)
    f = Fields()
    reason = f.check("reason", v.required_text, reason if isinstance(reason, str) else None, max_length=1000)
    f.raise_if_any()
    lot.voided_at = utcnow()
    lot.void_reason = reason
    lot.voided_by_id = actor.id
    session.flush()
    return lot


def packing_house_options(session: Session, *, actor: User, include_id: int | None = None) -> list[PackingHouse]:
    """Active packing houses the actor may send lots through (a member's own organization's)."""
    condition = PackingHouse.status == CodeStatus.ACTIVE
    if include_id is not None:
        condition = sa.or_(condition, PackingHouse.id == include_id)
    stmt = sa.select(PackingHouse).where(condition).order_by(PackingHouse.name, PackingHouse.id)
    return list(session.scalars(scope(stmt, actor, PackingHouse.organization_id)).unique())


def list_lots(session: Session, *, actor: User, page: int = 1, per_page: int = 25) -> Page[Lot]:
    stmt = sa.select(Lot).order_by(Lot.harvest_date.desc(), Lot.id.desc())
    return paginate(session, scope(stmt, actor, Lot.organization_id), page=page, per_page=per_page)


def get_lot(session: Session, *, actor: User, lot_id: int) -> Lot:
    return get_visible(session, Lot, lot_id, actor=actor, not_found=_l("Lot not found."))
