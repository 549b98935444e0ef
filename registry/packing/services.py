"""Packing-house services. Session first, never commit."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from registry.core import validators as v
from registry.core.auth import Actor, get_visible, require_writer, scope, writable_organization_id
from registry.core.db import Page, paginate
from registry.core.errors import Conflict
from registry.core.fields import Fields, positive_decimal
from registry.core.i18n import _l
from registry.lifecycle import services as lifecycle
from registry.lifecycle.markets import parse_markets
from registry.lifecycle.models import FINAL, CodeStatus
from registry.organizations.services import organization_exists
from registry.packing.models import PackingHouse
from registry.units.services import commune_field

EDITABLE = ("name", "address", "capacity_t_per_day", "commune_code", "markets", "legacy_place")


def _capacity(f: Fields, value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    return f.check(
        "capacity_t_per_day",
        positive_decimal,
        value,
        _l("Enter the capacity in tonnes a day, greater than 0."),
        max_digits=10,
        places=2,
    )


def create_packing_house(
    session: Session,
    *,
    actor: Actor,
    name: str,
    commune_code: str,
    organization_id: int | None = None,
    address: str | None = None,
    capacity_t_per_day: Any = None,
    code: str | None = None,
    legacy_place: str | None = None,
) -> PackingHouse:
    """Apply for a packing-house code. It starts pending; a code issued elsewhere stays provisional until confirmed."""
    org_id = writable_organization_id(actor, organization_id)
    f = Fields()
    if not organization_exists(session, org_id):
        f.add("organization_id", _l("Organization not found."))
    name = f.check("name", v.required_text, name, max_length=200)
    address = f.check("address", v.optional_text, address, max_length=300)
    legacy_place = f.check("legacy_place", v.optional_text, legacy_place, max_length=300)
    capacity = _capacity(f, capacity_t_per_day)
    commune = commune_field(session, f, "commune_code", commune_code)
    claimed = f.check("code", v.area_code_as_issued, code) if code else None
    f.raise_if_any()
    house = PackingHouse(
        name=name,
        organization_id=org_id,
        commune_code=commune.code,
        address=address,
        legacy_place=legacy_place,
        capacity_t_per_day=capacity,
        claimed_code=claimed,
        markets=[],
        status=CodeStatus.PENDING,
    )
    session.add(house)
    session.flush()
    lifecycle.start_history(session, house, actor=actor)
    session.flush()
    return house


def list_packing_houses(
    session: Session, *, actor: Actor, page: int = 1, per_page: int = 25, status: str | None = None
) -> Page[PackingHouse]:
    stmt = sa.select(PackingHouse).order_by(PackingHouse.id.desc())
    if status:
        stmt = stmt.where(PackingHouse.status == lifecycle.parse_status(status))
    return paginate(session, scope(stmt, actor, PackingHouse.organization_id), page=page, per_page=per_page)


def get_packing_house(session: Session, *, actor: Actor, house_id: Any) -> PackingHouse:
    return get_visible(session, PackingHouse, house_id, actor=actor, not_found=_l("Packing house not found."))


def list_active_for(session: Session, actor: Actor) -> list[PackingHouse]:
    """Active packing houses the actor's organization may name on a lot (the department sees every one)."""
    stmt = sa.select(PackingHouse).where(PackingHouse.status == CodeStatus.ACTIVE).order_by(PackingHouse.name)
    return list(session.scalars(scope(stmt, actor, PackingHouse.organization_id)))


def writable_packing_house(session: Session, *, actor: Actor, house_id: Any) -> PackingHouse:
    """A house its owner (or the admin) may change: 404 if not visible, 403 for inspectors, 409 when final."""
    house = get_packing_house(session, actor=actor, house_id=house_id)
    require_writer(actor, house.organization_id)
    if house.status in FINAL:
        raise Conflict(
            _l(
                "This code is %(status)s; its record can no longer be edited.",
                status=lifecycle.status_label(house.status),
            )
        )
    return house


def update_packing_house(session: Session, *, actor: Actor, house_id: Any, changes: dict[str, Any]) -> PackingHouse:
    """Correct a packing house's record. The issued code and the status are never edited here."""
    house = writable_packing_house(session, actor=actor, house_id=house_id)
    lifecycle.lock_subject(session, house)
    f = Fields()
    if "status" in changes:
        f.add(
            "status",
            _l("The status cannot be edited: it changes only by a decision of the department or a withdrawal."),
        )
    if "code" in changes:
        f.add("code", _l("A code is kept exactly as issued: it cannot be edited."))
    for key in sorted(set(changes) - set(EDITABLE) - {"status", "code"}):
        f.add(key, _l("This field cannot be edited."))
    values: dict[str, Any] = {}
    if "name" in changes:
        values["name"] = f.check("name", v.required_text, changes["name"], max_length=200)
    if "address" in changes:
        values["address"] = f.check("address", v.optional_text, changes["address"], max_length=300)
    if "legacy_place" in changes:
        values["legacy_place"] = f.check("legacy_place", v.optional_text, changes["legacy_place"], max_length=300)
    if "capacity_t_per_day" in changes:
        values["capacity_t_per_day"] = _capacity(f, changes["capacity_t_per_day"])
    if "commune_code" in changes:
        commune = commune_field(session, f, "commune_code", changes["commune_code"])
        values["commune_code"] = commune.code if commune else None
    if "markets" in changes:
        values["markets"] = f.check("markets", parse_markets, changes["markets"]) or []
    f.raise_if_any()
    for key, value in values.items():
        setattr(house, key, value)
    session.flush()
    return house
