"""Render a lot's label as an image: the QR code and, beside it, what a person reads (PNG and SVG).

The code is the same one the sheets print (qr.sheets.qr_runs: zxing-cpp, error correction M, a four-module
quiet zone); the text beside it is the product, the lot code and the registry's short line, in DejaVu Sans.
Called with no text, the image is the bare code.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from PIL import Image, ImageDraw, ImageFont

from qr.sheets import FONT_FILES, QUIET, qr_runs

MODULE = 10  # pixels (PNG) or user units (SVG) per module
TEXT_WIDTH = 460
SIZES = (30, 24, 20)  # the product's name, the lot line, the registry's line


def _font(size: int) -> ImageFont.FreeTypeFont:
    path = next((p for p in FONT_FILES if p.exists()), None)
    if path is None:
        raise RuntimeError("DejaVu Sans is missing: apt-get install fonts-dejavu-core")
    return ImageFont.truetype(str(path), size)


def _fit(text: str, font: ImageFont.FreeTypeFont, width: int) -> str:
    if font.getlength(text) <= width:
        return text
    while text and font.getlength(text + "…") > width:
        text = text[:-1]
    return text + "…"


def render_png(data: str, lines: tuple[str, ...] = (), *, box_size: int = MODULE) -> bytes:
    size, runs = qr_runs(data)
    side = (size + 2 * QUIET) * box_size
    width = side + (TEXT_WIDTH if lines else 0)
    image = Image.new("L", (width, side), 255)
    draw = ImageDraw.Draw(image)
    for row, col, n in runs:
        x, y = (QUIET + col) * box_size, (QUIET + row) * box_size
        draw.rectangle((x, y, x + n * box_size - 1, y + box_size - 1), fill=0)
    y = QUIET * box_size
    for text, font_size in zip(lines, SIZES, strict=False):
        font = _font(font_size)
        draw.text((side, y), _fit(text, font, TEXT_WIDTH - QUIET * box_size), font=font, fill=0)
        y += int(font_size * 1.5)
    buffer = io.BytesIO()
    image.convert("1").save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def render_svg(data: str, lines: tuple[str, ...] = ()) -> bytes:
    size, runs = qr_runs(data)
    side = (size + 2 * QUIET) * MODULE
    width = side + (TEXT_WIDTH if lines else 0)
    path = "".join(
        f"M{(QUIET + c) * MODULE},{(QUIET + r) * MODULE}h{n * MODULE}v{MODULE}h-{n * MODULE}z" for r, c, n in runs
    )
    texts, y = [], QUIET * MODULE
    for text, font_size in zip(lines, SIZES, strict=False):
        y += font_size
        texts.append(f'<text x="{side}" y="{y}" font-size="{font_size}">{escape(text)}</text>')
        y += int(font_size * 0.5)
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {side}" width="{width}" height="{side}">'
        f'<rect width="{width}" height="{side}" fill="#fff"/><path d="{path}" fill="#000"/>'
        f'<g font-family="DejaVu Sans, Arial, sans-serif" fill="#000">{"".join(texts)}</g></svg>'
    )
    return svg.encode("utf-8")
