"""Reading the FSMA 204 downloads back: the CSV as dicts, the XLSX as the same strings."""

from __future__ import annotations

import csv
import datetime as dt
import io

from openpyxl import load_workbook

from trace.fsma.spreadsheet import COLUMNS


def read_csv(response) -> list[dict]:
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    raw = response.get_data()
    assert raw.startswith("\ufeff".encode()), "no BOM"
    text = raw.decode("utf-8")[1:]
    header = next(csv.reader(io.StringIO(text)))
    assert header == list(COLUMNS)
    return list(csv.DictReader(io.StringIO(text)))


def open_sheet(response):
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.headers["Content-Type"] == ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    return load_workbook(io.BytesIO(response.data))["FSMA 204"]


def sheet_as_csv(sheet) -> list[dict]:
    """The sheet's data rows as the CSV would spell them: dates ISO, whole quantities without decimals."""
    rows = []
    for cells in sheet.iter_rows(min_row=2):
        row = {}
        for name, cell in zip(COLUMNS, cells, strict=True):
            value = cell.value
            if isinstance(value, dt.datetime):
                value = value.date().isoformat()
            elif isinstance(value, float) and value.is_integer():
                value = str(int(value))
            row[name] = "" if value is None else str(value)
        rows.append(row)
    return rows


def ctes(rows: list[dict]) -> list[tuple[str, str]]:
    return [(r["Critical Tracking Event"], r["Traceability Lot Code"]) for r in rows]
