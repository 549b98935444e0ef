"""HTML pages for lots."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import login_required

from registry.areas import services as area_services
from registry.core.auth import page_user
from registry.core.errors import DomainError
from registry.core.extensions import db
from registry.core.forms import apply_errors, choices
from registry.core.i18n import _l
from registry.core.web import page_number, per_page
from registry.products import services as product_services
from trace import services
from trace.forms import LotForm

bp = Blueprint("trace", __name__)


@bp.app_template_filter("unit_label")
def unit_label_filter(unit):
    return services.unit_label(unit)


@bp.get("/lots")
@login_required
def lots():
    page = services.list_lots(db.session, actor=page_user(), page=page_number(), per_page=per_page())
    return render_template("trace/lots.html", page=page)


@bp.route("/lots/new", methods=["GET", "POST"])
@login_required
def lot_new():
    user = page_user()
    form = LotForm()
    products = product_services.list_products(db.session, actor=user, per_page=500).items
    areas = area_services.list_areas(db.session, actor=user, per_page=500, status="active").items
    form.product_id.choices = choices((p.id, p.name) for p in products)
    form.growing_area_id.choices = choices((a.id, f"{a.code} — {a.name}") for a in areas)
    if form.validate_on_submit():
        try:
            lot = services.create_lot(
                db.session,
                actor=user,
                product_id=form.product_id.data,
                growing_area_id=form.growing_area_id.data,
                code=form.code.data,
                harvest_date=form.harvest_date.data,
                quantity=form.quantity.data,
                unit=form.unit.data,
            )
            db.session.commit()
            flash(_l("Lot %(code)s recorded.", code=lot.code), "success")
            return redirect(url_for("trace.lot_detail", lot_id=lot.id))
        except DomainError as exc:
            apply_errors(form, exc)
    status = 422 if (form.errors or form.form_errors) else 200
    return render_template("trace/lot_form.html", form=form, has_areas=bool(areas)), status


@bp.get("/lots/<int:lot_id>")
@login_required
def lot_detail(lot_id: int):
    lot = services.get_lot(db.session, actor=page_user(), lot_id=lot_id)
    return render_template("trace/lot_detail.html", lot=lot)
