"""Render a lot's label URI as a QR code (PNG and SVG)."""

from __future__ import annotations

import io

import qrcode
import qrcode.image.svg
from qrcode.constants import ERROR_CORRECT_M


def _qr(data: str) -> qrcode.QRCode:
    # Level M survives a scuffed or partly wet label; a 4-module quiet zone is what scanners expect.
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=10, border=4)
    code.add_data(data)
    code.make(fit=True)
    return code


def render_png(data: str, *, box_size: int = 10) -> bytes:
    code = _qr(data)
    code.box_size = box_size
    image = code.make_image(fill_color="black", back_color="white")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def render_svg(data: str) -> bytes:
    image = _qr(data).make_image(image_factory=qrcode.image.svg.SvgPathImage)
    return image.to_string(encoding="utf-8")
