"""Product services. Session first, never commit."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from registry.core import validators as v
from registry.core.auth import Actor, get_visible, scope, writable_organization_id
from registry.core.db import Page, paginate
from registry.core.fields import Fields
from registry.core.i18n import _l
from registry.organizations.services import organization_exists
from registry.products.crops import CROPS
from registry.products.models import Product


def create_product(
    session: Session,
    *,
    actor: Actor,
    name: str,
    crop: str,
    organization_id: int | None = None,
    gtin: str | None = None,
    description: str | None = None,
) -> Product:
    org_id = writable_organization_id(actor, organization_id)
    f = Fields()
    if not organization_exists(session, org_id):
        f.add("organization_id", _l("Organization not found."))
    name = f.check("name", v.required_text, name, max_length=200)
    if crop not in CROPS:
        f.add("crop", _l("Choose a crop from the list."))
    description = f.check("description", v.optional_text, description, max_length=5000)
    if gtin:
        gtin = f.check("gtin", v.gtin14, gtin)
        if gtin and session.scalar(sa.select(Product.id).where(Product.gtin == gtin)):
            f.add("gtin", _l("The GTIN %(gtin)s is already used by another product.", gtin=gtin))
    f.raise_if_any()
    product = Product(name=name, crop=crop, organization_id=org_id, gtin=gtin or None, description=description)
    session.add(product)
    session.flush()
    return product


def list_products(session: Session, *, actor: Actor, page: int = 1, per_page: int = 25) -> Page[Product]:
    stmt = sa.select(Product).order_by(Product.name, Product.id)
    return paginate(session, scope(stmt, actor, Product.organization_id), page=page, per_page=per_page)


def get_product(session: Session, *, actor: Actor, product_id: int) -> Product:
    return get_visible(session, Product, product_id, actor=actor, not_found=_l("Product not found."))
