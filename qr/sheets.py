"""Print-ready label sheets: a lot's label, or a range of its stamps, as vector QR codes on sticker layouts.

Each QR code is drawn as filled rectangles (one per run of dark modules in a row) straight into the page's
content stream, so it prints sharp at any size; zxing-cpp encodes it (a C++ encoder, some thirty times faster
than the pure-Python one), error correction M, with the four-module quiet zone kept clear. Beside each code go
the product's name, the lot code, the serial and the registry's short text, in DejaVu Sans, embedded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

import zxingcpp
from reportlab import rl_config
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

FONT = "DejaVuSans"
FONT_FILES = (Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),)
QUIET = 4  # modules of white around a code, as ISO/IEC 18004 asks
DARK = re.compile(rb"[\x00-\x7f]+")  # a run of dark pixels in a row of the encoder's bitmap
# The page streams are compressed; ASCII85 on top of that only adds work (done in Python without reportlab's
# C accelerator) and a quarter to the size.
rl_config.useA85 = 0


@dataclass(frozen=True)
class Layout:
    page: tuple[float, float]
    cols: int
    rows: int
    label: tuple[float, float]

    @property
    def per_page(self) -> int:
        return self.cols * self.rows


LAYOUTS = {
    # 24 stickers of 70 x 37.125 mm and 40 of 52.5 x 29.7 mm, edge to edge on A4, as the common sheets are cut.
    "a4-3x8": Layout(A4, 3, 8, (70 * mm, 37.125 * mm)),
    "a4-4x10": Layout(A4, 4, 10, (52.5 * mm, 29.7 * mm)),
    # One 50 x 30 mm label a page, for a roll printer.
    "roll": Layout((50 * mm, 30 * mm), 1, 1, (50 * mm, 30 * mm)),
}


@dataclass(frozen=True)
class Label:
    uri: str
    product: str
    lot_code: str
    serial: str | None = None


def _font() -> str:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        path = next((p for p in FONT_FILES if p.exists()), None)
        if path is None:
            raise RuntimeError("DejaVu Sans is missing: apt-get install fonts-dejavu-core")
        pdfmetrics.registerFont(TTFont(FONT, str(path)))
    return FONT


def qr_runs(uri: str) -> tuple[int, list[tuple[int, int, int]]]:
    """The code's size in modules and its dark runs: (row, first column, length)."""
    image = zxingcpp.create_barcode(uri, zxingcpp.BarcodeFormat.QRCode, ec_level="M").to_image(
        scale=1, add_quiet_zones=False
    )
    size = image.shape[1]
    pixels = bytes(memoryview(image))
    runs = []
    for y in range(image.shape[0]):
        row = pixels[y * size : (y + 1) * size]
        runs += [(y, m.start(), m.end() - m.start()) for m in DARK.finditer(row)]
    return size, runs


def _qr_ops(uri: str, x: float, y: float, side: float) -> str:
    """PDF operators filling the code in the square of ``side`` points whose lower left corner is (x, y)."""
    size, runs = qr_runs(uri)
    module = side / (size + 2 * QUIET)
    left, top = x + QUIET * module, y + side - QUIET * module
    parts = [
        f"{left + c * module:.2f} {top - (r + 1) * module:.2f} {n * module:.2f} {module:.2f} re" for r, c, n in runs
    ]
    return "0 g\n" + "\n".join(parts) + "\nf\n"


def _fit(canvas: Canvas, text: str, size: float, width: float) -> str:
    """The text, shortened with an ellipsis until it fits ``width`` points."""
    if canvas.stringWidth(text, FONT, size) <= width:
        return text
    while text and canvas.stringWidth(text + "…", FONT, size) > width:
        text = text[:-1]
    return text + "…"


def render(labels: list[Label], layout: Layout, *, caption: str, lot_word: str, serial_word: str) -> bytes:
    """The PDF of these labels, in order, filling each page of the layout row by row."""
    _font()
    out = BytesIO()
    canvas = Canvas(out, pagesize=layout.page, pageCompression=1)
    canvas.setTitle(labels[0].product if labels else "")
    page_w, page_h = layout.page
    label_w, label_h = layout.label
    margin_x = (page_w - layout.cols * label_w) / 2
    margin_y = (page_h - layout.rows * label_h) / 2
    pad = min(label_h * 0.08, 2 * mm)
    side = label_h - 2 * pad
    text_x_offset = pad + side + 1 * mm
    text_w = label_w - text_x_offset - pad
    big, small = (7.5, 6.0) if label_h > 32 * mm else (6.5, 5.2)
    for index, label in enumerate(labels):
        slot = index % layout.per_page
        if slot == 0 and index:
            canvas.showPage()
        col, row = slot % layout.cols, slot // layout.cols
        x = margin_x + col * label_w
        y = page_h - margin_y - (row + 1) * label_h
        canvas._code.append(_qr_ops(label.uri, x + pad, y + pad, side))  # noqa: SLF001  (raw operators: fast)
        tx, ty = x + text_x_offset, y + label_h - pad - big
        canvas.setFont(FONT, big)
        canvas.drawString(tx, ty, _fit(canvas, label.product, big, text_w))
        canvas.setFont(FONT, small)
        canvas.drawString(tx, ty - big * 1.4, _fit(canvas, f"{lot_word}: {label.lot_code}", small, text_w))
        if label.serial:
            canvas.drawString(
                tx, ty - big * 1.4 - small * 1.3, _fit(canvas, f"{serial_word}: {label.serial}", small, text_w)
            )
        canvas.drawString(tx, y + pad, _fit(canvas, caption, small, text_w))
    canvas.showPage()
    canvas.save()
    return out.getvalue()
