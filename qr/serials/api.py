"""POST/GET /api/v1/lots/{id}/serials and POST /api/v1/serials/void."""

from __future__ import annotations

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import fields

from qr import sheets
from qr.serials import services
from registry.core.auth import api_user, require_api_token
from registry.core.errors import ValidationError
from registry.core.extensions import db
from registry.core.i18n import _l
from registry.core.schemas import InputSchema
from registry.core.web import page_args, paged
from trace.lots.identifiers import label_uri
from trace.lots.services import get_lot

blp = Blueprint("serials_api", __name__, url_prefix="/api/v1", description="Serialised anti-counterfeit stamps")
blp.before_request(require_api_token)


class IssueSchema(InputSchema):
    count = fields.Raw(required=True, metadata={"description": "How many stamps, 1 to 100,000."})
    packs = fields.Raw(
        load_default=None,
        metadata={"description": "For a lot weighed in kg or tonnes: how many packs it is packed into."},
    )


class VoidSchema(InputSchema):
    lot_id = fields.Integer(required=True, strict=True)
    serials = fields.List(fields.String(), required=True)
    reason = fields.String(required=True)


def _uri(lot, serial: str) -> str:
    return current_app.config["PUBLIC_BASE_URL"] + services.serial_path(lot, serial)


def _dump(lot, row) -> dict:
    def when(value):
        return value.isoformat() if value else None

    return {"serial": row.serial, "label_uri": _uri(lot, row.serial), "issued_at": when(row.issued_at),
            "voided_at": when(row.voided_at), "void_reason": row.void_reason,
            "first_scanned_at": when(row.first_scanned_at), "scans": row.scans}  # fmt: skip


@blp.route("/lots/<int:lot_id>/serials")
class LotSerials(MethodView):
    @blp.arguments(IssueSchema)
    @blp.response(201)
    def post(self, data, lot_id):
        """Issue stamps for the lot: each with its serial and the URI its label carries"""
        lot, serials = services.issue_serials(db.session, actor=api_user(), lot_id=lot_id, **data)
        db.session.commit()
        return {
            "lot_id": lot.id,
            "count": len(serials),
            "serials": [{"serial": s, "label_uri": _uri(lot, s)} for s in serials],
        }

    @blp.response(200)
    @blp.paginate()
    def get(self, lot_id, pagination_parameters):
        """The lot's stamps, oldest first, with their scans so far"""
        args = page_args(pagination_parameters)
        result = services.list_serials(db.session, actor=api_user(), lot_id=lot_id, **args)
        lot = get_lot(db.session, actor=api_user(), lot_id=lot_id)
        return [_dump(lot, row) for row in paged(result, pagination_parameters)]


@blp.route("/serials/void")
class VoidSerials(MethodView):
    @blp.arguments(VoidSchema)
    @blp.response(200)
    def post(self, data):
        """Void stamps of one lot (a damaged roll): a voided stamp reads as void when it is scanned"""
        rows = services.void_serials(db.session, actor=api_user(), **data)
        db.session.commit()
        return {"voided": [r.serial for r in rows]}


class SheetArgsSchema(InputSchema):
    layout = fields.String(load_default="a4-3x8", metadata={"enum": list(sheets.LAYOUTS)})
    first = fields.String(data_key="from", load_default=None, metadata={"description": "First stamp, 1-based."})
    last = fields.String(data_key="to", load_default=None, metadata={"description": "Last stamp, 1-based."})


def sheet_response(lot_id: int, layout: str, first, last, actor):
    """The PDF of the lot's label, or of a range of its stamps (shared by the API and the page)."""
    if layout not in sheets.LAYOUTS:
        raise ValidationError({"layout": [_l("Choose a layout: %(names)s.", names=", ".join(sheets.LAYOUTS))]})
    lot, serials = services.sheet_serials(db.session, actor=actor, lot_id=lot_id, first=first, last=last)
    chosen = sheets.LAYOUTS[layout]
    if serials:
        labels = [sheets.Label(_uri(lot, s), lot.product.name, lot.code, s) for s in serials]
    else:
        uri = label_uri(lot, current_app.config["PUBLIC_BASE_URL"])
        labels = [sheets.Label(uri, lot.product.name, lot.code)] * chosen.per_page
    pdf = sheets.render(labels, chosen, caption=str(_l("Scan to see where it comes from")), lot_word=str(_l("Lot")),
                        serial_word=str(_l("Serial")))  # fmt: skip
    response = current_app.response_class(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="labels-{lot.id}-{layout}.pdf"'
    return response


@blp.route("/lots/<int:lot_id>/labels.pdf")
class LotLabelSheet(MethodView):
    @blp.arguments(SheetArgsSchema, location="query")
    @blp.doc(responses={"200": {"description": "The label sheet", "content": {"application/pdf": {}}}})
    def get(self, args, lot_id):
        """A print-ready PDF: the lot's label, or its stamps from..to, as vector QR codes on A4 sticker sheets
        (3 x 8, 4 x 10) or a 50 x 30 mm roll, with the product, lot and serial in Vietnamese"""
        return sheet_response(lot_id, args["layout"], args["first"], args["last"], api_user())
