"""Read QR codes back with zxing-cpp from the image a printer or screen would show (the PNG as served, or
poppler's rendering of a PDF sheet), so what is checked is the drawing, not the encoder's own bitmap."""

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
    """The SELECTs the database receives for a public page once its growing area's facts are cached (as they are
    in service): the first call fills the cache, the second is counted. On PostgreSQL they are counted where
    psycopg sends them (the scan's statement skips SQLAlchemy); on SQLite at SQLAlchemy's cursor."""
    import psycopg

    app.config["PUBLIC_AREA_CACHE_SECONDS"] = 60
    statements: list[str] = []

    def keep(statement) -> None:
        text = statement if isinstance(statement, str) else str(statement)
        if text.lstrip().upper().startswith("SELECT"):
            statements.append(text)

    def count(conn, cursor, statement, *args):
        if conn.dialect.name != "postgresql":
            keep(statement)

    original = psycopg.Cursor.execute

    def execute(self, query, *args, **kwargs):
        keep(query)
        return original(self, query, *args, **kwargs)

    try:
        load()
        sa.event.listen(sa.engine.Engine, "before_cursor_execute", count)  # every engine, the scans' own too
        psycopg.Cursor.execute = execute
        try:
            load()
        finally:
            psycopg.Cursor.execute = original
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
