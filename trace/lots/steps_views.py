"""Pages for the steps after a harvest: split a lot, ship part of it, and receive what was shipped to you.

The forms post plain fields; the services validate them, and their field messages show beside each input.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import login_required

from registry.core.auth import page_user, require_writer
from registry.core.errors import DomainError
from registry.core.extensions import db
from registry.core.forms import BaseForm
from registry.core.i18n import _l, translate
from registry.core.web import notify
from registry.organizations.models import Organization
from trace.lots import record, shipping, steps
from trace.lots.services import get_lot

bp = Blueprint("steps", __name__)
PART_ROWS = 4
DOCUMENT_LABELS = {
    "invoice": _l("Invoice"),
    "bill_of_lading": _l("Bill of lading"),
    "purchase_order": _l("Purchase order"),
    "despatch_advice": _l("Despatch advice"),
}


@bp.app_template_filter("document_label")
def document_label(value) -> str:
    return str(DOCUMENT_LABELS.get(value, value))


class CsrfForm(BaseForm):
    """Only the CSRF token: the step's fields are read from the request and checked by the service."""


def _errors(exc: DomainError) -> tuple[dict[str, list[str]], str | None]:
    errors = {k: [translate(m) for m in v] for k, v in exc.errors.items()}
    return errors, (None if errors else translate(exc.message))


def _attempt(action) -> tuple[Any, dict, str | None]:
    try:
        result = action()
        db.session.commit()
        return result, {}, None
    except DomainError as exc:
        db.session.rollback()
        if exc.status_code not in (409, 422):
            raise
        errors, message = _errors(exc)
        return None, errors, message


@bp.route("/lots/<int:lot_id>/split", methods=["GET", "POST"])
@login_required
def split(lot_id: int):
    user = page_user()
    lot = get_lot(db.session, actor=user, lot_id=lot_id)
    require_writer(user, lot.organization_id)
    form, errors, message = CsrfForm(), {}, None
    rows = [{"code": "", "quantity": ""} for _ in range(PART_ROWS)]
    if request.method == "POST" and form.validate_on_submit():
        rows = [
            {"code": request.form.get(f"code{i}", "").strip(), "quantity": request.form.get(f"quantity{i}", "").strip()}
            for i in range(PART_ROWS)
        ]
        parts = [r for r in rows if r["code"] or r["quantity"]]
        made, errors, message = _attempt(lambda: steps.split(db.session, actor=user, lot_id=lot.id, parts=parts))
        if made is not None:
            notify(_l("Lot %(code)s split into %(n)s lots, each with its own label.", code=lot.code, n=len(made)))
            return redirect(url_for("trace.lot_detail", lot_id=lot.id))
    held = record.held(db.session, lot)
    code = 422 if errors or message else 200
    return render_template(
        "trace/steps/split.html", lot=lot, form=form, rows=rows, errors=errors, message=message, held=held
    ), code


@bp.route("/lots/<int:lot_id>/ship", methods=["GET", "POST"])
@login_required
def ship(lot_id: int):
    user = page_user()
    lot = get_lot(db.session, actor=user, lot_id=lot_id)
    require_writer(user, lot.organization_id)
    form, errors, message = CsrfForm(), {}, None
    values = {
        k: request.form.get(k, "").strip()
        for k in ("quantity", "receiver_organization_id", "receiver_name", "document_type", "document_number")
    }  # noqa: E501
    if request.method == "POST" and form.validate_on_submit():
        fields = {k: (v or None) for k, v in values.items()}
        done, errors, message = _attempt(lambda: shipping.ship(db.session, actor=user, lot_id=lot.id, **fields))
        if done is not None:
            notify(_l("Shipment recorded."))
            return redirect(url_for("trace.lot_detail", lot_id=lot.id))
    organizations = db.session.scalars(
        sa.select(Organization).where(Organization.id != lot.organization_id).order_by(Organization.name)
    ).all()
    code = 422 if errors or message else 200
    return render_template(
        "trace/steps/ship.html", lot=lot, form=form, values=values, errors=errors, message=message,
        organizations=organizations, held=record.held(db.session, lot), document_types=steps.DOCUMENT_TYPES,
    ), code  # fmt: skip


@bp.get("/shipments")
@login_required
def incoming():
    user = page_user()
    return render_template(
        "trace/steps/incoming.html", shipments=shipping.incoming(db.session, actor=user), form=CsrfForm()
    )


@bp.post("/shipments/<int:shipment_id>/receive")
@login_required
def receive(shipment_id: int):
    user = page_user()
    form = CsrfForm()
    if not form.validate_on_submit():
        return incoming_with(None, {"csrf": [_l("The form expired; try again.")]}, 400)
    code = request.form.get("code", "").strip() or None
    done, errors, message = _attempt(
        lambda: shipping.receive(db.session, actor=user, shipment_id=shipment_id, code=code)
    )
    if done is not None:
        notify(_l("Received: you now hold lot %(code)s.", code=done.received_lot.code))
        return redirect(url_for("trace.lot_detail", lot_id=done.received_lot_id))
    return incoming_with(shipment_id, errors, 422, message)


def incoming_with(shipment_id, errors, status, message=None):
    user = page_user()
    html = render_template(
        "trace/steps/incoming.html", shipments=shipping.incoming(db.session, actor=user), form=CsrfForm(),
        failed=shipment_id, errors=errors, message=message,
    )  # fmt: skip
    return html, status
