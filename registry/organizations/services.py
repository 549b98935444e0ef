"""Organization services. Session first, never commit, raise registry.core.errors."""

from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from registry.core import validators as v
from registry.core.auth import Actor, can_write, get_visible, require_department, require_writer, scope
from registry.core.db import Page, paginate
from registry.core.errors import Forbidden
from registry.core.fields import Fields, choice, db_int
from registry.core.i18n import _l
from registry.organizations.models import Organization, OrganizationKind
from registry.units.services import commune_field, normalise_commune_code


class _Unset:
    """A PATCH field that was not sent: leave the column as it is."""

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Any = _Unset()

# What a member may change on their own organization's record; the rest is the department's.
MEMBER_FIELDS = ("name", "address", "phone")


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
    return db_int(organization_id) is not None and session.get(Organization, organization_id) is not None


def _unchanged(org: Organization, name: str, value: Any) -> bool:
    """True when a department-only field is sent back with the value it already has."""
    if name == "kind":
        return isinstance(value, str) and value == org.kind.value
    if name == "dissolved_on":
        return value in (None, "") and org.dissolved_on is None or str(value) == str(org.dissolved_on)
    if name == "tax_code":
        return isinstance(value, str) and re.sub(r"\s", "", value) == org.tax_code
    return isinstance(value, str) and normalise_commune_code(value) == org.commune_code


def may_edit_organization(actor: Actor, organization_id: int) -> bool:
    return actor.is_department or can_write(actor, organization_id)


def require_organization_writer(actor: Actor, organization_id: int) -> None:
    if not may_edit_organization(actor, organization_id):
        require_writer(actor, organization_id)


def update_organization(
    session: Session,
    *,
    actor: Actor,
    organization_id: int,
    name: Any = UNSET,
    kind: Any = UNSET,
    tax_code: Any = UNSET,
    commune_code: Any = UNSET,
    address: Any = UNSET,
    phone: Any = UNSET,
    dissolved_on: Any = UNSET,
) -> Organization:
    """Correct an organization's record. Fields left UNSET stay as they are.

    The department registers organizations, so it (inspectors and the admin) may change everything. A member
    may correct the name, address and phone of their own organization; the kind, tax code and commune are the
    department's to change.
    """
    org = get_organization(session, actor=actor, organization_id=organization_id)
    require_organization_writer(actor, org.id)
    if not actor.is_department:
        restricted = {"kind": kind, "tax_code": tax_code, "commune_code": commune_code, "dissolved_on": dissolved_on}
        if any(value is not UNSET and not _unchanged(org, key, value) for key, value in restricted.items()):
            raise Forbidden(
                _l("Only the provincial department can change the kind, tax code, commune or dissolution date.")
            )
        kind = tax_code = commune_code = dissolved_on = UNSET
    f = Fields()
    values: dict[str, Any] = {}
    if name is not UNSET:
        values["name"] = f.check("name", v.required_text, name, max_length=200)
    if kind is not UNSET:
        values["kind"] = f.check("kind", choice, kind, OrganizationKind, _l("Choose cooperative or enterprise."))
    if tax_code is not UNSET:
        code = f.check("tax_code", v.tax_code, tax_code)
        taken = sa.select(Organization.id).where(Organization.tax_code == code, Organization.id != org.id)
        if code and session.scalar(taken):
            f.add("tax_code", _l("An organization with tax code %(code)s is already registered.", code=code))
        values["tax_code"] = code
    if commune_code is not UNSET:
        commune = commune_field(session, f, "commune_code", commune_code)
        values["commune_code"] = commune.code if commune else None
    if address is not UNSET:
        values["address"] = f.check("address", v.optional_text, address, max_length=300)
    if phone is not UNSET:
        values["phone"] = f.check("phone", v.optional_text, phone, max_length=20)
    if dissolved_on is not UNSET:
        values["dissolved_on"] = f.check("dissolved_on", v.date_value, dissolved_on, required=False)
    f.raise_if_any()
    for key, value in values.items():
        setattr(org, key, value)
    session.flush()
    return org


def count_users(session: Session, organization_id: int) -> int:
    """How many accounts work for an organization (accounts sit above this layer: a plain table query)."""
    users = sa.table("user_account", sa.column("organization_id"))
    return session.scalar(
        sa.select(sa.func.count()).select_from(users).where(users.c.organization_id == organization_id)
    )
