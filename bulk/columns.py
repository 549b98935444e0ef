"""The columns of every kind: one definition serves the template, the import and the export.

Each column has a key (the English header, which the API and the docs name) and a Vietnamese header. A file may
use either header for any column, in any order, case and accents aside. Templates and exports write the headers
of the asker's language (Vietnamese unless English is chosen); the XLSX template's guide sheet lists both.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bulk.table import FileRefused, Sheet
from registry.core.i18n import _l, fold


@dataclass(frozen=True)
class Column:
    key: str
    vi: str
    required: bool = False
    hint: Any = ""


AREAS = (
    Column("code", "mã số", True, _l("The code as issued, e.g. VN-25-07999-001; codes from before 2025 as written")),
    Column("name", "tên vùng trồng", True),
    Column("organization_tax_code", "mã số thuế tổ chức", True, _l("Tax code of the cooperative or enterprise")),
    Column("kind", "loại", True, _l("domestic or export")),
    Column("crop", "cây trồng", True, _l("Crop code, e.g. pomelo")),
    Column("variety", "giống"),
    Column("area_ha", "diện tích (ha)", True, _l("Hectares; a decimal comma is accepted: 12,5")),
    Column("commune_code", "mã xã", False, _l("5-digit commune code after the 2025 reform")),
    Column("legacy_place", "địa danh cũ", False, _l("Place as written on a code issued before the 2025 reform")),
    Column("status", "trạng thái", False, _l("pending (default), active, suspended, revoked, withdrawn, refused")),
)

HOUSEHOLDS = (
    Column("area_code", "mã số vùng trồng", True),
    Column("name", "tên hộ", True),
    Column("plot_ha", "diện tích thửa (ha)", True, _l("Hectares; a decimal comma is accepted")),
    Column("phone", "điện thoại"),
)

CERTIFICATES = (
    Column("area_code", "mã số vùng trồng", True),
    Column("scheme", "tiêu chuẩn", True, _l("vietgap, globalgap or organic")),
    Column("number", "số chứng nhận", True),
    Column("issuer", "tổ chức cấp", True),
    Column("issued_on", "ngày cấp", True, _l("YYYY-MM-DD")),
    Column("expires_on", "ngày hết hạn", True, _l("YYYY-MM-DD")),
)

PACKING_HOUSES = (
    Column("code", "mã số", True),
    Column("name", "tên cơ sở", True),
    Column("organization_tax_code", "mã số thuế tổ chức", True),
    Column("address", "địa chỉ"),
    Column("capacity_t_per_day", "công suất (tấn/ngày)", False, _l("Tonnes a day; a decimal comma is accepted")),
    Column("commune_code", "mã xã"),
    Column("legacy_place", "địa danh cũ"),
    Column("status", "trạng thái"),
)

ORGANIZATIONS = (
    Column("tax_code", "mã số thuế", True),
    Column("name", "tên", True),
    Column("kind", "loại hình", True, _l("cooperative or enterprise")),
    Column("commune_code", "mã xã", True),
    Column("address", "địa chỉ"),
    Column("phone", "điện thoại"),
)

LOTS = (
    Column("code", "mã lô", True, _l("GS1 lot code: up to 20 characters, no spaces or diacritics")),
    Column("organization_tax_code", "mã số thuế tổ chức", True),
    Column("product", "sản phẩm", True, _l("The product's GTIN, or its name when it has none")),
    Column("area_code", "mã số vùng trồng", True),
    Column("packing_house_code", "mã số cơ sở đóng gói"),
    Column("harvest_date", "ngày thu hoạch", True, _l("YYYY-MM-DD")),
    Column("quantity", "số lượng", True, _l("A decimal comma is accepted")),
    Column("unit", "đơn vị", True, _l("KGM, TNE or H87 (kg, t, pieces)")),
)

OCOP_PRODUCTS = (
    Column("product", "sản phẩm"),
    Column("gtin", "GTIN"),
    Column("organization_tax_code", "mã số thuế tổ chức"),
    Column("organization", "chủ thể"),
    Column("crop", "cây trồng"),
    Column("stars", "số sao"),
    Column("decision_number", "số quyết định"),
    Column("issued_on", "ngày cấp"),
    Column("expires_on", "ngày hết hạn"),
    Column("validity", "hiệu lực"),
)

SHEETS = {"households": HOUSEHOLDS, "certificates": CERTIFICATES}
SHEET_NAMES_VI = {"households": "hộ", "certificates": "chứng nhận"}


def _norm(text: str) -> str:
    return " ".join(fold(text or "").replace("_", " ").split())


def header_map(sheet: Sheet, columns: tuple[Column, ...]) -> list[str | None]:
    """The column key of each cell position; refuses the sheet when a header is unknown, doubled or missing."""
    known = {}
    for column in columns:
        known[_norm(column.key)] = column.key
        known[_norm(column.vi)] = column.key
    keys: list[str | None] = []
    unknown, seen = [], set()
    for header in sheet.headers:
        if not (header or "").strip():
            keys.append(None)
            continue
        key = known.get(_norm(header))
        if key is None:
            unknown.append(header)
        elif key in seen:
            raise FileRefused(_l("The column %(column)s appears twice.", column=header))
        seen.add(key)
        keys.append(key)
    missing = [c.key for c in columns if c.required and c.key not in seen]
    if unknown or missing:
        expected = ", ".join(f"{c.key} ({c.vi})" for c in columns)
        raise FileRefused(
            _l(
                "The headers do not match the template. Unknown: %(unknown)s. Missing: %(missing)s. Expected: %(expected)s.",
                unknown=", ".join(unknown) or "—",
                missing=", ".join(missing) or "—",
                expected=expected,
            ),
        )
    return keys


def records(sheet: Sheet, columns: tuple[Column, ...]) -> list[tuple[int, dict[str, Any]]]:
    """Each data row as {key: raw cell} with its row number; cells past the known headers are ignored."""
    keys = header_map(sheet, columns)
    out = []
    for number, cells in sheet.rows:
        row = {c.key: None for c in columns}
        for key, value in zip(keys, cells, strict=False):
            if key is not None:
                row[key] = value
        out.append((number, row))
    return out
