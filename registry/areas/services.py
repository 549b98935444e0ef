"""Growing-area services. Session first, never commit, raise registry.core.errors.

The area's own record lives here (create, edit, list with filters); households, GAP certificates and seasons
are in registry.areas.record.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from registry.areas import geometry as geo
from registry.areas.models import AreaKind, GrowingArea, Household
from registry.core import validators as v
from registry.core.auth import Actor, get_visible, require_writer, scope, writable_organization_id
from registry.core.db import Page, paginate
from registry.core.errors import Conflict, ValidationError
from registry.core.fields import Fields, Filters, choice, db_int, optional_decimal, positive_decimal
from registry.core.i18n import _l
from registry.lifecycle import services as lifecycle
from registry.lifecycle.models import FINAL, CodeStatus
from registry.organizations.services import organization_exists
from registry.products.crops import CROPS, crop_filter
from registry.units.services import commune_field, place_filter

# The fields PATCH /areas/<id> and the edit page may change.
EDITABLE = (
    "name",
    "variety",
    "area_ha",
    "commune_code",
    "household_count",
    "planting_year",
    "seed_origin",
    "average_yield_t",
    "expected_yield_t",
    "geometry",
    "gps",
    "markets",
    "kind",
    "legacy_place",
)


def _check_record(f: Fields, data: dict[str, Any]) -> dict[str, Any]:
    """Check the optional parts of the record present in ``data``; return the cleaned column values."""
    out: dict[str, Any] = {}
    if "household_count" in data:
        out["household_count"] = f.check(
            "household_count",
            geo.whole_number,
            data["household_count"],
            _l("Enter the number of households, a whole number from 1 to 100,000."),
            low=1,
            high=100_000,
        )
    if "planting_year" in data:
        out["planting_year"] = f.check("planting_year", geo.planting_year, data["planting_year"])
    if "seed_origin" in data:
        out["seed_origin"] = f.check("seed_origin", v.optional_text, data["seed_origin"], max_length=300)
    for name in ("average_yield_t", "expected_yield_t"):
        if name in data:
            out[name] = f.check(
                name,
                optional_decimal,
                data[name],
                _l("Enter the yield in tonnes, 0 or more."),
                max_digits=12,
                places=3,
            )
    if "geometry" in data:
        out["geometry"], out["geometry_ha"] = f.check("geometry", geo.parse_map, data["geometry"]) or (None, None)
    if "gps" in data:
        lat_lon = f.check("gps", geo.gps_point, data["gps"])
        out["gps_lat"], out["gps_lon"] = lat_lon or (None, None)
    if "markets" in data:
        out["markets"] = f.check("markets", geo.parse_markets, data["markets"]) or []
    return out


def _check_markets_for_kind(f: Fields, kind: AreaKind | None, markets: list[str] | None) -> None:
    if kind == AreaKind.DOMESTIC and markets and not f.has("markets"):
        f.add("markets", _l("Markets apply only to export codes; a domestic code has none."))


def _check_min_area(f: Fields, crop: str, area: Decimal | None) -> None:
    crop_obj = CROPS.get(crop)
    if area is not None and crop_obj is not None and area < crop_obj.min_area_ha:
        f.add(
            "area_ha",
            _l("A growing area of %(crop)s must be at least %(min)s ha.", crop=crop_obj.name, min=crop_obj.min_area_ha),
        )


def _area_ha(f: Fields, value: Any) -> Decimal | None:
    return f.check(
        "area_ha", positive_decimal, value, _l("Enter the area in hectares, greater than 0."), max_digits=12, places=4
    )


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
    **record: Any,
) -> GrowingArea:
    """Register an application for a growing area. It starts pending; the department activates it.

    A code the applicant says was issued elsewhere is kept as claimed (provisional) until the department
    confirms it on activation, so nobody can block a real holder by typing its code first. ``record`` holds
    the optional parts of the record: household_count, planting_year, seed_origin, average_yield_t,
    expected_yield_t, geometry, gps ({"lat", "lon"}) and markets.
    """
    unknown = set(record) - set(EDITABLE)
    if unknown:
        raise ValidationError({k: _l("Unknown field.") for k in sorted(unknown)})
    org_id = writable_organization_id(actor, organization_id)
    f = Fields()
    if not organization_exists(session, org_id):
        f.add("organization_id", _l("Organization not found."))
    name = f.check("name", v.required_text, name, max_length=200)
    kind = f.check("kind", choice, kind, AreaKind, _l("Choose domestic or export."))
    if crop not in CROPS:
        f.add("crop", _l("Choose a crop from the list."))
    variety = f.check("variety", v.optional_text, variety, max_length=100)
    legacy_place = f.check("legacy_place", v.optional_text, legacy_place, max_length=300)
    area = _area_ha(f, area_ha)
    _check_min_area(f, crop, area)
    commune = commune_field(session, f, "commune_code", commune_code)
    claimed = f.check("code", v.area_code_as_issued, code) if code else None
    values = _check_record(f, record)
    _check_markets_for_kind(f, kind, values.get("markets"))
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
        **{"markets": [], **values},
    )
    session.add(row)
    session.flush()
    lifecycle.start_history(session, row, actor=actor)
    session.flush()
    return row


def writable_area(session: Session, *, actor: Actor, area_id: Any) -> GrowingArea:
    """An area its owner (or the admin) may change: 404 if not visible, 403 for inspectors, 409 when final."""
    area = get_area(session, actor=actor, area_id=area_id)
    require_writer(actor, area.organization_id)
    if area.status in FINAL:
        raise Conflict(
            _l(
                "A code that is %(status)s is closed: its record can no longer be changed.",
                status=lifecycle.status_label(area.status),
            )
        )
    return area


def plots_total(session: Session, area: GrowingArea) -> Decimal:
    total = session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(Household.plot_ha), 0)).where(Household.growing_area_id == area.id)
    )
    return Decimal(str(total or 0))


def update_area(session: Session, *, actor: Actor, area_id: Any, changes: dict[str, Any]) -> GrowingArea:
    """Correct an area's record. Only the keys present change; everything is checked before anything is set.

    The issued code and the status are never edited here: the code is kept as issued and the status moves only
    through the lifecycle (…/status, …/withdraw, inspections).
    """
    area = writable_area(session, actor=actor, area_id=area_id)
    lifecycle.lock_subject(session, area)
    f = Fields()
    claimed: str | None = None
    if "status" in changes:
        f.add(
            "status",
            _l("The status cannot be edited: it changes only by a decision of the department or a withdrawal."),
        )
    if "code" in changes:
        if area.code is not None:
            f.add(
                "code",
                _l("The code %(code)s was issued and is kept exactly as issued: it cannot be edited.", code=area.code),
            )
        else:
            raw = changes["code"]
            claimed = f.check("code", v.area_code_as_issued, raw) if raw else None
    unknown = set(changes) - set(EDITABLE) - {"status", "code"}
    for key in sorted(unknown):
        f.add(key, _l("This field cannot be edited."))
    values: dict[str, Any] = {}
    if "name" in changes:
        values["name"] = f.check("name", v.required_text, changes["name"], max_length=200)
    if "variety" in changes:
        values["variety"] = f.check("variety", v.optional_text, changes["variety"], max_length=100)
    if "legacy_place" in changes:
        values["legacy_place"] = f.check("legacy_place", v.optional_text, changes["legacy_place"], max_length=300)
    if "kind" in changes:
        values["kind"] = f.check("kind", choice, changes["kind"], AreaKind, _l("Choose domestic or export."))
    if "commune_code" in changes:
        commune = commune_field(session, f, "commune_code", changes["commune_code"])
        values["commune_code"] = commune.code if commune else None
    if "area_ha" in changes:
        values["area_ha"] = _area_ha(f, changes["area_ha"])
        _check_min_area(f, area.crop, values["area_ha"])
        if values["area_ha"] is not None:
            total = plots_total(session, area)
            if total > values["area_ha"]:
                f.add(
                    "area_ha",
                    _l(
                        "The households' plots add up to %(total)s ha, more than %(area)s ha.",
                        total=total,
                        area=values["area_ha"],
                    ),
                )
    values.update(_check_record(f, changes))
    kind = values.get("kind", area.kind) if not f.has("kind") else None
    markets = values["markets"] if "markets" in values else list(area.markets or [])
    if kind == AreaKind.DOMESTIC and markets and not f.has("markets"):
        if "markets" in changes:
            f.add("markets", _l("Markets apply only to export codes; a domestic code has none."))
        else:
            f.add("kind", _l("Remove the export markets before making the code domestic."))
    f.raise_if_any()
    if "code" in changes:
        area.claimed_code = claimed
    for key, value in values.items():
        setattr(area, key, value)
    session.flush()
    return area


def get_area(session: Session, *, actor: Actor, area_id: Any) -> GrowingArea:
    return get_visible(session, GrowingArea, area_id, actor=actor, not_found=_l("Growing area not found."))


def area_filters(
    session: Session,
    *,
    actor: Actor,
    status: Any = None,
    province: Any = None,
    commune: Any = None,
    crop: Any = None,
    organization_id: Any = None,
) -> list[Any]:
    """WHERE clauses for the areas list; every unknown value is named in a 422."""
    f = Filters()
    if status not in (None, ""):
        parsed = next((s for s in CodeStatus if s.value == status), None)
        if parsed is None:
            f.refuse("status", status, _l("Unknown status."))
        else:
            f.clauses.append(GrowingArea.status == parsed)
    for allowed in place_filter(session, f, province=province, commune=commune):
        f.clauses.append(GrowingArea.commune_code.in_(allowed))
    crop_code = crop_filter(f, crop)
    if crop_code is not None:
        f.clauses.append(GrowingArea.crop == crop_code)
    if organization_id not in (None, ""):
        org = db_int(organization_id)
        visible = org is not None and (actor.is_department or org == actor.organization_id)
        if not visible or not organization_exists(session, org):
            f.refuse(
                "organization_id", organization_id, _l("There is no organization with id %(id)s.", id=organization_id)
            )
        else:
            f.clauses.append(GrowingArea.organization_id == org)
    f.raise_if_any()
    return f.clauses


def list_areas(
    session: Session,
    *,
    actor: Actor,
    page: int = 1,
    per_page: int = 25,
    status: str | None = None,
    province: str | None = None,
    commune: str | None = None,
    crop: str | None = None,
    organization_id: Any = None,
) -> Page[GrowingArea]:
    clauses = area_filters(
        session,
        actor=actor,
        status=status,
        province=province,
        commune=commune,
        crop=crop,
        organization_id=organization_id,
    )
    stmt = sa.select(GrowingArea).where(*clauses).order_by(GrowingArea.id.desc())
    return paginate(session, scope(stmt, actor, GrowingArea.organization_id), page=page, per_page=per_page)


def household_total(area: GrowingArea) -> int | None:
    """What an area's `households` count means: the households listed, or the declared count when none are."""
    return len(area.households) if area.households else area.household_count


def change_area_status(
    session: Session, *, actor: Actor, area_id: int, status: str, reason: str | None = None
) -> GrowingArea:
    area = get_area(session, actor=actor, area_id=area_id)
    lifecycle.transition(session, area, actor=actor, status=status, reason=reason)
    return area
