"""Turning a definition's records query into a figure: numerator, denominator, value, breakdowns and trend."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from indicators.definitions import COUNT, RATIO, Indicator
from indicators.period import Period, Scope
from registry.core.db import Page

NUMERATOR, DENOMINATOR, EXCLUDED, OUTSIDE = "numerator", "denominator", "excluded", "outside"
RECORD_SETS = (DENOMINATOR, NUMERATOR, EXCLUDED, OUTSIDE)


def _number(value: Any) -> int | float:
    if value is None:
        return 0
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(round(value, 4))
    return value


@dataclass
class Totals:
    records: int
    counted: int
    numerator: int | float
    denominator: int | float

    def value(self, kind: str) -> float | int | None:
        if kind == RATIO:
            return round(100 * self.numerator / self.denominator, 1) if self.denominator else None
        return self.numerator


@dataclass
class Figure:
    indicator: Indicator
    totals: Totals | None = None
    unavailable: Any = None
    breakdowns: dict[str, list[tuple[Any, int | float, int | float]]] = field(default_factory=dict)
    trend: list[tuple[str, float | int | None]] = field(default_factory=list)

    @property
    def code(self) -> str:
        return self.indicator.code

    @property
    def value(self) -> float | int | None:
        return self.totals.value(self.indicator.kind) if self.totals else None

    @property
    def numerator(self) -> int | float | None:
        return self.totals.numerator if self.totals else None

    @property
    def denominator(self) -> int | float | None:
        if self.totals is None or (self.indicator.kind == COUNT and "denominator_name" not in self.indicator.extra):
            return None
        return self.totals.denominator

    @property
    def gap(self) -> float | None:
        """Percentage points still missing to reach the target; 0 once it is met."""
        if self.indicator.target is None or self.value is None:
            return None
        return round(max(0.0, self.indicator.target - self.value), 1)


def _sums(sub: Any) -> list[Any]:
    counted = sa.case((sub.c.counted == 1, sub.c.measure), else_=0)
    return [
        sa.func.coalesce(sa.func.sum(sub.c.weight), 0),
        sa.func.coalesce(sa.func.sum(sub.c.counted * sub.c.weight), 0),
        sa.func.coalesce(sa.func.sum(counted), 0),
        sa.func.coalesce(sa.func.sum(sub.c.measure), 0),
    ]


def totals(session: Session, stmt: sa.Select) -> Totals:
    records, hits, numerator, denominator = session.execute(sa.select(*_sums(stmt.subquery()))).one()
    return Totals(int(records), int(hits), _number(numerator), _number(denominator))


def grouped_all(
    session: Session, stmt: sa.Select, groups: tuple[str, ...]
) -> tuple[dict[str, list[tuple[Any, Any, Any]]], Totals]:
    """Every breakdown and the totals from one pass: grouped by all the columns at once, then added up here."""
    sub = stmt.subquery()
    columns = [sub.c[g] for g in groups]
    rows = session.execute(sa.select(*columns, *_sums(sub)).group_by(*columns)).all()
    n = len(groups)
    out: dict[str, list[tuple[Any, Any, Any]]] = {}
    for i, group in enumerate(groups):
        sums: dict[Any, list[Any]] = {}
        for r in rows:
            acc = sums.setdefault(r[i], [0, 0])
            acc[0] += r[n + 2]
            acc[1] += r[n + 3]
        keys = sorted(sums, key=lambda k: (k is None, k))
        out[group] = [(k, _number(sums[k][0]), _number(sums[k][1])) for k in keys]
    total = Totals(
        sum(int(r[n]) for r in rows), sum(int(r[n + 1]) for r in rows),
        _number(sum((r[n + 2] for r in rows), 0)), _number(sum((r[n + 3] for r in rows), 0)),
    )  # fmt: skip
    return out, total


def _source(session: Session, indicator: Indicator, scope: Scope, period: Period) -> sa.Select:
    """The roll-up when there is one that answers for the period, else the records themselves."""
    tally = indicator.tally(session, scope, period) if indicator.tally else None
    return tally if tally is not None else indicator.records(session, scope, period)


def month_keys(period: Period) -> list[str]:
    return [m.start.strftime("%Y-%m") for m in period.months()]


def compute(session: Session, indicator: Indicator, scope: Scope, period: Period, *, trend: bool = True) -> Figure:
    figure = Figure(indicator)
    if indicator.unavailable is not None:
        figure.unavailable = indicator.unavailable(session, scope)
        if figure.unavailable is not None:
            return figure
    stmt = _source(session, indicator, scope, period)
    if indicator.groups:
        figure.breakdowns, figure.totals = grouped_all(session, stmt, indicator.groups)
    else:
        figure.totals = totals(session, stmt)
    quick = indicator.trend_query(session, scope, period) if trend and indicator.trend_query else None
    if quick is not None:
        found = {
            key: Totals(int(den), int(num), _number(num), _number(den)) for key, num, den in session.execute(quick)
        }
        empty = Totals(0, 0, 0, 0)
        figure.trend = [(key, found.get(key, empty).value(indicator.kind)) for key in month_keys(period)]
    elif trend and indicator.trend == "months":
        for month in period.months():
            figure.trend.append(
                (month.start.strftime("%Y-%m"), totals(session, _source(session, indicator, scope, month)).value(
                    indicator.kind))
            )  # fmt: skip
    elif trend and indicator.trend == "group":
        per_month: dict[str, int | float] = {}
        for key, num, _den in figure.breakdowns["month"]:  # a "group" trend is its month breakdown
            per_month[key] = per_month.get(key, 0) + num
        figure.trend = [(m, per_month.get(m, 0)) for m in month_keys(period)]
    return figure


@dataclass
class RecordsPage(Page):
    """A page of an indicator's records (registry.core.db.Page), with the set it lists and the figure's totals."""

    indicator: Indicator | None = None
    which: str = DENOMINATOR
    totals: Totals | None = None


def record_page(
    session: Session, indicator: Indicator, scope: Scope, period: Period, *, which: str, page: int, per_page: int
) -> RecordsPage:
    stmt = indicator.records(session, scope, period)
    all_totals = totals(session, stmt)
    if which == OUTSIDE:
        stmt = indicator.outside(session, scope, period)
    sub = stmt.subquery()
    listing = sa.select(*[c for c in sub.c if c.name != "weight"])
    total = all_totals.records if which != OUTSIDE else totals(session, stmt).records
    if which == NUMERATOR:
        listing, total = listing.where(sub.c.counted == 1), all_totals.counted
    elif which == EXCLUDED:
        listing, total = listing.where(sub.c.counted == 0), all_totals.records - all_totals.counted
    listing = listing.order_by(sub.c.counted, sub.c.label, sub.c.key).limit(per_page).offset((page - 1) * per_page)
    items = []
    for r in session.execute(listing).mappings():
        item = {k: (_number(v) if isinstance(v, Decimal) else v) for k, v in r.items()}
        item["counted"] = bool(item["counted"])
        items.append(item)
    return RecordsPage(items, total, page, per_page, indicator=indicator, which=which, totals=all_totals)
