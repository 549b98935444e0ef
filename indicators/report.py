"""The provincial report as a file: one row per indicator, in the layout the department sends upward.

Columns: code, indicator, target, value, numerator, denominator, unit, rule, date of the data. The header rows
name the province, the period and when the figures were computed. Text cells are protected against formula
injection the same way as the FSMA files (trace.fsma.files).
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from flask import Response
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from indicators.compute import Figure
from indicators.services import Report
from registry.core.i18n import _l, fmt_date, fmt_datetime, text
from trace.fsma.files import CSV_TYPE, XLSX_TYPE, csv_cell, risky

WIDTHS = (14, 60, 10, 10, 12, 12, 14, 90, 14)


def header() -> list[str]:
    return [text(h) for h in (_l("Code"), _l("Indicator"), _l("Target (%)"), _l("Value"), _l("Numerator"),
                              _l("Denominator"), _l("Unit"), _l("Rule"), _l("Date of the data"))]  # fmt: skip


def unit_of(figure: Figure) -> str:
    indicator = figure.indicator
    if indicator.kind == "ratio":
        return "%"
    return text(indicator.unit) if indicator.unit is not None else ""


def figure_row(figure: Figure, report: Report) -> list[Any]:
    indicator = figure.indicator
    rule = text(indicator.rule)
    if figure.unavailable is not None:
        rule = f"{text(figure.unavailable)} {rule}"
    return [indicator.code, text(indicator.name), indicator.target, figure.value, figure.numerator,
            figure.denominator, unit_of(figure), rule, report.period.as_of]  # fmt: skip


def title_rows(report: Report) -> list[list[str]]:
    scope = report.scope
    rows = [
        [text(_l("Digital-economy indicators and registry figures"))],
        [text(_l("Province")), f"{scope.province.name} ({scope.province_code})"],
    ]
    if scope.organization is not None:
        rows.append([text(_l("Organization")), scope.organization.name])
    rows += [
        [text(_l("Period")), f"{fmt_date(report.period.start)} – {fmt_date(report.period.end)}"],
        [text(_l("Computed at")), fmt_datetime(report.computed_at)],
        [],
    ]
    return rows


def to_csv(report: Report) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for r in title_rows(report):
        writer.writerow([csv_cell(v) for v in r])
    writer.writerow(header())
    for figure in report.figures:
        writer.writerow([csv_cell(v) for v in figure_row(figure, report)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _put(cell: Any, value: Any) -> None:
    if value is None or value == "":
        return
    if isinstance(value, str):
        cell.value = value
        cell.data_type = "s"
        cell.quotePrefix = risky(value)
        return
    cell.value = value
    if hasattr(value, "isoformat"):
        cell.number_format = "dd/mm/yyyy"


def to_xlsx(report: Report) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = text(_l("Indicators"))[:31]
    titles = title_rows(report)
    for r, values in enumerate(titles, start=1):
        for c, value in enumerate(values, start=1):
            _put(sheet.cell(row=r, column=c), value)
    sheet.cell(row=1, column=1).font = Font(bold=True, size=13)
    top = len(titles) + 1
    for c, value in enumerate(header(), start=1):
        _put(sheet.cell(row=top, column=c), value)
        sheet.cell(row=top, column=c).font = Font(bold=True)
    for r, figure in enumerate(report.figures, start=top + 1):
        for c, value in enumerate(figure_row(figure, report), start=1):
            cell = sheet.cell(row=r, column=c)
            _put(cell, value)
            cell.alignment = Alignment(wrap_text=c in (2, 8), vertical="top")
    sheet.freeze_panes = sheet.cell(row=top + 1, column=1)
    for i, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def filename(report: Report, ext: str) -> str:
    scope = f"{report.scope.province_code}" + (
        f"-org{report.scope.organization_id}" if report.scope.organization else ""
    )
    return re.sub(r"[^A-Za-z0-9._-]", "_", f"indicators-{scope}-{report.period.label}.{ext}")


def render(report: Report, ext: str) -> tuple[bytes, str]:
    return (to_csv(report), CSV_TYPE) if ext == "csv" else (to_xlsx(report), XLSX_TYPE)


def download(report: Report, ext: str) -> Response:
    """The report as a file to save, for the API and the dashboard alike."""
    body, mimetype = render(report, ext)
    response = Response(body, content_type=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename(report, ext)}"'
    response.headers["Cache-Control"] = "no-store"
    return response
