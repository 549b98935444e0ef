"""JSON API: the FSMA 204 sortable spreadsheet of a lot and its lineage, as CSV or XLSX."""

from __future__ import annotations

from flask import Response
from flask.views import MethodView
from flask_smorest import Blueprint

from registry.core.auth import api_user, require_api_token
from registry.core.extensions import db
from trace.fsma.files import CSV_TYPE, XLSX_TYPE, filename, to_csv, to_xlsx
from trace.fsma.spreadsheet import rows_for
from trace.lots.services import get_lot

blp = Blueprint("fsma_api", __name__, url_prefix="/api/v1", description="FSMA 204 sortable spreadsheet")
blp.before_request(require_api_token)


def _download(lot_id: int, ext: str) -> Response:
    lot = get_lot(db.session, actor=api_user(), lot_id=lot_id)  # 404 unless the caller sees the lot
    rows = rows_for(db.session, lot)
    body, mimetype = (to_csv(rows), CSV_TYPE) if ext == "csv" else (to_xlsx(rows), XLSX_TYPE)
    response = Response(body, content_type=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename(lot.code, ext)}"'
    response.headers["Cache-Control"] = "no-store"
    return response


def _doc(mimetype: str) -> dict:
    return {
        "200": {"description": "One row per Critical Tracking Event", "content": {mimetype: {}}},
        "404": {"description": "Not found"},
    }


@blp.route("/lots/<int:lot_id>/fsma204.csv")
class Fsma204Csv(MethodView):
    @blp.doc(responses=_doc("text/csv"))
    def get(self, lot_id):
        """FSMA 204 sortable spreadsheet of the lot and its whole lineage (CSV, UTF-8 with BOM)"""
        return _download(lot_id, "csv")


@blp.route("/lots/<int:lot_id>/fsma204.xlsx")
class Fsma204Xlsx(MethodView):
    @blp.doc(responses=_doc(XLSX_TYPE))
    def get(self, lot_id):
        """FSMA 204 sortable spreadsheet of the lot and its whole lineage (XLSX)"""
        return _download(lot_id, "xlsx")
