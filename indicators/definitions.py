"""What an indicator is: one small definition, and one query for the records behind it.

A definition's ``records`` query returns one row per record, with the columns

- ``key``: the record's id or code, ``label``: what a person reads, ``place``: its commune (or "");
- ``counted``: 1 when the record is in the numerator, else 0; ``reason``: why it is not (a code of REASONS);
- ``measure``: what the record adds (1 for a count, hectares, scans);
- the definition's ``groups``: columns to break the figure down by (crop, commune, month, stars, kind).

The numerator is the sum of ``measure`` over counted rows, the denominator over every row. The figures on the
dashboard, in the API and in the report are computed from that same query, so the records always add up.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from indicators.period import Period, Scope
from registry.core.i18n import _l

RATIO, COUNT = "ratio", "count"

# Why a record is in the denominator but not the numerator; shown beside it.
REASONS: dict[str, Any] = {
    "no_cooperative": _l("No active cooperative is based in this commune."),
    "no_model": _l("No production-linkage model covers this commune in the period."),
    "model_not_key_product": _l("A linkage model covers it, but not for a key product of the province."),
    "no_commune_covered": _l("None of its communes is covered by a linkage model for a key product."),
    "not_digital": _l("No QR-traced lot from its areas and no digital diary entry in the period."),
    "not_tied": _l("None of its supplying areas held an active code in the period: not tied to a raw-material area."),
    "no_area": _l("No growing area supplies it: not tied to a raw-material area."),
    "pending": _l("The code is still pending."),
    "suspended": _l("The code is suspended."),
    "revoked": _l("The code is revoked."),
}

Records = Callable[[Session, Scope, Period], sa.Select]


@dataclass(frozen=True)
class Indicator:
    code: str
    name: Any  # lazy string, in the reader's language
    rule: Any  # the rule in plain words, shown beside the figure
    records: Records
    # A roll-up query with the same columns, whose ``weight`` says how many records a row stands for; when it
    # answers for the period (it returns None when it cannot), the figure is computed from it and the records
    # are still listed from ``records``. The tests check that both give the same numbers.
    tally: Callable[[Session, Scope, Period], sa.Select | None] | None = None
    # The monthly trend in one statement, rows (month "YYYY-MM", numerator, denominator), by the same rule as the
    # records of each month alone; None when it cannot answer for the period. Without it, month by month.
    trend_query: Callable[[Session, Scope, Period], sa.Select | None] | None = None
    # The records of the wider population left out of the denominator, each with its reason (KT-3: the models
    # that ran but were not tied to a raw-material area). Never counted in the figure.
    outside: Records | None = None
    kind: str = RATIO  # a percentage of the denominator, or the numerator itself
    unit: Any = None  # what a count counts ("communes", "ha")
    target: float | None = None  # a percentage, for ratios
    groups: tuple[str, ...] = ()
    # Whole-province indicators are not computed for one organization's figures.
    province_only: bool = False
    # "months": recomputed for each month of the period; "group": the month breakdown; None: no trend.
    trend: str | None = None
    # Record kind, for links from the records list: area, commune, district, model, lot, certificate, scans, alert.
    record_kind: str = "area"
    # The measure's unit when it is not one record each (ha, scans).
    measure_unit: Any = None
    note: Any = None
    # Returns why the indicator cannot be computed for this scope (nothing set up yet), or None.
    unavailable: Callable[[Session, Scope], Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict)


INDICATORS: dict[str, Indicator] = {}


def define(indicator: Indicator) -> Indicator:
    if indicator.code in INDICATORS:
        raise ValueError(f"indicator {indicator.code} is defined twice")
    INDICATORS[indicator.code] = indicator
    return indicator


def row(
    *,
    key: Any,
    label: Any,
    counted: Any,
    reason: Any = None,
    measure: Any = 1,
    place: Any = "",
    weight: Any = 1,
    **groups: Any,
) -> list[Any]:
    """The columns of a records query, in the order every definition uses."""
    columns = [
        sa.cast(key, sa.String).label("key"),
        sa.cast(label, sa.String).label("label"),
        sa.cast(place, sa.String).label("place") if not isinstance(place, str) else sa.literal(place).label("place"),
        sa.literal(int(counted)).label("counted")
        if isinstance(counted, bool)
        else sa.case((counted, 1), else_=0).label("counted"),
        (reason if reason is not None else sa.null()).label("reason"),
        (measure if not isinstance(measure, int) else sa.literal(measure)).label("measure"),
        (weight if not isinstance(weight, int) else sa.literal(weight)).label("weight"),
    ]
    columns.extend(value.label(name) for name, value in groups.items())
    return columns
