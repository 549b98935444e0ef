"""HTML pages for growing areas: the list (with the inspectors' filters), the application, the record and its edit."""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import login_required

from registry.areas import geometry as geo
from registry.areas import record, services
from registry.areas.forms import AreaEditForm, AreaForm, CertificateForm, HouseholdForm, SeasonForm
from registry.core.auth import Role, can_write, page_user
from registry.core.db import today_in_vietnam
from registry.core.errors import DomainError, Forbidden, ValidationError
from registry.core.extensions import db
from registry.core.forms import apply_errors, choices, status_code
from registry.core.i18n import _l, translate
from registry.core.web import notify, page_number, per_page
from registry.lifecycle import services as lifecycle
from registry.lifecycle.forms import StatusForm
from registry.lifecycle.models import FINAL, CodeStatus
from registry.lifecycle.views import register_code_pages
from registry.organizations.views import organization_choices
from registry.products.crops import CROPS
from registry.units.services import list_communes
from registry.units.views import chosen_province, commune_choices, province_list

bp = Blueprint("areas", __name__)

FILTERS = ("province", "commune", "crop", "organization_id", "status")
LIST_STATUSES = ("pending", "active", "suspended", "revoked", "withdrawn", "refused")


def may_apply(user) -> bool:
    """Members and the admin register areas; inspectors only check them, so they never see the form."""
    return user.role in (Role.MEMBER, Role.ADMIN)


@bp.get("/areas")
@login_required
def areas():
    user = page_user()
    filters = {k: request.args.get(k, "").strip() for k in FILTERS}
    active = {k: v for k, v in filters.items() if v}
    errors: dict[str, list[str]] = {}
    message = None
    try:
        page = services.list_areas(db.session, actor=user, page=page_number(), per_page=per_page(), **active)
    except ValidationError as exc:
        db.session.rollback()
        errors = {k: [translate(m) for m in v] for k, v in exc.errors.items()}
        message = translate(exc.message)
        page = None
    province = filters["province"] if "province" not in errors else ""
    communes = list_communes(db.session, province_code=province.zfill(2)) if province else []
    html = render_template(
        "registry/areas.html",
        page=page,
        filters=filters,
        active=active,
        errors=errors,
        message=message,
        provinces=province_list(),
        communes=communes,
        crops=CROPS,
        statuses=LIST_STATUSES,
        organizations=organization_choices(user) if user.is_department else [],
        can_apply=may_apply(user),
    )
    return html, 422 if errors else 200


def _record_changes(form: AreaEditForm) -> dict[str, Any]:
    """The form's fields as the service's keys (the GPS point as one value, so both halves are checked together)."""
    lat, lon = (form.gps_lat.data or "").strip(), (form.gps_lon.data or "").strip()
    return {
        "name": form.name.data,
        "kind": form.kind.data,
        "variety": form.variety.data,
        "area_ha": form.area_ha.data,
        "commune_code": form.commune_code.data,
        "legacy_place": form.legacy_place.data,
        "household_count": form.household_count.data,
        "planting_year": form.planting_year.data,
        "seed_origin": form.seed_origin.data,
        "average_yield_t": form.average_yield_t.data,
        "expected_yield_t": form.expected_yield_t.data,
        "geometry": form.geometry.data,
        "gps": {"lat": lat, "lon": lon} if (lat or lon) else None,
        "markets": form.markets.data,
    }


def _show_errors(form: AreaEditForm, exc: DomainError) -> None:
    if "gps" in exc.errors:
        exc.errors["gps_lat"] = exc.errors.pop("gps")
    apply_errors(form, exc)


def _place_choices(form: AreaEditForm, province: str) -> None:
    form.province.choices = choices((p.code, p.name) for p in province_list())
    form.province.data = province
    form.commune_code.choices = commune_choices(province)


def _refreshing() -> bool:
    """The form was sent back only to list another province's communes: keep what was typed, save nothing."""
    return request.method == "POST" and bool(request.form.get("refresh"))


@bp.route("/areas/new", methods=["GET", "POST"])
@login_required
def area_new():
    user = page_user()
    if not may_apply(user):
        raise Forbidden(_l("Department inspectors check records; cooperatives and enterprises register them."))
    province = chosen_province(user)
    form = AreaForm()
    form.organization_id.choices = organization_choices(user)
    _place_choices(form, province)
    if not _refreshing() and form.validate_on_submit():
        try:
            area = services.create_area(
                db.session,
                actor=user,
                organization_id=form.organization_id.data,
                crop=form.crop.data,
                code=form.code.data,
                **_record_changes(form),
            )
            db.session.commit()
            notify(_l("Application saved. The department will review it."))
            return redirect(url_for("areas.area_detail", area_id=area.id))
        except DomainError as exc:
            db.session.rollback()
            _show_errors(form, exc)
    return render_template("registry/area_form.html", form=form, area=None), status_code(form)


