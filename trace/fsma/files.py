"""The FSMA 204 rows as files: CSV (UTF-8 with a BOM, RFC 4180) and XLSX (one sortable sheet).

Formula injection. A spreadsheet runs a cell whose text starts with "=", "+", "-" or "@" (or a tab or a
carriage return, or their full-width forms) as a formula, and a lot code, a product or a place name may start
with one of them. The rule, for text cells only (quantities and dates are written as numbers and dates):

- CSV: such a cell gets one leading apostrophe, which spreadsheets read as "text follows" (OWASP's advice).
  A reader of the raw file drops one leading apostrophe before one of those characters: "'-A1" is lot "-A1".
- XLSX: the cell holds the exact text as a text cell (never a formula) with Excel's quote-prefix flag, the
  same as typing an apostrophe first: Excel shows "-A1", and keeps it text when the cell is edited.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from trace.fsma.kde import format_quantity
from trace.fsma.spreadsheet import COLUMNS, Row

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
SHEET_TITLE = "FSMA 204"
# Characters wide, per column of COLUMNS.
WIDTHS = (18, 44, 48, 34, 11, 10, 48, 12, 12, 44, 44, 18, 20, 48, 12, 22)
DATE_COLUMNS = tuple(i for i, name in enumerate(COLUMNS) if name in ("Date", "Harvest Date"))
QUANTITY_COLUMN = COLUMNS.index("Quantity")
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def risky(text: str) -> bool:
    return text.startswith(FORMULA_START)


def csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format_quantity(value)
    text = str(value)
    return "'" + text if risky(text) else text


def to_csv(rows: list[Row]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([csv_cell(v) for v in row.values()])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # the BOM makes Excel read the Vietnamese as UTF-8


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def to_xlsx(rows: list[Row]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET_TITLE
    sheet.append(COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row.values(), start=1):
            cell = sheet.cell(row=r, column=c)
            if value is None or value == "":
                continue
            if isinstance(value, dt.date):
                cell.value = value
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(value, Decimal):
                cell.value = _number(value)
                cell.number_format = "#,##0.###"
            else:
                cell.value = str(value)
                cell.data_type = "s"  # openpyxl would take text starting with "=" for a formula
                if risky(cell.value):
                    cell.quotePrefix = True
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{len(rows) + 1}"
    for i, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def filename(lot_code: str, ext: str) -> str:
    """fsma204-<lot code>.<ext>, in safe ASCII: any other character becomes "_"."""
    return f"fsma204-{re.sub(r'[^A-Za-z0-9._-]', '_', lot_code)}.{ext}"
