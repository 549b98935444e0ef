"""Writing sheets: CSV (UTF-8 with a BOM, so that Excel shows the Vietnamese) and XLSX (one sheet per table).

Cells are protected against formula injection by the rule of trace.fsma.files: a text cell starting with a
formula character is written with one leading apostrophe in CSV (which bulk.table drops again on import), and
as a text cell with Excel's quote-prefix flag in XLSX. Dates are dates and decimals numbers, so that a file
exported here imports back unchanged.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from trace.fsma.files import CSV_TYPE, XLSX_TYPE, risky

__all__ = ["CSV_TYPE", "XLSX_TYPE", "to_csv", "to_xlsx", "plain"]


def plain(value: Any) -> Any:
    """A value as a cell shows it: enums by value, decimals without trailing zeros."""
    if value is None:
        return None
    if hasattr(value, "value") and not isinstance(value, (dt.date, Decimal)):
        return value.value
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return Decimal(text)
    return value


def csv_cell(value: Any) -> str:
    value = plain(value)
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    text = str(value)
    return "'" + text if risky(text) else text


def to_csv(headers: list[str], rows: Iterable[list[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def to_xlsx(sheets: list[tuple[str, list[str], Iterable[list[Any]]]]) -> bytes:
    """One worksheet per (title, headers, rows), in order; the first is the one an import reads as the records."""
    book = Workbook()
    book.remove(book.active)
    for title, headers, rows in sheets:
        sheet = book.create_sheet(title=title[:31])
        sheet.append(headers)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        count = 0
        for r, row in enumerate(rows, start=2):
            count += 1
            for c, raw in enumerate(row, start=1):
                value = plain(raw)
                if value is None or value == "":
                    continue
                cell = sheet.cell(row=r, column=c)
                if isinstance(value, dt.date):
                    cell.value = value
                    cell.number_format = "yyyy-mm-dd"
                elif isinstance(value, Decimal):
                    cell.value = _number(value)
                else:
                    cell.value = str(value)
                    cell.data_type = "s"  # never a formula, whatever it starts with
                    if risky(cell.value):
                        cell.quotePrefix = True
        sheet.freeze_panes = "A2"
        if headers:
            sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{count + 1}"
        for i, header in enumerate(headers, start=1):
            sheet.column_dimensions[get_column_letter(i)].width = max(12, min(40, len(header) + 4))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
