"""What the public page shows of a growing area besides its row: its map, its status history (for the status at
harvest) and its valid GAP certificates. They change rarely, so each area's are read once and kept for
``PUBLIC_AREA_CACHE_SECONDS`` (60 s by default, the same minute the page's Cache-Control allows); the key holds
the area's last change and today's date, so an edit or midnight reads them afresh.
"""

from __future__ import annotations

import datetime as dt
import functools
import threading
import time
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from registry.areas.geometry import SvgMap, svg_map
from registry.areas.models import GapCertificate, GrowingArea
from registry.core.db import VN_TZ
from registry.lifecycle.models import CodeStatus, StatusChange


@dataclass(frozen=True)
class Certificate:
    scheme: str
    number: str
    issuer: str
    expires_on: dt.date


@dataclass(frozen=True)
class AreaFacts:
    """What the page shows of a growing area besides its row: read once per area and kept a minute."""

    history: tuple[tuple[dt.datetime, CodeStatus | None, CodeStatus], ...]  # (at, from, to), oldest first
    certificates: tuple[Certificate, ...]
    map: SvgMap | None

    def status_on(self, day: dt.date) -> CodeStatus | None:
        """The code's status at the end of ``day`` (Vietnam time); None if the area had no status then."""
        end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=VN_TZ)
        status = self.history[0][1] if self.history else None  # before its first recorded change
        for at, _from, to_status in self.history:
            if at < end:
                status = to_status
        return status


@functools.cache
def statements() -> dict[str, Any]:
    return {
        "area": sa.select(GrowingArea.geometry, GrowingArea.gps_lat, GrowingArea.gps_lon).where(
            GrowingArea.id == sa.bindparam("area_id")
        ),
        "history": sa.select(StatusChange.at, StatusChange.from_status, StatusChange.to_status)
        .where(StatusChange.growing_area_id == sa.bindparam("area_id"))
        .order_by(StatusChange.at, StatusChange.id),
        "certificates": sa.select(
            GapCertificate.scheme, GapCertificate.number, GapCertificate.issuer, GapCertificate.expires_on
        )
        .where(
            GapCertificate.growing_area_id == sa.bindparam("area_id"),
            GapCertificate.issued_on <= sa.bindparam("today"),
            GapCertificate.expires_on >= sa.bindparam("today"),
            GapCertificate.revoked_on.is_(None),
        )
        .order_by(GapCertificate.expires_on.desc()),
    }


class AreaCache:
    """Area facts by (area, its last change, today), kept ``seconds``; 0 turns the cache off (the tests)."""

    def __init__(self) -> None:
        self._items: dict[tuple, tuple[float, AreaFacts]] = {}
        self._lock = threading.Lock()

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def get(self, conn: sa.Connection, key: tuple, today: dt.date, seconds: float) -> AreaFacts:
        now = time.monotonic()
        if seconds > 0:
            hit = self._items.get(key)
            if hit is not None and hit[0] > now:
                return hit[1]
        facts = load_area(conn, key[0], today)
        if seconds > 0:
            with self._lock:
                if len(self._items) > 20_000:
                    self._items.clear()
                self._items[key] = (now + seconds, facts)
        return facts


AREAS = AreaCache()


def load_area(conn: sa.Connection, area_id: int, today: dt.date) -> AreaFacts:
    st = statements()
    geometry = conn.execute(st["area"], {"area_id": area_id}).one()
    history = tuple(
        (at, CodeStatus(old) if old else None, CodeStatus(new))
        for at, old, new in conn.execute(st["history"], {"area_id": area_id})
    )
    certificates = tuple(
        Certificate(str(scheme), number, issuer, expires_on)
        for scheme, number, issuer, expires_on in conn.execute(st["certificates"], {"area_id": area_id, "today": today})
    )
    gps = (geometry.gps_lat, geometry.gps_lon) if geometry.gps_lat is not None else None
    return AreaFacts(history, certificates, svg_map(geometry.geometry, gps, width=320))
