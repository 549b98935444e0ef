"""Label downloads for API clients: /api/v1/lots/<id>/label.png and .svg."""

from __future__ import annotations

from flask import Response, current_app
from flask.views import MethodView
from flask_smorest import Blueprint

from qr.labels import render_png, render_svg
from registry.core.auth import api_user, require_api_token
from registry.core.extensions import db
from registry.core.i18n import _l
from trace.lots import services
from trace.lots.identifiers import label_uri

blp = Blueprint("qr_api", __name__, url_prefix="/api/v1", description="QR labels")
blp.before_request(require_api_token)


def label_lines(lot) -> tuple[str, ...]:
    """What a person reads beside the code: the product, the lot, and where the code leads."""
    return (lot.product.name, f"{_l('Lot')}: {lot.code}", str(_l("Scan to see where it comes from")))


def label_response(lot, fmt: str) -> Response:
    uri = label_uri(lot, current_app.config["PUBLIC_BASE_URL"])
    lines = label_lines(lot)
    body, mimetype = (
        (render_png(uri, lines), "image/png") if fmt == "png" else (render_svg(uri, lines), "image/svg+xml")
    )
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'inline; filename="lot-{lot.id}.{fmt}"'
    response.headers["X-Label-URI"] = uri
    return response


@blp.route("/lots/<int:lot_id>/label.png")
class LabelPng(MethodView):
    @blp.doc(
        responses={
            "200": {"description": "QR label", "content": {"image/png": {}}},
            "404": {"description": "Not found"},
        }
    )
    def get(self, lot_id):
        """The lot's QR label as PNG"""
        return label_response(services.get_lot(db.session, actor=api_user(), lot_id=lot_id), "png")


@blp.route("/lots/<int:lot_id>/label.svg")
class LabelSvg(MethodView):
    @blp.doc(
        responses={
            "200": {"description": "QR label", "content": {"image/svg+xml": {}}},
            "404": {"description": "Not found"},
        }
    )
    def get(self, lot_id):
        """The lot's QR label as SVG"""
        return label_response(services.get_lot(db.session, actor=api_user(), lot_id=lot_id), "svg")
