"""Scan alerts, raised as scans are written (qr.scans.recorder), one query per rule for a whole batch.

- ``over_units``: a lot scanned more times in all than it has units (pieces; for a weighed lot, kilograms:
  no pack the registry knows is lighter). Raised once per lot.
- ``burst``: at least ``SCAN_BURST_COUNT`` scans of one lot within ``SCAN_BURST_MINUTES``.
- ``many_places``: scans of one lot from at least ``SCAN_PLACES_COUNT`` different networks within
  ``SCAN_PLACES_MINUTES`` (a label copied and spread, or fruit from elsewhere sold under its code).
Link previews and crawlers (device "bot") are kept in ``scan`` but count for no rule and no daily figure.
Bursts are counted per fixed window, so a long burst raises one alert per window and lot, never one per scan.
Serial stamps add their kinds on the same table (qr.scans.stamps).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY

from qr.scans.models import AlertKind, Device, Scan, ScanAlert, ScanDay
from registry.core.db import VN_TZ
from trace.lots.models import Lot, Unit

UNITS_PER = {Unit.H87: Decimal(1), Unit.KGM: Decimal(1), Unit.TNE: Decimal(1000)}
DEFAULTS = {"SCAN_BURST_COUNT": 100, "SCAN_BURST_MINUTES": 10, "SCAN_PLACES_COUNT": 20, "SCAN_PLACES_MINUTES": 60,
            "SERIAL_SCAN_LIMIT": 20}  # fmt: skip


def setting(config: Any, name: str) -> int:
    return int(config.get(name, DEFAULTS[name]))


def lot_units(quantity: Decimal, unit: Unit | str) -> int:
    return int(quantity * UNITS_PER[Unit(unit)])


def _window(now: dt.datetime, minutes: int) -> tuple[dt.datetime, str]:
    """The fixed window holding ``now``: its start, and the key that makes its alert unique."""
    seconds = minutes * 60
    start = dt.datetime.fromtimestamp(int(now.timestamp()) // seconds * seconds, tz=dt.UTC)
    return start, f"{minutes}m@{start:%Y-%m-%dT%H:%M}"


def insert(conn: sa.Connection, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    conn.execute(insert(ScanAlert.__table__).on_conflict_do_nothing(), rows)


def _among(conn: sa.Connection, column: Any, ids: list[int]) -> Any:
    """``column IN ids``; on PostgreSQL as ``= ANY(array)``, one parameter whatever the batch's size, so the
    statement's text is the same every time (no SQL to render, parse and plan afresh for each batch)."""
    if conn.dialect.name == "postgresql":
        return column == sa.any_(sa.bindparam(None, ids, type_=ARRAY(sa.Integer)))
    return column.in_(ids)


def _hot(
    conn: sa.Connection, lots: list[int], day_counts: dict[int, int], least: int, since: dt.datetime, now: dt.datetime
) -> list[int]:
    """The lots that could have ``least`` scans in a window from ``since`` to ``now``: enough scans on the day
    (from the roll-up), or, when the window began the day before (Vietnam time), enough over both days."""
    hot = [lot for lot in lots if day_counts.get(lot, 0) >= least]
    first_day = since.astimezone(VN_TZ).date()
    if first_day == now.astimezone(VN_TZ).date():
        return hot
    rest = [lot for lot in lots if lot not in set(hot)]
    if rest:
        both_days = (
            sa.select(ScanDay.lot_id)
            .where(ScanDay.lot_id.in_(rest), ScanDay.day >= first_day)
            .group_by(ScanDay.lot_id)
            .having(sa.func.sum(ScanDay.scans) >= least)
        )
        hot += list(conn.scalars(both_days))
    return hot


def detect(
    conn: sa.Connection,
    province: dict[int, str | None],
    day_counts: dict[int, int],
    *,
    now: dt.datetime,
    config: Any,
) -> None:
    """Checks the lots just scanned (lot id -> province of the scans) against every rule.

    ``day_counts`` holds each lot's scans so far on its day (from the roll-up): the window rules only look at
    lots that could break them, those with that many scans today or, near midnight, yesterday and today. A
    quiet batch costs one query, however many lots it holds."""
    lots = sorted(province)
    found: list[dict[str, Any]] = []
    owners: dict[int, Any] = {}

    def alert(lot_id: int, kind: AlertKind, key: str, start: dt.datetime | None, scans: int, threshold: int,
              places: int | None = None) -> None:  # fmt: skip
        owner = owners[lot_id]
        found.append({"kind": kind, "lot_id": lot_id, "product_id": owner.product_id,
                      "organization_id": owner.organization_id, "province_code": province.get(lot_id),
                      "window_key": key, "window_start": start, "scans": scans, "places": places,
                      "threshold": threshold, "detected_at": now})  # fmt: skip

    # Only the lots scanned more than they have units come back: a quiet batch returns no row.
    units = sa.case((Lot.unit == Unit.TNE, Lot.quantity * 1000), else_=Lot.quantity)
    total = sa.func.sum(ScanDay.scans)
    over = (
        sa.select(ScanDay.lot_id, total, Lot.product_id, Lot.organization_id, Lot.quantity, Lot.unit)
        .join(Lot, Lot.id == ScanDay.lot_id)
        # Both sides restricted to the batch's lots: the planner then looks each lot up by its key, instead of
        # walking the whole lot table when its statistics on scan_day are stale.
        .where(_among(conn, ScanDay.lot_id, lots), _among(conn, Lot.id, lots))
        .group_by(ScanDay.lot_id, Lot.product_id, Lot.organization_id, Lot.quantity, Lot.unit)
        .having(total > units)
    )
    for row in conn.execute(over):
        owners[row.lot_id] = row
        alert(row.lot_id, AlertKind.OVER_UNITS, "total", None, int(row[1]), lot_units(row.quantity, row.unit))

    burst_n, burst_m = setting(config, "SCAN_BURST_COUNT"), setting(config, "SCAN_BURST_MINUTES")
    places_n, places_m = setting(config, "SCAN_PLACES_COUNT"), setting(config, "SCAN_PLACES_MINUTES")
    since = now - dt.timedelta(minutes=max(burst_m, places_m))
    hot = _hot(conn, lots, day_counts, min(burst_n, places_n), since, now)
    if not hot:
        insert(conn, found)
        return
    owners.update(
        (row.id, row)
        for row in conn.execute(sa.select(Lot.id, Lot.product_id, Lot.organization_id).where(Lot.id.in_(hot)))
    )
    start, key = _window(now, burst_m)
    counts = (
        sa.select(Scan.lot_id, sa.func.count())
        .where(Scan.lot_id.in_(hot), Scan.scanned_at >= start, Scan.device != Device.BOT)
        .group_by(Scan.lot_id)
        .having(sa.func.count() >= burst_n)
    )
    for lot_id, n in conn.execute(counts):
        alert(lot_id, AlertKind.BURST, key, start, n, burst_n)

    start, key = _window(now, places_m)
    spread = (
        sa.select(Scan.lot_id, sa.func.count(), sa.func.count(sa.distinct(Scan.place)))
        .where(Scan.lot_id.in_(hot), Scan.scanned_at >= start, Scan.device != Device.BOT)
        .group_by(Scan.lot_id)
        .having(sa.func.count(sa.distinct(Scan.place)) >= places_n)
    )
    for lot_id, n, places in conn.execute(spread):
        alert(lot_id, AlertKind.MANY_PLACES, key, start, n, places_n, places)
    insert(conn, found)
