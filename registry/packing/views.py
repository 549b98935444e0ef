"""HTML pages for packing houses: list, application, record and edit; the lifecycle pages come from lifecycle."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import login_required

from registry.core.auth import Role, can_write, page_user
from registry.core.errors import DomainError, Forbidden
from registry.core.extensions import db
from registry.core.forms import apply_errors, choices, status_code
from registry.core.i18n import _l
from registry.core.web import notify, page_number, per_page
from registry.lifecycle import services as lifecycle
from registry.lifecycle.forms import StatusForm
from registry.lifecycle.models import FINAL, CodeStatus
from registry.lifecycle.views import register_code_pages
from registry.organizations.views import organization_choices
from registry.packing import services
from registry.packing.forms import PackingHouseEditForm, PackingHouseForm
from registry.units.views import chosen_province, commune_choices, province_list

bp = Blueprint("packing", __name__)

STATUSES = ("pending", "active", "suspended", "revoked", "withdrawn", "refused")


def may_apply(user) -> bool:
    return user.role in (Role.MEMBER, Role.ADMIN)


@bp.get("/packing-houses")
@login_required
def houses():
    user = page_user()
    status = request.args.get("status") or None
    page = services.list_packing_houses(db.session, actor=user, page=page_number(), per_page=per_page(), status=status)
    return render_template(
        "registry/packing/list.html", page=page, status=status, statuses=STATUSES, can_apply=may_apply(user)
    )


@bp.route("/packing-houses/new", methods=["GET", "POST"])
@login_required
def house_new():
    user = page_user()
    if not may_apply(user):
        raise Forbidden(_l("Department inspectors check records; cooperatives and enterprises register them."))
    province = chosen_province(user)
    form = PackingHouseForm()
    form.organization_id.choices = organization_choices(user)
    form.commune_code.choices = commune_choices(province)
    if form.validate_on_submit() and not request.form.get("show_communes"):
        try:
            house = services.create_packing_house(
                db.session,
                actor=user,
                organization_id=form.organization_id.data,
                name=form.name.data,
                commune_code=form.commune_code.data,
                address=form.address.data,
                capacity_t_per_day=form.capacity_t_per_day.data,
                code=form.code.data,
                legacy_place=form.legacy_place.data,
            )
            db.session.commit()
            notify(_l("Application saved. The department will review it."))
            return redirect(url_for("packing.house_detail", house_id=house.id))
        except DomainError as exc:
            apply_errors(form, exc)
    return render_template(
        "registry/packing/form.html", form=form, provinces=province_list(), province=province
    ), status_code(form)


@bp.get("/packing-houses/<int:house_id>")
@login_required
def house_detail(house_id: int):
    user = page_user()
    house = services.get_packing_house(db.session, actor=user, house_id=house_id)
    form = StatusForm()
    moves = lifecycle.allowed_moves(house, user)
    form.status.choices = choices((s.value, lifecycle.status_label(s)) for s in moves if s != CodeStatus.WITHDRAWN)
    return render_template(
        "registry/packing/detail.html",
        house=house,
        form=form,
        can_edit=can_write(user, house.organization_id) and house.status not in FINAL,
        can_withdraw=CodeStatus.WITHDRAWN in moves,
    )


@bp.route("/packing-houses/<int:house_id>/edit", methods=["GET", "POST"])
@login_required
def house_edit(house_id: int):
    user = page_user()
    house = services.writable_packing_house(db.session, actor=user, house_id=house_id)
    province = request.values.get("province") or house.commune.province_code
    form = PackingHouseEditForm(
        data=None
        if request.method == "POST"
        else {
            "name": house.name,
            "commune_code": house.commune_code,
            "address": house.address,
            "capacity_t_per_day": str(house.capacity_t_per_day) if house.capacity_t_per_day is not None else "",
            "markets": ", ".join(house.markets or []),
        }
    )
    form.commune_code.choices = commune_choices(province)
    if form.validate_on_submit() and not request.form.get("show_communes"):
        try:
            services.update_packing_house(
                db.session,
                actor=user,
                house_id=house.id,
                changes={
                    "name": form.name.data,
                    "commune_code": form.commune_code.data,
                    "address": form.address.data,
                    "capacity_t_per_day": form.capacity_t_per_day.data,
                    "markets": form.markets.data,
                },
            )
            db.session.commit()
            notify(_l("Changes saved."))
            return redirect(url_for("packing.house_detail", house_id=house.id))
        except DomainError as exc:
            db.session.rollback()
            apply_errors(form, exc)
    return render_template(
        "registry/packing/edit.html", form=form, house=house, provinces=province_list(), province=province
    ), status_code(form)


def _get_house(session, *, actor, subject_id):
    return services.get_packing_house(session, actor=actor, house_id=subject_id)


register_code_pages(
    bp,
    path="/packing-houses/<int:subject_id>",
    name="packing_house",
    get_subject=_get_house,
    detail_endpoint="packing.house_detail",
    detail_arg="house_id",
)
