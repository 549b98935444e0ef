"""Scans of serialised stamps (qr.serials): each stamp's count and first scan, and the serial alerts.

Called by the scans' writer for the batch's scans that carried a serial. One UPDATE adds the batch's counts to the
stamps and returns them; a serial it does not find was never issued for that lot. The alerts, one per stamp and
kind: a serial the cooperative never issued, a voided stamp scanned, and a stamp scanned more than
``SERIAL_SCAN_LIMIT`` times (a copied label is scanned wherever the copies go).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa

from qr.scans import alerts
from qr.scans.models import AlertKind
from qr.serials.models import Serial

UPDATE_PG = sa.text(
    "UPDATE serial SET scans = serial.scans + v.n, first_scanned_at = COALESCE(serial.first_scanned_at, v.first) "
    "FROM unnest(CAST(:lot AS integer[]), CAST(:serial AS varchar[]), CAST(:n AS integer[]), "
    "CAST(:first AS timestamptz[])) AS v(lot_id, serial, n, first) "
    "WHERE serial.lot_id = v.lot_id AND serial.serial = v.serial "
    "RETURNING serial.lot_id, serial.serial, serial.scans, serial.voided_at"
)


def _update(conn: sa.Connection, counts: dict[tuple[int, str], list]) -> dict[tuple[int, str], tuple]:
    keys = sorted(counts)
    if conn.dialect.name == "postgresql":
        params = {"lot": [k[0] for k in keys], "serial": [k[1] for k in keys],
                  "n": [counts[k][0] for k in keys], "first": [counts[k][1] for k in keys]}  # fmt: skip
        rows = conn.execute(UPDATE_PG, params).all()
    else:
        rows = []
        for key in keys:
            stmt = (
                sa.update(Serial)
                .where(Serial.lot_id == key[0], Serial.serial == key[1])
                .values(scans=Serial.scans + counts[key][0],
                        first_scanned_at=sa.func.coalesce(Serial.first_scanned_at, counts[key][1]))
                .returning(Serial.lot_id, Serial.serial, Serial.scans, Serial.voided_at)
            )  # fmt: skip
            rows += conn.execute(stmt).all()
    return {(lot_id, serial): (scans, voided_at) for lot_id, serial, scans, voided_at in rows}


def count_scans(conn: sa.Connection, rows: list[tuple], *, now: dt.datetime, config: Any) -> None:
    counts: dict[tuple[int, str], list] = {}
    for at, _link, lot_id, product_id, organization_id, province, _lang, _device, _place, serial in rows:
        entry = counts.setdefault((lot_id, serial), [0, at, product_id, organization_id, province])
        entry[0] += 1
        entry[1] = min(entry[1], at)
    stamps = _update(conn, counts)
    limit = alerts.setting(config, "SERIAL_SCAN_LIMIT")
    found: list[dict[str, Any]] = []
    for (lot_id, serial), (n, _first, product_id, organization_id, province) in counts.items():
        stamp = stamps.get((lot_id, serial))
        if stamp is None:
            kind, scans, threshold = AlertKind.UNKNOWN_SERIAL, n, 0
        elif stamp[1] is not None:
            kind, scans, threshold = AlertKind.VOID_SERIAL_SCANNED, stamp[0], 0
        elif stamp[0] > limit:
            kind, scans, threshold = AlertKind.SERIAL_OVERSCANNED, stamp[0], limit
        else:
            continue
        found.append({"kind": kind, "lot_id": lot_id, "product_id": product_id, "organization_id": organization_id,
                      "province_code": province, "window_key": f"{kind.value}:{serial}", "window_start": None,
                      "scans": scans, "places": None, "threshold": threshold, "serial": serial,
                      "detected_at": now})  # fmt: skip
    alerts.insert(conn, found)
