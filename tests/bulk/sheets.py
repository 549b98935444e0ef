"""Building import files in tests: CSV text and XLSX workbooks, the way a department's spreadsheet holds them."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook

AREA_HEADERS = [
    "code",
    "name",
    "organization_tax_code",
    "kind",
    "crop",
    "variety",
    "area_ha",
    "commune_code",
    "legacy_place",
    "status",
]


def csv_bytes(headers, rows, *, delimiter=",", bom=False) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return (("\ufeff" if bom else "") + out.getvalue()).encode("utf-8")


def xlsx_bytes(*sheets) -> bytes:
    """sheets: (title, headers, rows) in order; the first is the records."""
    book = Workbook()
    book.remove(book.active)
    for title, headers, rows in sheets:
        ws = book.create_sheet(title)
        ws.append(headers)
        for row in rows:
            ws.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def area_row(
    code,
    tax,
    *,
    name=None,
    kind="domestic",
    crop="pomelo",
    variety="Bưởi Sửu",
    ha="12.5",
    commune="07999",
    legacy="",
    status="",
):
    return [code, name or f"Vùng {code}", tax, kind, crop, variety, ha, commune, legacy, status]


def upload(api, kind, data, filename, *, dry_run=False):
    return api.client.post(
        f"/api/v1/imports/{kind}?dry_run={'true' if dry_run else 'false'}",
        data={"file": (io.BytesIO(data), filename)},
        headers=api._headers(),
        content_type="multipart/form-data",
    )


def rows_of_csv(data: bytes) -> list[list[str]]:
    text = data.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))
