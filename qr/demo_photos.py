"""Demo product photos, drawn with Pillow (the demo ships no third-party pictures): a fruit on a plain table."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw, ImageFilter

# product name -> (fruit colour, highlight colour, leaf colour)
FRUITS = {
    "Bưởi Đoan Hùng": ((176, 196, 64), (226, 236, 140), (46, 110, 40)),
    "Xoài cát Hòa Lộc Cao Lãnh": ((232, 178, 40), (250, 222, 120), (60, 120, 50)),
    "Chuối tiêu hồng Hạ Hòa": ((214, 196, 60), (246, 236, 150), (70, 130, 60)),
    "Chè xanh Thanh Ba": ((70, 130, 50), (140, 190, 100), (30, 90, 30)),
}


def drawing(name: str, size: tuple[int, int] = (960, 720)) -> bytes | None:
    colours = FRUITS.get(name)
    if colours is None:
        return None
    fruit, light, leaf = colours
    width, height = size
    image = Image.new("RGB", size, (238, 232, 218))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, int(height * 0.72), width, height), fill=(196, 160, 118))  # the table
    cx, cy, r = width // 2, int(height * 0.5), int(height * 0.3)
    draw.ellipse((cx - r + 18, cy + r - 30, cx + r + 40, cy + r + 26), fill=(150, 120, 90))  # shadow
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=fruit)
    draw.ellipse((cx - r // 2, cy - r * 3 // 4, cx, cy - r // 4), fill=light)
    draw.polygon([(cx, cy - r), (cx + r // 2, cy - r - r // 3), (cx + r // 5, cy - r + 6)], fill=leaf)
    out = io.BytesIO()
    image.filter(ImageFilter.GaussianBlur(2)).save(out, "JPEG", quality=90)
    return out.getvalue()
