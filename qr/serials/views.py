"""Pages: choose and download a lot's label sheet (PDF)."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import login_required

from qr import sheets
from qr.serials import services
from qr.serials.api import sheet_response
from registry.core.auth import page_user
from registry.core.extensions import db
from trace.lots.services import get_lot

bp = Blueprint("serials", __name__)


@bp.get("/lots/<int:lot_id>/sheet")
@login_required
def sheet_form(lot_id: int):
    lot = get_lot(db.session, actor=page_user(), lot_id=lot_id)
    return render_template(
        "qr/sheet.html", lot=lot, layouts=list(sheets.LAYOUTS), issued=services.issued_count(db.session, lot.id)
    )


@bp.get("/lots/<int:lot_id>/labels.pdf")
@login_required
def sheet_pdf(lot_id: int):
    args = request.args
    return sheet_response(lot_id, args.get("layout") or "a4-3x8", args.get("from"), args.get("to"), page_user())
