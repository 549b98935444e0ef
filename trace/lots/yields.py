"""How much a single harvest lot from one growing area can plausibly weigh.

The rule, applied when a lot is recorded or its quantity or unit is corrected:

- When the area declares a yield (``expected_yield_t`` and/or ``average_yield_t``, in tonnes for the whole
  area), the ceiling is ``max(expected_yield_t, average_yield_t) × 1000 × 1.5`` kg: one lot cannot hold
  more than one and a half times the area's whole declared harvest.
- Otherwise it is ``area_ha × MAX_T_PER_HA[crop] × 1000 × 1.5`` kg, from the per-crop table below.
- The ceiling in kg is converted to the lot's unit: KGM as is, TNE divided by 1000, and pieces (H87) at no
  less than 200 g a piece, i.e. up to ``ceiling_kg / 0.2`` pieces.

The table's figures are deliberately generous UPPER bounds of fresh yield per hectare per year in Vietnam,
well above the usual averages (e.g. pomelo typically yields 15–25 t/ha, fresh tea shoots 10–15 t/ha,
irrigated rice 6–7 t/ha per crop, Cavendish banana 40–60 t/ha). The check only stops quantities no area
could yield, such as a typo of a few extra zeros or tonnes entered as kg; it is not a yield forecast.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

# Tonnes of fresh produce per hectare per year: generous upper bounds, not averages.
MAX_T_PER_HA: dict[str, Decimal] = {
    "tea": Decimal(25),
    "pomelo": Decimal(40),
    "mango": Decimal(30),
    "banana": Decimal(80),
    "rice": Decimal(15),
    "lotus": Decimal(10),
    "vegetables": Decimal(60),
    "longan": Decimal(25),
    "lychee": Decimal(20),
    "durian": Decimal(30),
    "coffee": Decimal(8),
}
# A crop missing from the table gets the largest bound in it.
DEFAULT_MAX_T_PER_HA = max(MAX_T_PER_HA.values())
# Headroom over the declared or tabled yield.
MARGIN = Decimal("1.5")
# The lightest piece a lot counted in pieces (H87) may hold, in kg.
MIN_PIECE_KG = Decimal("0.2")


@dataclass(frozen=True)
class Ceiling:
    kg: Decimal
    # "yield": from the area's declared yield (tonnes); "table": from area_ha × the per-crop table.
    basis: str
    yield_t: Decimal | None = None
    area_ha: Decimal | None = None
    t_per_ha: Decimal | None = None

    def in_unit(self, unit: str) -> Decimal:
        """The ceiling in the lot's unit (KGM, TNE or H87), rounded down to what NUMERIC(14, 3) keeps."""
        if unit == "TNE":
            value = self.kg / 1000
        elif unit == "H87":
            value = (self.kg / MIN_PIECE_KG).to_integral_value(rounding=ROUND_FLOOR)
        else:
            value = self.kg
        return value.quantize(Decimal("0.001"), rounding=ROUND_FLOOR).normalize()


def ceiling_for(area) -> Ceiling:
    yields = [y for y in (area.expected_yield_t, area.average_yield_t) if y is not None and y > 0]
    if yields:
        top = max(Decimal(y) for y in yields)
        return Ceiling(kg=top * 1000 * MARGIN, basis="yield", yield_t=top)
    rate = MAX_T_PER_HA.get(area.crop, DEFAULT_MAX_T_PER_HA)
    area_ha = Decimal(area.area_ha)
    return Ceiling(kg=area_ha * rate * 1000 * MARGIN, basis="table", area_ha=area_ha, t_per_ha=rate)