@bp.route("/areas/<int:area_id>/edit", methods=["GET", "POST"])
@login_required
def area_edit(area_id: int):
    user = page_user()
    area = services.writable_area(db.session, actor=user, area_id=area_id)
    if request.method == "GET":
        form = AreaEditForm(obj=area)
        form.geometry.data = json.dumps(area.geometry, ensure_ascii=False) if area.geometry else ""
        form.gps_lat.data = "" if area.gps_lat is None else str(area.gps_lat)
        form.gps_lon.data = "" if area.gps_lon is None else str(area.gps_lon)
        form.markets.data = " ".join(area.markets or [])
        form.kind.data = area.kind.value
        for name in ("area_ha", "average_yield_t", "expected_yield_t", "household_count", "planting_year"):
            value = getattr(area, name)
            getattr(form, name).data = "" if value is None else str(value)
        province = request.args.get("province") or area.commune.province_code
    else:
        form = AreaEditForm()
        province = chosen_province(user)
    _place_choices(form, province)
    if request.method == "GET":
        form.commune_code.data = area.commune_code
    if not _refreshing() and form.validate_on_submit():
        try:
            services.update_area(db.session, actor=user, area_id=area.id, changes=_record_changes(form))
            db.session.commit()
            notify(_l("Record saved."))
            return redirect(url_for("areas.area_detail", area_id=area.id))
        except DomainError as exc:
            db.session.rollback()
            _show_errors(form, exc)
    return render_template("registry/area_form.html", form=form, area=area), status_code(form)


def _render_detail(area, user, *, household_form=None, certificate_form=None, season_form=None, status: int = 200):
    form = StatusForm()
    form.status.choices = choices(
        (s.value, lifecycle.status_label(s)) for s in lifecycle.allowed_moves(area, user) if s != CodeStatus.WITHDRAWN
    )
    writer = can_write(user, area.organization_id) and area.status not in FINAL
    gps = (area.gps_lat, area.gps_lon) if area.gps_lat is not None else None
    html = render_template(
        "registry/area_detail.html",
        area=area,
        form=form,
        writer=writer,
        can_withdraw=CodeStatus.WITHDRAWN in lifecycle.allowed_moves(area, user),
        households=area.households,
        household_total=services.household_total(area),
        plots_ha=sum((h.plot_ha for h in area.households), start=0),
        household_form=household_form or HouseholdForm(prefix="hh"),
        certificate_form=certificate_form or CertificateForm(prefix="cert"),
        season_form=season_form or SeasonForm(prefix="season"),
        svg=geo.svg_map(area.geometry, gps),
        ha_differs=geo.differs(area.area_ha, area.geometry_ha),
        today=today_in_vietnam(),
    )
    return html, status


@bp.get("/areas/<int:area_id>")
@login_required
def area_detail(area_id: int):
    user = page_user()
    area = services.get_area(db.session, actor=user, area_id=area_id)
    return _render_detail(area, user)


def _add(area_id: int, form_cls, prefix: str, slot: str, save, saved_message) -> Any:
    """POST of one of the record's list forms; errors re-render the record with the form kept (422)."""
    user = page_user()
    area = services.writable_area(db.session, actor=user, area_id=area_id)
    form = form_cls(prefix=prefix)
    if form.validate_on_submit():
        try:
            save(user, area, form)
            db.session.commit()
            notify(saved_message)
            return redirect(url_for("areas.area_detail", area_id=area.id))
        except DomainError as exc:
            db.session.rollback()
            apply_errors(form, exc)
            area = services.get_area(db.session, actor=user, area_id=area_id)
    return _render_detail(area, user, status=422, **{slot: form})


@bp.post("/areas/<int:area_id>/households")
@login_required
def area_household_new(area_id: int):
    def save(user, area, form):
        record.add_household(
            db.session,
            actor=user,
            area_id=area.id,
            name=form.name.data,
            plot_ha=form.plot_ha.data,
            phone=form.phone.data,
        )

    return _add(area_id, HouseholdForm, "hh", "household_form", save, _l("Household added."))


@bp.post("/areas/<int:area_id>/certificates")
@login_required
def area_certificate_new(area_id: int):
    def save(user, area, form):
        record.add_certificate(
            db.session,
            actor=user,
            area_id=area.id,
            scheme=form.scheme.data,
            number=form.number.data,
            issuer=form.issuer.data,
            issued_on=form.issued_on.data,
            expires_on=form.expires_on.data,
        )

    return _add(area_id, CertificateForm, "cert", "certificate_form", save, _l("Certificate recorded."))


@bp.post("/areas/<int:area_id>/seasons")
@login_required
def area_season_new(area_id: int):
    def save(user, area, form):
        record.add_season(
            db.session,
            actor=user,
            area_id=area.id,
            name=form.name.data,
            harvest_from=form.harvest_from.data,
            harvest_to=form.harvest_to.data,
            target_market=form.target_market.data,
            actual_yield_t=form.actual_yield_t.data,
        )

    return _add(area_id, SeasonForm, "season", "season_form", save, _l("Season recorded."))


def _get_area(session, *, actor, subject_id):
    return services.get_area(session, actor=actor, area_id=subject_id)


register_code_pages(
    bp, path="/areas/<int:subject_id>", name="area", get_subject=_get_area, detail_endpoint="areas.area_detail"
)
