"""Organization services. Session first, never commit, raise registry.core.errors."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from registry.core import validators as v
from registry.core.auth import Actor, get_visible, require_department, scope
from registry.core.db import Page, paginate
from registry.core.fields import Fields, choice
from registry.core.i18n import _l
from registry.organizations.models import Organization, OrganizationKind
from registry.units.services import commune_field


def create_organization(
    session: Session,
    *,
    actor: Actor,
    name: str,
    kind: str,
    tax_code: str,
    commune_code: str,
    address: str | None = None,
    phone: str | None = None,
) -> Organization:
    require_department(actor)
    f = Fields()
    name = f.check("name", v.required_text, name, max_length=200)
    kind = f.check("kind", choice, kind, OrganizationKind, _l("Choose cooperative or enterprise."))
    tax_code = f.check("tax_code", v.tax_code, tax_code)
    address = f.check("address", v.optional_text, address, max_length=300)
    phone = f.check("phone", v.optional_text, phone, max_length=20)
    commune = commune_field(session, f, "commune_code", commune_code)
    if tax_code and session.scalar(sa.select(Organization.id).where(Organization.tax_code == tax_code)):
        f.add("tax_code", _l("An organization with tax code %(code)s is already registered.", code=tax_code))
    f.raise_if_any()
    org = Organization(name=name, kind=kind, tax_code=tax_code, commune_code=commune.code, address=address, phone=phone)
    session.add(org)
    session.flush()
    return org


def list_organizations(session: Session, *, actor: Actor, page: int = 1, per_page: int = 25) -> Page[Organization]:
    stmt = scope(sa.select(Organization).order_by(Organization.name, Organization.id), actor, Organization.id)
    return paginate(session, stmt, page=page, per_page=per_page)


def get_organization(session: Session, *, actor: Actor, organization_id: int) -> Organization:
    return get_visible(
        session, Organization, organization_id, actor=actor, not_found=_l("Organization not found."), owner="id"
    )


def organization_exists(session: Session, organization_id: int | None) -> bool:
    from registry.core.fields import db_int

    return db_int(organization_id) is not None and session.get(Organization, organization_id) is not None
