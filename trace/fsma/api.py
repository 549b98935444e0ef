"""JSON API: the FSMA 204 sortable spreadsheet of a lot and its lineage, as CSV or XLSX."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

from flask import Response
from flask.views import MethodView
from flask_smorest import Blueprint
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from registry.core.auth import api_user, require_api_token
from registry.core.extensions import db
from trace.fsma.spreadsheet import COLUMNS, rows_for
from trace.lots.services import get_lot

blp = Blueprint("fsma_api", __name__, url_prefix="/api/v1", description="FSMA 204 sortable spreadsheet")
blp.before_request(require_api_token)

# A spreadsheet would run a cell that starts with one of these as a formula (CSV injection). Such a cell gets a
# leading apostrophe, which Excel and LibreOffice show as "text follows"; a lot code "-A1" reads '-A1.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
WIDTHS = (18, 34, 40, 30, 10, 8, 40, 12, 12, 34, 34, 16, 18, 40, 12, 30)


def safe(value):
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _filename(code: str, ext: str) -> str:
    return f"fsma204-{re.sub(r'[^A-Za-z0-9._-]', '_', code)}.{ext}"


def _csv(rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow(
            ["" if v is None else v.isoformat() if isinstance(v, dt.date) else safe(str(v)) for v in row.values()]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # the BOM makes Excel read UTF-8 Vietnamese


def _xlsx(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "FSMA 204"
    sheet.append(COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        values = [
            safe(v) if isinstance(v, str) else (float(v) if v is not None and not isinstance(v, dt.date) else v)
            for v in row.values()
        ]  # noqa: E501
        sheet.append(values)
        for column in (8, 15):
            cell = sheet.cell(row=sheet.max_row, column=column)
            if cell.value is not None:
                cell.number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{max(1, sheet.max_row)}"
    for i, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


FORMATS = {
    "csv": ("text/csv; charset=utf-8", _csv),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _xlsx),
}


@blp.route("/lots/<int:lot_id>/fsma204.<any(csv, xlsx):fmt>")
class Spreadsheet(MethodView):
    @blp.response(200, content_type="text/csv")
    def get(self, lot_id, fmt):
        """The lot's Critical Tracking Events and Key Data Elements, with its whole lineage, one row per event"""
        lot = get_lot(db.session, actor=api_user(), lot_id=lot_id)
        mimetype, render = FORMATS[fmt]
        response = Response(render(rows_for(db.session, lot)), mimetype=mimetype.split(";")[0])
        response.headers["Content-Type"] = mimetype
        response.headers["Content-Disposition"] = f'attachment; filename="{_filename(lot.code, fmt)}"'
        return response
