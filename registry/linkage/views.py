"""HTML pages for production-linkage models: list, new, record and edit."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import login_required

from registry.core.auth import Role, can_see, page_user, require_registrar
from registry.core.errors import DomainError, ValidationError
from registry.core.extensions import db
from registry.core.forms import apply_errors, choices, status_code
from registry.core.i18n import _l, translate
from registry.core.web import notify, page_number, per_page
from registry.linkage import services
from registry.linkage.forms import LinkageModelForm
from registry.linkage.models import LinkageModel
from registry.organizations.views import organization_choices
from registry.products.crops import CROPS, crop_choices
from registry.units.services import get_commune, list_communes
from registry.units.views import chosen_province, commune_choices, province_list

bp = Blueprint("linkage", __name__)

FILTERS = ("province", "commune", "crop", "tied")


def may_register(user) -> bool:
    return user.role in (Role.MEMBER, Role.ADMIN)


@bp.get("/linkage-models")
@login_required
def models():
    user = page_user()
    filters = {k: request.args.get(k, "").strip() for k in FILTERS}
    active = {k: v for k, v in filters.items() if v}
    errors: dict[str, list[str]] = {}
    message = None
    try:
        page = services.list_models(db.session, actor=user, page=page_number(), per_page=per_page(), **active)
    except ValidationError as exc:
        db.session.rollback()
        errors = {k: [translate(m) for m in v] for k, v in exc.errors.items()}
        message = translate(exc.message)
        page = None
    province = filters["province"] if "province" not in errors else ""
    communes = list_communes(db.session, province_code=province.zfill(2)) if province else []
    html = render_template(
        "registry/linkage/list.html",
        page=page,
        filters=filters,
        active=active,
        errors=errors,
        message=message,
        provinces=province_list(),
        communes=communes,
        crops=CROPS,
        can_register=may_register(user),
        tied=services.tied_to_raw_material_area,
        rule=services.TIED_RULE,
    )
    return html, 422 if errors else 200


def _refreshing() -> bool:
    """The province or the partners changed: show the form again with the new choices, save nothing."""
    return request.method == "POST" and bool(request.form.get("refresh"))


def _fill_choices(form: LinkageModelForm, user, *, province: str, lead_id: int | None) -> None:
    form.lead_organization_id.choices = organization_choices(user)
    form.partner_organization_ids.choices = choices(
        (o.id, o.name) for o in services.organization_options(db.session) if o.id != lead_id
    )
    form.crop.choices = choices([("", _l("Choose…"))]) + crop_choices()
    offered = commune_choices(province)
    shown = {c.value for c in offered}
    kept = [get_commune(db.session, code) for code in form.commune_codes.data or [] if code not in shown]
    form.commune_codes.choices = choices((c.code, f"{c.full_name} ({c.code})") for c in kept if c) + offered
    organizations = {lead_id, *(form.partner_organization_ids.data or [])} - {None}
    form.area_ids.choices = choices(
        (a.id, f"{a.code or translate(_l('(not issued)'))} — {a.name} · {a.organization.name}")
        for a in services.area_options(db.session, organizations)
    )


def _lead_id(form: LinkageModelForm, user, default: int | None) -> int | None:
    if user.role == Role.MEMBER:
        return user.organization_id
    return form.lead_organization_id.data if request.method == "POST" else default


def _values(form: LinkageModelForm) -> dict[str, Any]:
    return {
        "name": form.name.data,
        "crop": form.crop.data,
        "partner_organization_ids": form.partner_organization_ids.data or [],
        "commune_codes": form.commune_codes.data or [],
        "area_ids": form.area_ids.data or [],
        "partner_households": form.partner_households.data,
        "started_on": form.started_on.data,
        "ended_on": form.ended_on.data,
        "notes": form.notes.data,
    }


@bp.route("/linkage-models/new", methods=["GET", "POST"])
@login_required
def model_new():
    user = page_user()
    require_registrar(user)
    province = chosen_province(user)
    form = LinkageModelForm()
    choices_for_admin = organization_choices(user)
    default_lead = int(choices_for_admin[0].value) if choices_for_admin else None
    lead_id = _lead_id(form, user, default_lead)
    _fill_choices(form, user, province=province, lead_id=lead_id)
    if not _refreshing() and form.validate_on_submit():
        try:
            model = services.create_model(db.session, actor=user, lead_organization_id=lead_id, **_values(form))
            db.session.commit()
            notify(_l("Linkage model saved."))
            return redirect(url_for("linkage.model_detail", model_id=model.id))
        except DomainError as exc:
            db.session.rollback()
            apply_errors(form, exc)
    return render_template(
        "registry/linkage/form.html",
        form=form,
        model=None,
        provinces=province_list(),
        province=province,
        show_lead=user.role == Role.ADMIN,
    ), status_code(form)


@bp.get("/linkage-models/<int:model_id>")
@login_required
def model_detail(model_id: int):
    user = page_user()
    model = services.get_model(db.session, actor=user, model_id=model_id)
    return render_template(
        "registry/linkage/detail.html",
        model=model,
        tied=services.tied_to_raw_material_area(model),
        rule=services.TIED_RULE,
        can_edit=services.can_edit_model(user, model),
        may_open_area=lambda area: can_see(user, area.organization_id),
    )


def _initial(model: LinkageModel) -> dict[str, Any]:
    return {
        "name": model.name,
        "lead_organization_id": model.lead_organization_id,
        "crop": model.crop,
        "partner_organization_ids": model.partner_organization_ids,
        "commune_codes": model.commune_codes,
        "area_ids": model.area_ids,
        "partner_households": "" if model.partner_households is None else str(model.partner_households),
        "started_on": model.started_on,
        "ended_on": model.ended_on,
        "notes": model.notes,
    }


@bp.route("/linkage-models/<int:model_id>/edit", methods=["GET", "POST"])
@login_required
def model_edit(model_id: int):
    user = page_user()
    model = services.writable_model(db.session, actor=user, model_id=model_id)
    first = model.communes[0].province_code if model.communes else None
    province = request.values.get("province") or first or chosen_province(user)
    form = LinkageModelForm(data=None if request.method == "POST" else _initial(model))
    lead_id = (
        _lead_id(form, user, model.lead_organization_id) if user.role == Role.ADMIN else model.lead_organization_id
    )
    _fill_choices(form, user, province=province, lead_id=lead_id)
    if not _refreshing() and form.validate_on_submit():
        changes = _values(form)
        if user.role == Role.ADMIN:
            changes["lead_organization_id"] = lead_id
        try:
            services.update_model(db.session, actor=user, model_id=model.id, changes=changes)
            db.session.commit()
            notify(_l("Changes saved."))
            return redirect(url_for("linkage.model_detail", model_id=model.id))
        except DomainError as exc:
            db.session.rollback()
            apply_errors(form, exc)
    return render_template(
        "registry/linkage/form.html",
        form=form,
        model=model,
        provinces=province_list(),
        province=province,
        show_lead=user.role == Role.ADMIN,
    ), status_code(form)
