"""The crops the registry knows, with the interim minimum scale for a growing-area code."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from registry.core.i18n import _l, text


@dataclass(frozen=True)
class Crop:
    code: str
    name: object  # lazy string
    perennial: bool

    @property
    def min_area_ha(self) -> Decimal:
        # Interim domestic guidance: 1 ha for perennial crops, 0.1 ha for annual ones.
        return Decimal("1") if self.perennial else Decimal("0.1")


CROPS: dict[str, Crop] = {
    c.code: c
    for c in (
        Crop("tea", _l("Tea"), perennial=True),
        Crop("pomelo", _l("Pomelo"), perennial=True),
        Crop("mango", _l("Mango"), perennial=True),
        Crop("longan", _l("Longan"), perennial=True),
        Crop("lychee", _l("Lychee"), perennial=True),
        Crop("durian", _l("Durian"), perennial=True),
        Crop("coffee", _l("Coffee"), perennial=True),
        Crop("banana", _l("Banana"), perennial=False),
        Crop("rice", _l("Rice"), perennial=False),
        Crop("lotus", _l("Lotus"), perennial=False),
        Crop("vegetables", _l("Vegetables"), perennial=False),
    )
}


def crop_name(code: str) -> str:
    crop = CROPS.get(code)
    return text(crop.name) if crop else code


def crop_choices():
    from registry.core.forms import choices

    return choices((c.code, c.name) for c in CROPS.values())


def crop_filter(filters: Any, crop: Any) -> str | None:
    """A list's "crop" filter: the crop code, or None when absent; an unknown crop is refused through ``filters``."""
    if crop in (None, ""):
        return None
    if crop not in CROPS:
        filters.refuse("crop", crop, _l("There is no crop “%(crop)s”.", crop=crop))
        return None
    return crop
