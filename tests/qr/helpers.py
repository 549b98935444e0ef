"""Read QR codes back with zxing-cpp, an independent decoder (never the library that drew them)."""

from __future__ import annotations

import io
from urllib.parse import urlsplit

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
