"""Read QR codes back with zxing-cpp, an independent decoder (never the library that drew them)."""

from __future__ import annotations

import io
from urllib.parse import urlsplit

import sqlalchemy as sa
import zxingcpp
from PIL import Image


def decode_png(data: bytes) -> str:
    results = zxingcpp.read_barcodes(Image.open(io.BytesIO(data)))
    qr_codes = [r for r in results if r.format == zxingcpp.BarcodeFormat.QRCode]
    assert len(qr_codes) == 1, f"expected one QR code, found {len(results)} barcodes"
    return qr_codes[0].text


def path_of(uri: str) -> str:
    parts = urlsplit(uri)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def page_statements(app, db, load) -> list[str]:
    """The SELECTs a public page runs once its growing area's facts are cached (as they are in service): the
    first call fills the cache, the second is counted."""
    app.config["PUBLIC_AREA_CACHE_SECONDS"] = 60
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    try:
        load()
        sa.event.listen(sa.engine.Engine, "before_cursor_execute", count)  # every engine, the scans' own too
        try:
            load()
        finally:
            sa.event.remove(sa.engine.Engine, "before_cursor_execute", count)
    finally:
        app.config["PUBLIC_AREA_CACHE_SECONDS"] = 0
    return statements


def assert_lot_and_stages(statements: list[str]) -> None:
    """The scan's budget: one statement for the lot, everything around it and its stages."""
    assert len(statements) == 1, statements
    flat = " ".join(statements[0].split())
    assert "FROM lot JOIN product" in flat and "ocop_certificate" in flat
    assert "FROM trace_event JOIN trace_event_item" in flat
