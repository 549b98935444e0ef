"""Files for download: the published templates and the exports, shared by the API and the pages."""

from __future__ import annotations

from typing import Any

from flask import Response
from sqlalchemy.orm import Session

from bulk import exports, files
from bulk.columns import AREAS, CERTIFICATES, HOUSEHOLDS, LOTS, ORGANIZATIONS, PACKING_HOUSES, Column
from registry.core.auth import Actor
from registry.core.errors import NotFound
from registry.core.i18n import _l, text

TEMPLATE_COLUMNS: dict[str, tuple[Column, ...]] = {
    "areas": AREAS,
    "packing-houses": PACKING_HOUSES,
    "organizations": ORGANIZATIONS,
    "lots": LOTS,
}
TYPES = {
    "csv": files.CSV_TYPE,
    "xlsx": files.XLSX_TYPE,
    "geojson": "application/geo+json",
    "kml": "application/vnd.google-earth.kml+xml",
}


def attachment(data: bytes, ext: str, name: str) -> Response:
    response = Response(data, content_type=TYPES[ext])
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.{ext}"'
    response.headers["Cache-Control"] = "no-store"
    return response


def _guide(columns: tuple[Column, ...]) -> list[list[Any]]:
    rows = []
    for c in columns:
        rows.append([c.vi, c.key, text(_l("yes")) if c.required else "", text(c.hint) if c.hint else ""])
    return rows


def template(kind: str, ext: str, language: str) -> Response:
    columns = TEMPLATE_COLUMNS.get(kind)
    if columns is None or ext not in ("csv", "xlsx"):
        raise NotFound(_l("There is no template for this kind of file."))
    head = exports.headers(columns, language)
    if ext == "csv":
        return attachment(files.to_csv(head, []), ext, f"template-{kind}")
    sheets: list[tuple[str, list[str], Any]] = [(kind, head, [])]
    guide = _guide(columns)
    if kind == "areas":
        for key, cols in (("households", HOUSEHOLDS), ("certificates", CERTIFICATES)):
            sheets.append((exports.sheet_title(key, language), exports.headers(cols, language), []))
            guide += [[f"{exports.sheet_title(key, language)}: {r[0]}", *r[1:]] for r in _guide(cols)]
    guide_head = [text(_l("Vietnamese header")), text(_l("English header")), text(_l("Required")), text(_l("Notes"))]
    note = text(
        _l(
            "Either header is accepted. Households and certificates go on their own sheets, each row naming the "
            "code of an area on the first sheet; a CSV file holds areas only. Errors count the header as row 1."
        )
    )
    sheets.append((text(_l("Guide")), guide_head, [*guide, [note]]))
    return attachment(files.to_xlsx(sheets), ext, f"template-{kind}")


def export(session: Session, kind: str, ext: str, *, actor: Actor, args: dict[str, Any], language: str) -> Response:
    if kind not in exports.EXPORT_KINDS or ext not in TYPES:
        raise NotFound(_l("There is no export of this kind."))
    data = exports.build(session, kind, actor=actor, args=args)
    head = exports.headers(data.columns, language)
    if ext == "csv":
        body = files.to_csv(head, exports.cells_only(data))
    elif ext == "xlsx":
        sheets: list[tuple[str, list[str], Any]] = [(kind, head, exports.cells_only(data))]
        for key, cols, rows in data.extra:
            sheets.append((exports.sheet_title(key, language), exports.headers(cols, language), rows))
        body = files.to_xlsx(sheets)
    else:
        from bulk import geo

        # GIS files keep the English keys, which QGIS users script against and bulk.geometries reads back.
        head = exports.headers(data.columns, "en")
        rows = [([files.plain(v) for v in cells], geometry) for cells, geometry in data.rows]
        if ext == "geojson":
            body = geo.write_geojson(head, rows)
        else:
            body = geo.write_kml(head, rows, name_column=data.name_column)
    return attachment(body, ext, kind)
