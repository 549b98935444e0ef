"""HTML pages for growing areas."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import login_required

from registry.areas import services
from registry.areas.forms import AreaForm
from registry.core.auth import page_user
from registry.core.errors import DomainError
from registry.core.extensions import db
from registry.core.forms import apply_errors, choices, status_code
from registry.core.i18n import _l
from registry.core.web import notify, page_number, per_page
from registry.lifecycle import services as lifecycle
from registry.lifecycle.forms import StatusForm
from registry.lifecycle.views import register_code_pages
from registry.organizations.views import organization_choices
from registry.units.views import chosen_province, commune_choices, province_list

bp = Blueprint("areas", __name__)


@bp.get("/areas")
@login_required
def areas():
    status = request.args.get("status") or None
    page = services.list_areas(db.session, actor=page_user(), page=page_number(), per_page=per_page(), status=status)
    return render_template("registry/areas.html", page=page, status=status)


@bp.route("/areas/new", methods=["GET", "POST"])
@login_required
def area_new():
    user = page_user()
    province = chosen_province(user)
    form = AreaForm()
    form.organization_id.choices = organization_choices(user)
    form.commune_code.choices = commune_choices(province)
    if form.validate_on_submit():
        try:
            area = services.create_area(
                db.session,
                actor=user,
                organization_id=form.organization_id.data,
                name=form.name.data,
                kind=form.kind.data,
                crop=form.crop.data,
                variety=form.variety.data,
                area_ha=form.area_ha.data,
                commune_code=form.commune_code.data,
                code=form.code.data,
                legacy_place=form.legacy_place.data,
            )
            db.session.commit()
            notify(_l("Application saved. The department will review it."))
            return redirect(url_for("areas.area_detail", area_id=area.id))
        except DomainError as exc:
            apply_errors(form, exc)
    return render_template(
        "registry/area_form.html", form=form, provinces=province_list(), province=province
    ), status_code(form)


@bp.get("/areas/<int:area_id>")
@login_required
def area_detail(area_id: int):
    user = page_user()
    area = services.get_area(db.session, actor=user, area_id=area_id)
    form = StatusForm()
    form.status.choices = choices((s.value, lifecycle.status_label(s)) for s in lifecycle.allowed_moves(area, user))
    return render_template("registry/area_detail.html", area=area, form=form)


def _get_area(session, *, actor, subject_id):
    return services.get_area(session, actor=actor, area_id=subject_id)


register_code_pages(
    bp, path="/areas/<int:subject_id>", name="area", get_subject=_get_area, detail_endpoint="areas.area_detail"
)
