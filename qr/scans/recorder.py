"""Recording scans off the request's path.

Under gunicorn, a page sends its scan through a pipe to the master, which writes them (qr.scans.channel). Else,
or when the pipe is full, the scan goes to this recorder's buffer: a request does no database write, ``record``
puts one tuple in a list (microseconds). Every
``SCAN_FLUSH_SECONDS`` a daemon thread, started in each worker process on its first scan, takes the buffer and
writes it in one transaction: the scan rows, the daily roll-up (an upsert), and any alerts the new scans raise
(qr.scans.alerts). At a clean shutdown (gunicorn's worker exit, or the interpreter's atexit) the buffer is written
once more, so no scan is lost. A batch that fails to write goes back to the buffer for the next round, up to
``MAX_BUFFER`` scans; past that, the oldest are dropped and counted in the log.

With ``SCAN_FLUSH_SECONDS = 0`` (the tests) no thread runs and scans wait for ``flush()``.
"""

from __future__ import annotations

import atexit
import datetime as dt
import functools
import hashlib
import logging
import os
import re
import threading
from collections import Counter
from typing import Any

import sqlalchemy as sa
from flask import Flask

from qr.scans import alerts, channel, stamps
from qr.scans.models import Device, Scan, ScanDay, ScanLink, ScanMonth
from registry.core.db import VN_TZ, utcnow

log = logging.getLogger(__name__)
MAX_BUFFER = 200_000
EXTENSION = "scan_recorder"

BOT = re.compile(r"bot|crawl|spider|slurp|preview|facebookexternalhit|curl|wget|python|httpclient|headless", re.I)
TABLET = re.compile(r"ipad|tablet|kindle|silk/|playbook|android(?!.*mobi)", re.I)
MOBILE = re.compile(r"mobi|iphone|ipod|android|windows phone|opera mini|blackberry|zalo", re.I)


@functools.lru_cache(maxsize=4096)
def device_class(user_agent: str | None) -> Device:
    """A coarse class from the User-Agent, never the string itself."""
    if not user_agent:
        return Device.OTHER
    if BOT.search(user_agent):
        return Device.BOT
    if TABLET.search(user_agent):
        return Device.TABLET
    if MOBILE.search(user_agent):
        return Device.MOBILE
    if "mozilla" in user_agent.lower():
        return Device.DESKTOP
    return Device.OTHER


