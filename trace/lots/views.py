"""HTML pages for lots."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, url_for
from flask_login import login_required
from werkzeug.routing import IntegerConverter

from registry.areas import services as area_services
from registry.core.auth import can_write, page_user, require_registrar, require_writer
from registry.core.errors import DomainError
from registry.core.extensions import db
from registry.core.forms import apply_errors, choices, status_code
from registry.core.i18n import _l
from registry.core.web import notify, page_number, per_page
from registry.products import services as product_services
from trace.lots import record, services
from trace.lots.forms import LotEditForm, LotForm, VoidForm

bp = Blueprint("trace", __name__)


@bp.app_template_filter("unit_label")
def unit_label_filter(unit):
    return services.unit_label(unit)


@bp.app_template_global("packing_house_url")
def packing_house_url(house_id: int) -> str | None:
    """The packing house's page, if the packing blueprint has one (a GET rule /…/<id> with that one argument)."""
    for rule in current_app.url_map.iter_rules():
        if (
            rule.endpoint.startswith("packing.")
            and "GET" in (rule.methods or ())
            and len(rule.arguments) == 1
            and rule.rule.endswith(">")
            and not rule.rule.startswith("/api/")
            and all(isinstance(c, IntegerConverter) for c in rule._converters.values())
        ):
            return url_for(rule.endpoint, **{next(iter(rule.arguments)): house_id})
    return None


def _house_choices(houses) -> list:
    return choices([("", _l("None")), *((h.id, f"{h.code or h.claimed_code or '—'} — {h.name}") for h in houses)])


@bp.get("/lots")
@login_required
def lots():
    page = services.list_lots(db.session, actor=page_user(), page=page_number(), per_page=per_page())
    return render_template("trace/lots.html", page=page)


@bp.route("/lots/new", methods=["GET", "POST"])
@login_required
def lot_new():
    user = page_user()
    require_registrar(user)
    form = LotForm()
    products = product_services.list_products(db.session, actor=user, per_page=500).items
    areas = area_services.list_areas(db.session, actor=user, per_page=500, status="active").items
    form.product_id.choices = choices((p.id, p.name) for p in products)
    form.growing_area_id.choices = choices((a.id, f"{a.code} — {a.name}") for a in areas)
    form.packing_house_id.choices = _house_choices(services.packing_house_options(db.session, actor=user))
    if form.validate_on_submit():
        try:
            lot = services.create_lot(
                db.session,
                actor=user,
                product_id=form.product_id.data,
                growing_area_id=form.growing_area_id.data,
                packing_house_id=form.packing_house_id.data or None,
                code=form.code.data,
                harvest_date=form.harvest_date.data,
                quantity=form.quantity.data,
                unit=form.unit.data,
            )
            db.session.commit()
            notify(_l("Lot %(code)s recorded.", code=lot.code))
            return redirect(url_for("trace.lot_detail", lot_id=lot.id))
        except DomainError as exc:
            db.session.rollback()  # a code taken at the same moment spoils the transaction (insert_lots)
            apply_errors(form, exc)
    return render_template("trace/lot_form.html", form=form, has_areas=bool(areas)), status_code(form)


def _detail(lot, void_form: VoidForm | None = None, status: int = 200):
    user = page_user()
    writable = can_write(user, lot.organization_id) and lot.voided_at is None
    held = record.held(db.session, lot)
    return render_template(
        "trace/lot_detail.html", lot=lot, can_edit=writable, void_form=void_form or VoidForm(), held=held
    ), status


@bp.get("/lots/<int:lot_id>")
@login_required
def lot_detail(lot_id: int):
    return _detail(services.get_lot(db.session, actor=page_user(), lot_id=lot_id))


@bp.route("/lots/<int:lot_id>/edit", methods=["GET", "POST"])
@login_required
def lot_edit(lot_id: int):
    user = page_user()
    lot = services.writable_lot(db.session, actor=user, lot_id=lot_id)
    form = LotEditForm(obj=lot)
    form.packing_house_id.choices = _house_choices(
        services.packing_house_options(db.session, actor=user, include_id=lot.packing_house_id)
    )
    if not form.is_submitted():
        form.quantity.data = format(lot.quantity.normalize(), "f")
        form.unit.data = lot.unit.value
        form.packing_house_id.data = str(lot.packing_house_id or "")
    if form.validate_on_submit():
        try:
            services.update_lot(
                db.session,
                actor=user,
                lot_id=lot.id,
                harvest_date=form.harvest_date.data,
                quantity=form.quantity.data,
                unit=form.unit.data,
                packing_house_id=form.packing_house_id.data or None,
            )
            db.session.commit()
            notify(_l("Lot %(code)s corrected.", code=lot.code))
            return redirect(url_for("trace.lot_detail", lot_id=lot.id))
        except DomainError as exc:
            apply_errors(form, exc)
    return render_template("trace/lot_edit.html", lot=lot, form=form), status_code(form)


@bp.post("/lots/<int:lot_id>/void")
@login_required
def lot_void(lot_id: int):
    user = page_user()
    lot = services.get_lot(db.session, actor=user, lot_id=lot_id)
    require_writer(user, lot.organization_id)
    form = VoidForm()
    if form.validate_on_submit():
        try:
            services.void_lot(db.session, actor=user, lot_id=lot.id, reason=form.reason.data)
            db.session.commit()
            notify(_l("Lot %(code)s voided. Its public page now says it is withdrawn.", code=lot.code))
            return redirect(url_for("trace.lot_detail", lot_id=lot.id))
        except DomainError as exc:
            if exc.status_code != 422:
                raise
            apply_errors(form, exc)
    return _detail(lot, form, status_code(form) if (form.errors or form.form_errors) else 400)
