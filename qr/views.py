"""Public provenance page, reached by scanning a label, and label pages for signed-in users."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template
from flask_login import login_required

from qr import scan
from qr.api import label_response
from registry.core.auth import page_user
from registry.core.extensions import db
from registry.core.i18n import _l
from registry.core.validators import FieldError, gtin14
from registry.lifecycle.models import CodeStatus
from trace.lots import services
from trace.lots.identifiers import label_uri

bp = Blueprint("qr", __name__)


def public_page(found: scan.PublicLot):
    lot = found.lot
    response = current_app.make_response(
        render_template(
            "qr/public_lot.html",
            lot=lot,
            area=lot.growing_area,
            ocop=found.ocop,
            recall=found.recall,
            origins=found.origins,
            AreaStatus=CodeStatus,
        )
    )
    # Short, so that a suspended or revoked code shows on the next scan.
    response.headers["Cache-Control"] = "public, max-age=60"
    return response


@bp.get("/01/<gtin>/10/<path:lot_code>")
def digital_link(gtin: str, lot_code: str):
    """GS1 Digital Link: answers with the provenance page directly, in one hop."""
    if len(gtin) != 14 or not gtin.isdigit():
        abort(400, description=str(_l("A GS1 Digital Link needs a 14-digit GTIN after /01/.")))
    try:
        gtin14(gtin)
    except FieldError as exc:
        abort(400, description=str(exc.message))
    found = scan.find_by_gtin(db.session, gtin=gtin, code=lot_code, base_url=current_app.config["PUBLIC_BASE_URL"])
    if found is None:
        abort(404, description=str(_l("No lot with this code is registered.")))
    return public_page(found)


@bp.get("/l/<token>")
def short_link(token: str):
    found = scan.find_by_token(db.session, token=token, base_url=current_app.config["PUBLIC_BASE_URL"])
    if found is None:
        abort(404, description=str(_l("No lot with this code is registered.")))
    return public_page(found)


@bp.get("/lots/<int:lot_id>/label")
@login_required
def lot_label(lot_id: int):
    lot = services.get_lot(db.session, actor=page_user(), lot_id=lot_id)
    return render_template("qr/label.html", lot=lot, uri=label_uri(lot, current_app.config["PUBLIC_BASE_URL"]))


@bp.get("/lots/<int:lot_id>/label.<any(png, svg):fmt>")
@login_required
def lot_label_file(lot_id: int, fmt: str):
    return label_response(services.get_lot(db.session, actor=page_user(), lot_id=lot_id), fmt)
