"""Production-linkage model services. Session first, never commit, raise registry.core.errors.

Who sees what: the lead organization's members (and the admin) create and maintain a model; the partner
organizations' members read it; the department reads every model; anyone else gets 404, as if it did not
exist. A partner member who tries to change a model gets 403: it sees the model, so hiding it would be a lie.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from registry.areas.models import GrowingArea
from registry.core import validators as v
from registry.core.auth import Actor, Role, can_write, require_registrar
from registry.core.db import Page, paginate
from registry.core.errors import Forbidden, NotFound
from registry.core.fields import DB_INT_MAX, Fields, db_int, reference
from registry.core.i18n import _l
from registry.core.validators import FieldError
from registry.linkage.filters import model_filters
from registry.linkage.models import LinkageModel, linkage_partner

# The derived flag and its rule live in registry.linkage.tied; re-exported for callers of the services.
from registry.linkage.tied import TIED_RULE as TIED_RULE
from registry.linkage.tied import tied_to_raw_material_area as tied_to_raw_material_area
from registry.organizations.models import Organization
from registry.products.crops import CROPS
from registry.units.models import Commune
from registry.units.services import get_commune

EDITABLE = (
    "name",
    "lead_organization_id",
    "partner_organization_ids",
    "crop",
    "commune_codes",
    "area_ids",
    "partner_households",
    "started_on",
    "ended_on",
    "notes",
)

# ---------------------------------------------------------------- visibility


def _partner_of(organization_id: int | None) -> Any:
    return LinkageModel.id.in_(
        sa.select(linkage_partner.c.model_id).where(linkage_partner.c.organization_id == organization_id)
    )


def scope_models(stmt: sa.Select, actor: Actor) -> sa.Select:
    """The department sees every model; a member sees those its organization leads or partners in."""
    if actor.is_department:
        return stmt
    return stmt.where(
        sa.or_(LinkageModel.lead_organization_id == actor.organization_id, _partner_of(actor.organization_id))
    )


def can_see_model(actor: Actor, model: LinkageModel) -> bool:
    return actor.is_department or (
        actor.organization_id is not None and actor.organization_id in model.organization_ids
    )


def can_edit_model(actor: Actor, model: LinkageModel) -> bool:
    return can_write(actor, model.lead_organization_id)


def get_model(session: Session, *, actor: Actor, model_id: Any) -> LinkageModel:
    row = session.get(LinkageModel, model_id) if db_int(model_id) is not None else None
    if row is None or not can_see_model(actor, row):
        raise NotFound(_l("Linkage model not found."))
    return row


def writable_model(session: Session, *, actor: Actor, model_id: Any) -> LinkageModel:
    """A model its lead (or the admin) may change: 404 if not visible, 403 for partners and inspectors."""
    model = get_model(session, actor=actor, model_id=model_id)
    if not can_edit_model(actor, model):
        raise Forbidden(_l("Only the lead organization of this linkage model can change it."))
    return model


# ---------------------------------------------------------------- field checks


def _households(value: Any) -> int | None:
    if value in (None, ""):
        return None
    message = _l("Enter a whole number of households, 0 or more.")
    if isinstance(value, bool):
        raise FieldError(message)
    try:
        number = int(str(value).strip())
    except ValueError:
        raise FieldError(message) from None
    if number < 0:
        raise FieldError(message)
    if number > DB_INT_MAX:
        raise FieldError(_l("This number is too large; the largest accepted is %(max)s.", max=DB_INT_MAX))
    return number


def _crop(value: Any) -> str:
    if value in (None, ""):
        raise FieldError(_l("Choose the crop."))
    if not isinstance(value, str) or value not in CROPS:
        raise FieldError(_l("There is no crop “%(crop)s”.", crop=value))
    return value


def _as_list(f: Fields, name: str, value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return list(value)
    f.add(name, _l("Send a list."))
    return []


def _organizations(session: Session, f: Fields, name: str, values: list[Any]) -> list[Organization]:
    found: dict[int, Organization] = {}
    for value in values:
        number = f.check(name, reference, value, _l("There is no organization with id %(id)s.", id=value))
        if number is None:
            continue
        org = session.get(Organization, number)
        if org is None:
            f.add(name, _l("There is no organization with id %(id)s.", id=value))
        else:
            found[org.id] = org
    return list(found.values())


def _communes(session: Session, f: Fields, values: list[Any]) -> list[Commune]:
    found: dict[str, Commune] = {}
    for value in values:
        commune = get_commune(session, str(value)) if isinstance(value, (str, int)) else None
        if commune is None:
            f.add(
                "commune_codes",
                _l(
                    "There is no commune with code %(code)s. Use the 5-digit code of the commune after the July "
                    "2025 reform.",
                    code=value,
                ),
            )
        else:
            found[commune.code] = commune
    return list(found.values())


def _not_supplier(value: Any) -> Any:
    return _l("Growing area %(id)s belongs to neither the lead organization nor a partner organization.", id=value)


def _areas(session: Session, f: Fields, values: list[Any]) -> list[GrowingArea]:
    found: dict[int, GrowingArea] = {}
    for value in values:
        number = db_int(value) if not isinstance(value, bool) else None
        area = session.get(GrowingArea, number) if number is not None else None
        if area is None:
            f.add("area_ids", _not_supplier(value))
        else:
            found[area.id] = area
    return list(found.values())


def _check_areas_belong(f: Fields, areas: list[GrowingArea], organization_ids: set[int]) -> None:
    """A supplying area belongs to the lead or a partner; the same words for any other, so ids cannot be probed."""
    for area in areas:
        if area.organization_id not in organization_ids:
            f.add("area_ids", _not_supplier(area.id))


def _lead_for_create(session: Session, f: Fields, actor: Actor, value: Any) -> Organization | None:
    require_registrar(actor)
    if actor.role == Role.MEMBER:
        if value not in (None, "") and value != actor.organization_id:
            raise Forbidden(_l("You can only register records for your own organization."))
        return session.get(Organization, actor.organization_id)
    if value in (None, ""):
        f.add("lead_organization_id", _l("Choose the lead organization."))
        return None
    found = _organizations(session, f, "lead_organization_id", [value])
    return found[0] if found else None


def _check_period(f: Fields, started_on: dt.date | None, ended_on: dt.date | None) -> None:
    if started_on and ended_on and ended_on < started_on and not f.has("ended_on"):
        f.add("ended_on", _l("The period cannot end before it starts."))


def _check_partners(f: Fields, lead: Organization | None, partners: list[Organization]) -> None:
    if lead is not None and any(p.id == lead.id for p in partners):
        f.add("partner_organization_ids", _l("The lead organization cannot also be its own partner."))


# ---------------------------------------------------------------- create, update, read


def create_model(
    session: Session,
    *,
    actor: Actor,
    name: Any,
    crop: Any,
    started_on: Any,
    lead_organization_id: Any = None,
    partner_organization_ids: Any = None,
    commune_codes: Any = None,
    area_ids: Any = None,
    partner_households: Any = None,
    ended_on: Any = None,
    notes: Any = None,
) -> LinkageModel:
    """Register a linkage model: a member for its own organization, the admin naming the lead."""
    f = Fields()
    lead = _lead_for_create(session, f, actor, lead_organization_id)
    name = f.check("name", v.required_text, name, max_length=200)
    crop = f.check("crop", _crop, crop)
    households = f.check("partner_households", _households, partner_households)
    start = f.check("started_on", v.date_value, started_on, required=True)
    end = f.check("ended_on", v.date_value, ended_on, required=False)
    notes = f.check("notes", v.optional_text, notes, max_length=4000)
    partners = _organizations(
        session, f, "partner_organization_ids", _as_list(f, "partner_organization_ids", partner_organization_ids)
    )
    communes = _communes(session, f, _as_list(f, "commune_codes", commune_codes))
    areas = _areas(session, f, _as_list(f, "area_ids", area_ids))
    _check_period(f, start, end)
    _check_partners(f, lead, partners)
    if lead is not None and not f.has("partner_organization_ids"):
        _check_areas_belong(f, areas, {lead.id, *(p.id for p in partners)})
    f.raise_if_any()
    model = LinkageModel(
        name=name,
        lead_organization_id=lead.id,
        crop=crop,
        partner_households=households,
        started_on=start,
        ended_on=end,
        notes=notes,
        partners=partners,
        communes=communes,
        areas=areas,
    )
    session.add(model)
    session.flush()
    return model


def update_model(session: Session, *, actor: Actor, model_id: Any, changes: dict[str, Any]) -> LinkageModel:
    """Correct a model (its lead or the admin). Only the admin moves a model to another lead organization."""
    model = writable_model(session, actor=actor, model_id=model_id)
    f = Fields()
    if "tied_to_raw_material_area" in changes:
        f.add(
            "tied_to_raw_material_area",
            _l("This is derived from the codes of the supplying growing areas; it cannot be set."),
        )
    for key in sorted(set(changes) - set(EDITABLE) - {"tied_to_raw_material_area"}):
        f.add(key, _l("This field cannot be edited."))
    values: dict[str, Any] = {}
    lead = model.lead_organization
    if "lead_organization_id" in changes and changes["lead_organization_id"] != model.lead_organization_id:
        if actor.role != Role.ADMIN:
            f.add("lead_organization_id", _l("Only an administrator can move a model to another lead organization."))
        elif changes["lead_organization_id"] in (None, ""):
            f.add("lead_organization_id", _l("Choose the lead organization."))
        else:
            found = _organizations(session, f, "lead_organization_id", [changes["lead_organization_id"]])
            lead = found[0] if found else None
            values["lead_organization_id"] = lead.id if lead else None
    if "name" in changes:
        values["name"] = f.check("name", v.required_text, changes["name"], max_length=200)
    if "crop" in changes:
        values["crop"] = f.check("crop", _crop, changes["crop"])
    if "partner_households" in changes:
        values["partner_households"] = f.check("partner_households", _households, changes["partner_households"])
    if "notes" in changes:
        values["notes"] = f.check("notes", v.optional_text, changes["notes"], max_length=4000)
    start = model.started_on
    if "started_on" in changes:
        start = values["started_on"] = f.check("started_on", v.date_value, changes["started_on"], required=True)
    end = model.ended_on
    if "ended_on" in changes:
        end = values["ended_on"] = f.check("ended_on", v.date_value, changes["ended_on"], required=False)
    partners = model.partners
    if "partner_organization_ids" in changes:
        raw = _as_list(f, "partner_organization_ids", changes["partner_organization_ids"])
        partners = values["partners"] = _organizations(session, f, "partner_organization_ids", raw)
    if "commune_codes" in changes:
        values["communes"] = _communes(session, f, _as_list(f, "commune_codes", changes["commune_codes"]))
    areas = model.areas
    if "area_ids" in changes:
        areas = values["areas"] = _areas(session, f, _as_list(f, "area_ids", changes["area_ids"]))
    _check_period(f, start, end)
    _check_partners(f, lead, partners)
    if lead is not None and not f.has("partner_organization_ids") and not f.has("lead_organization_id"):
        _check_areas_belong(f, areas, {lead.id, *(p.id for p in partners)})
    f.raise_if_any()
    for key, value in values.items():
        setattr(model, key, value)
    session.flush()
    return model


def list_models(
    session: Session,
    *,
    actor: Actor,
    page: int = 1,
    per_page: int = 25,
    province: Any = None,
    commune: Any = None,
    crop: Any = None,
    tied: Any = None,
) -> Page[LinkageModel]:
    """Models the actor may see, newest first; filters: province or commune covered, crop, tied (today)."""
    stmt = sa.select(LinkageModel).where(
        *model_filters(session, province=province, commune=commune, crop=crop, tied=tied)
    )
    stmt = scope_models(stmt.order_by(LinkageModel.id.desc()), actor)
    return paginate(session, stmt, page=page, per_page=per_page)


# ---------------------------------------------------------------- pickers for the forms


def organization_options(session: Session) -> list[Organization]:
    """Every organization, by name: the lead picks its partners among them."""
    return list(session.scalars(sa.select(Organization).order_by(Organization.name, Organization.id)))


def area_options(session: Session, organization_ids: set[int]) -> list[GrowingArea]:
    """The areas a model led by or partnered with these organizations may name as suppliers."""
    if not organization_ids:
        return []
    stmt = (
        sa.select(GrowingArea)
        .where(GrowingArea.organization_id.in_(organization_ids))
        .order_by(GrowingArea.organization_id, GrowingArea.name, GrowingArea.id)
    )
    return list(session.scalars(stmt))
