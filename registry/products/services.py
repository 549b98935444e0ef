"""Product services. Session first, never commit."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from registry.core import validators as v
from registry.core.auth import Actor, get_visible, require_writer, scope, writable_organization_id
from registry.core.db import Page, paginate
from registry.core.fields import Fields, db_int
from registry.core.i18n import _l
from registry.organizations.services import UNSET, organization_exists
from registry.products.crops import CROPS
from registry.products.models import Product

MAX_SHELF_LIFE_DAYS = 3650


def shelf_life(value: Any) -> int | None:
    """Days from harvest, a whole number from 1 to ten years; empty means not stated."""
    if value in (None, ""):
        return None
    try:
        days = int(str(value).strip()) if not isinstance(value, bool) else None
    except ValueError:
        days = None
    if days is None or isinstance(value, float) or not 1 <= days <= MAX_SHELF_LIFE_DAYS:
        raise v.FieldError(_l("A whole number of days from 1 to %(n)s.", n=MAX_SHELF_LIFE_DAYS))
    return days


def create_product(
    session: Session,
    *,
    actor: Actor,
    name: str,
    crop: str,
    organization_id: int | None = None,
    gtin: str | None = None,
    description: str | None = None,
    brand: str | None = None,
    shelf_life_days: Any = None,
) -> Product:
    org_id = writable_organization_id(actor, organization_id)
    f = Fields()
    if not organization_exists(session, org_id):
        f.add("organization_id", _l("Organization not found."))
    name = f.check("name", v.required_text, name, max_length=200)
    if crop not in CROPS:
        f.add("crop", _l("Choose a crop from the list."))
    description = f.check("description", v.optional_text, description, max_length=5000)
    brand = f.check("brand", v.optional_text, brand, max_length=100)
    shelf_life_days = f.check("shelf_life_days", shelf_life, shelf_life_days)
    if gtin:
        gtin = f.check("gtin", v.gtin14, gtin)
        if gtin and session.scalar(sa.select(Product.id).where(Product.gtin == gtin)):
            f.add("gtin", _l("The GTIN %(gtin)s is already used by another product.", gtin=gtin))
    f.raise_if_any()
    product = Product(
        name=name,
        crop=crop,
        organization_id=org_id,
        gtin=gtin or None,
        description=description,
        brand=brand,
        shelf_life_days=shelf_life_days,
    )
    session.add(product)
    session.flush()
    return product


def list_products(
    session: Session, *, actor: Actor, page: int = 1, per_page: int = 25, organization_id: Any = None
) -> Page[Product]:
    stmt = sa.select(Product).order_by(Product.name, Product.id)
    if organization_id not in (None, ""):
        # An id no database can hold matches nothing, rather than failing.
        stmt = stmt.where(Product.organization_id == (db_int(organization_id) or 0))
    return paginate(session, scope(stmt, actor, Product.organization_id), page=page, per_page=per_page)


def get_product(session: Session, *, actor: Actor, product_id: int) -> Product:
    return get_visible(session, Product, product_id, actor=actor, not_found=_l("Product not found."))


# Lots are a higher layer (trace); the products layer only needs to know whether any exist.
_lot = sa.table("lot", sa.column("product_id"))


def has_lots(session: Session, product_id: int) -> bool:
    return session.scalar(sa.select(sa.exists().where(_lot.c.product_id == product_id))) or False


def update_product(
    session: Session,
    *,
    actor: Actor,
    product_id: int,
    name: Any = UNSET,
    crop: Any = UNSET,
    gtin: Any = UNSET,
    description: Any = UNSET,
    brand: Any = UNSET,
    shelf_life_days: Any = UNSET,
) -> Product:
    """Correct a product. Fields left UNSET stay as they are.

    The GTIN may be set, changed or removed while no lot of the product exists; once a lot exists its labels
    carry the GTIN, so it is fixed.
    """
    product = get_product(session, actor=actor, product_id=product_id)
    require_writer(actor, product.organization_id)
    f = Fields()
    values: dict[str, Any] = {}
    if name is not UNSET:
        values["name"] = f.check("name", v.required_text, name, max_length=200)
    if crop is not UNSET:
        if crop not in CROPS:
            f.add("crop", _l("Choose a crop from the list."))
        values["crop"] = crop
    if description is not UNSET:
        values["description"] = f.check("description", v.optional_text, description, max_length=5000)
    if brand is not UNSET:
        values["brand"] = f.check("brand", v.optional_text, brand, max_length=100)
    if shelf_life_days is not UNSET:
        values["shelf_life_days"] = f.check("shelf_life_days", shelf_life, shelf_life_days)
    if gtin is not UNSET:
        new_gtin = f.check("gtin", v.gtin14, gtin) if (gtin or "").strip() else None
        if not f.has("gtin") and new_gtin != product.gtin:
            taken = sa.select(Product.id).where(Product.gtin == new_gtin, Product.id != product.id)
            if has_lots(session, product.id):
                f.add("gtin", _l("Lots of this product are recorded with its GTIN; the GTIN can no longer change."))
            elif new_gtin and session.scalar(taken):
                f.add("gtin", _l("The GTIN %(gtin)s is already used by another product.", gtin=new_gtin))
        values["gtin"] = new_gtin
    f.raise_if_any()
    for key, value in values.items():
        setattr(product, key, value)
    session.flush()
    return product