class Recorder:
    def __init__(self, app: Flask) -> None:
        self.app = app
        self.interval = float(app.config.get("SCAN_FLUSH_SECONDS", 1.0))
        self._buffer: list[tuple] = []
        self._lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._pid = os.getpid()
        self._stop = threading.Event()
        self._salt_day: dt.date | None = None
        self._salt = b""
        self.written = 0
        self.dropped = 0
        atexit.register(self.close)

    # -- the request's side ---------------------------------------------------------------------------------

    def place(self, remote_addr: str | None, now: dt.datetime) -> str | None:
        """A daily-salted hash of the requester's network; the address itself is never kept."""
        if not remote_addr:
            return None
        day = now.astimezone(VN_TZ).date()
        if day != self._salt_day:
            # The same in every worker (so places compare across them), different every day.
            secret = str(self.app.config["SECRET_KEY"]).encode()
            self._salt = hashlib.blake2b(day.isoformat().encode(), key=secret[:64], digest_size=16).digest()
            self._salt_day = day
        sep = ":" if ":" in remote_addr else "."
        network = sep.join(remote_addr.split(sep)[:2])
        return hashlib.blake2b(network.encode(), key=self._salt, digest_size=6).hexdigest()

    def record(
        self,
        *,
        link: ScanLink,
        lot_id: int | None,
        product_id: int,
        organization_id: int,
        province_code: str | None,
        lang: str,
        user_agent: str | None,
        remote_addr: str | None,
        serial: str | None = None,
    ) -> None:
        now = utcnow()
        row = (now, link, lot_id, product_id, organization_id, province_code, lang[:5],
               device_class(user_agent), self.place(remote_addr, now), serial)  # fmt: skip
        if channel.send(row):
            return  # under gunicorn: the master writes it
        with self._lock:
            self._buffer.append(row)
            if len(self._buffer) > MAX_BUFFER:
                del self._buffer[0]
                self.dropped += 1
        if self.interval > 0 and (self._thread is None or self._pid != os.getpid()):
            self._start()

    # -- the writer's side ----------------------------------------------------------------------------------

    def _start(self) -> None:
        with self._lock:
            if self._thread is not None and self._pid == os.getpid() and self._thread.is_alive():
                return
            self._pid = os.getpid()  # after a fork, the parent's thread is not ours
            self._stop = threading.Event()
            self._thread = threading.Thread(target=self._run, name="scan-recorder", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.flush()
            except Exception:  # the thread must outlive a database hiccup
                log.exception("writing scans failed; they stay buffered")

    def pending(self) -> int:
        return len(self._buffer)

    def discard(self) -> None:
        with self._lock:
            self._buffer = []

    def flush(self) -> int:
        """Write what is buffered, in one transaction; returns the number of scans written."""
        with self._write_lock:
            with self._lock:
                batch, self._buffer = self._buffer, []
            if not batch:
                return 0
            try:
                with self.app.app_context():
                    from registry.core.extensions import db

                    with db.engine.begin() as conn:
                        write(conn, batch, self.app.config)
            except Exception:
                with self._lock:
                    room = MAX_BUFFER - len(self._buffer)
                    self._buffer[:0] = batch[-room:] if room > 0 else []
                    self.dropped += max(0, len(batch) - max(room, 0))
                raise
            self.written += len(batch)
            return len(batch)

    def close(self) -> None:
        """Stop the thread and write what is left (a clean shutdown loses no scan)."""
        self._stop.set()
        if self._pid != os.getpid():
            return
        try:
            self.flush()
        except Exception:
            log.exception("writing the last %s scans at shutdown failed", self.pending())


COLUMNS = ("scanned_at", "link", "lot_id", "product_id", "organization_id", "province_code", "lang", "device", "place",
           "serial")  # fmt: skip
COPY = f"COPY scan ({', '.join(COLUMNS)}) FROM STDIN"


UPSERT_PG = sa.text(
    "INSERT INTO scan_day (day, product_id, lot_id, organization_id, province_code, scans) "
    "SELECT * FROM unnest(CAST(:day AS date[]), CAST(:product AS integer[]), CAST(:lot AS integer[]), "
    "CAST(:organization AS integer[]), CAST(:province AS varchar[]), CAST(:scans AS integer[])) "
    "ON CONFLICT (day, product_id, lot_id) DO UPDATE SET scans = scan_day.scans + excluded.scans "
    "RETURNING lot_id, scans"
)


def _upsert(conn: sa.Connection, rows: list[dict[str, Any]]) -> dict[int, int]:
    """Adds the batch's counts to scan_day; returns each lot's count for the day, as it now stands.

    On PostgreSQL one statement takes the whole batch as arrays; SQLite takes one row at a time."""
    if conn.dialect.name == "postgresql":
        columns = {"day": "day", "product": "product_id", "lot": "lot_id", "organization": "organization_id",
                   "province": "province_code", "scans": "scans"}  # fmt: skip
        returned = conn.execute(UPSERT_PG, {name: [r[column] for r in rows] for name, column in columns.items()})
    else:
        from sqlalchemy.dialects.sqlite import insert

        table = ScanDay.__table__
        stmt = insert(table)
        stmt = stmt.on_conflict_do_update(
            index_elements=["day", "product_id", "lot_id"], set_={"scans": table.c.scans + stmt.excluded.scans}
        ).returning(table.c.lot_id, table.c.scans)
        returned = conn.execute(stmt, rows)
    day_counts: dict[int, int] = {}
    for lot_id, scans in returned:
        day_counts[lot_id] = max(scans, day_counts.get(lot_id, 0))
    return day_counts


UPSERT_MONTH_PG = sa.text(
    "INSERT INTO scan_month (month, organization_id, province_code, scans) "
    "SELECT * FROM unnest(CAST(:month AS date[]), CAST(:organization AS integer[]), CAST(:province AS varchar[]), "
    "CAST(:scans AS bigint[])) "
    "ON CONFLICT (month, organization_id, province_code) DO UPDATE SET scans = scan_month.scans + excluded.scans"
)


def _upsert_months(conn: sa.Connection, day_rows: list[dict[str, Any]]) -> None:
    """Adds the batch's day counts to scan_month, the roll-up the indicators read."""
    months: Counter = Counter()
    for row in day_rows:
        months[(row["day"].replace(day=1), row["organization_id"], row["province_code"] or "")] += row["scans"]
    keys = sorted(months)
    if conn.dialect.name == "postgresql":
        conn.execute(UPSERT_MONTH_PG, {"month": [k[0] for k in keys], "organization": [k[1] for k in keys],
                                       "province": [k[2] for k in keys], "scans": [months[k] for k in keys]})  # fmt: skip
        return
    from sqlalchemy.dialects.sqlite import insert

    table = ScanMonth.__table__
    stmt = insert(table)
    stmt = stmt.on_conflict_do_update(
        index_elements=["month", "organization_id", "province_code"],
        set_={"scans": table.c.scans + stmt.excluded.scans},
    )
    conn.execute(stmt, [{"month": k[0], "organization_id": k[1], "province_code": k[2], "scans": months[k]}
                        for k in keys])  # fmt: skip


def _insert_scans(conn: sa.Connection, batch: list[tuple]) -> None:
    """On PostgreSQL through COPY, the cheapest way in for a few hundred rows a second; else an INSERT."""
    if conn.dialect.name == "postgresql":
        cursor = conn.connection.driver_connection.cursor()
        with cursor, cursor.copy(COPY) as copy:
            for at, link, lot, product, org, province, lang, device, place, serial in batch:
                copy.write_row((at, link.value, lot, product, org, province, lang, device.value, place, serial))
        return
    conn.execute(sa.insert(Scan.__table__), [dict(zip(COLUMNS, row, strict=True)) for row in batch])


def write(conn: sa.Connection, batch: list[tuple], config: Any) -> None:
    _insert_scans(conn, batch)
    days: Counter = Counter()
    owners: dict[tuple, tuple] = {}
    people = [row for row in batch if row[7] != Device.BOT]  # a link preview or crawler is kept, not counted
    for scanned_at, _link, lot_id, product_id, organization_id, province_code, *_ in people:
        key = (scanned_at.astimezone(VN_TZ).date(), product_id, lot_id or 0)
        days[key] += 1
        owners[key] = (organization_id, province_code)
    # In key order, so two writers never lock the same rows in opposite orders.
    rows = [
        {"day": k[0], "product_id": k[1], "lot_id": k[2], "organization_id": owners[k][0],
         "province_code": owners[k][1], "scans": n}
        for k, n in sorted(days.items())
    ]  # fmt: skip
    day_counts = _upsert(conn, rows) if rows else {}
    if rows:
        _upsert_months(conn, rows)
    lots = {row[2]: row[5] for row in people if row[2] is not None}
    now = max(row[0] for row in batch)
    if lots:
        alerts.detect(conn, lots, day_counts, now=now, config=config)
    stamped = [row for row in people if row[2] is not None and row[9]]
    if stamped:
        stamps.count_scans(conn, stamped, now=now, config=config)


def init_app(app: Flask) -> Recorder:
    recorder = Recorder(app)
    app.extensions[EXTENSION] = recorder
    return recorder


def recorder_of(app: Flask) -> Recorder:
    return app.extensions[EXTENSION]


def master_settings() -> tuple[str, dict[str, Any], float]:
    """The database, alert thresholds and flush interval, for the writer in gunicorn's master (no app there)."""
    from registry.core.config import Config

    config = Config()
    settings = {name: getattr(config, name) for name in alerts.DEFAULTS}
    return config.SQLALCHEMY_DATABASE_URI, settings, config.SCAN_FLUSH_SECONDS
