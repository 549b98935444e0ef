"""Scans from gunicorn's workers to one writer in gunicorn's master, through a pipe.

A worker serving a page must not spend its time writing scans: a batch written from a thread inside the worker
holds the interpreter while it builds its rows, and the pages it serves meanwhile wait (the benchmark's p99 shows
it). So under gunicorn (gunicorn.conf.py) the master opens a pipe before it starts the workers, and runs the
writer: each worker's page sends its scan as one fixed-size record with a single ``os.write`` (atomic below
PIPE_BUF, a few microseconds, never blocking: a full pipe makes the worker keep the scan and write it itself,
qr.scans.recorder). The master's thread reads the pipe, and every ``SCAN_FLUSH_SECONDS`` writes the batch in one
transaction (qr.scans.recorder.write: scans, the daily roll-up, alerts). At shutdown the master, after its
workers have exited, drains the pipe and writes what is left, so a clean stop loses no scan.

Without gunicorn (the tests, ``flask run``) there is no pipe and the recorder writes from its own thread.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import select
import struct
import threading
import time
from typing import Any

import sqlalchemy as sa

from qr.scans.models import Device, ScanLink

log = logging.getLogger(__name__)

# scanned_at (UTC epoch), link, lot id (0: none), product id, organization id, province, lang, device, place,
# the stamp's serial (empty: none)
RECORD = struct.Struct("<dBqqq2s5sB12s20s")
LINKS = list(ScanLink)
DEVICES = list(Device)
MAX_PENDING = 200_000

_write_fd: int | None = None
_master_pid: int | None = None


def _text(value: bytes) -> str | None:
    text = value.rstrip(b"\0").decode("ascii", "replace")
    return text or None


def pack(row: tuple) -> bytes:
    at, link, lot_id, product_id, organization_id, province, lang, device, place, serial = row
    return RECORD.pack(
        at.timestamp(), LINKS.index(link), lot_id or 0, product_id, organization_id, (province or "").encode(),
        lang.encode("ascii", "replace")[:5], DEVICES.index(device), (place or "").encode(),
        (serial or "").encode("ascii", "replace")[:20],
    )  # fmt: skip


def unpack(data: bytes) -> list[tuple]:
    rows = []
    for at, link, lot_id, product_id, organization_id, province, lang, device, place, serial in RECORD.iter_unpack(
        data
    ):
        rows.append((
            dt.datetime.fromtimestamp(at, dt.UTC), LINKS[link], lot_id or None, product_id, organization_id,
            _text(province), _text(lang) or "vi", DEVICES[device], _text(place), _text(serial),
        ))  # fmt: skip
    return rows


def send(row: tuple) -> bool:
    """In a worker with a pipe to the master: send the scan and say so. False means keep it yourself."""
    if _write_fd is None or os.getpid() == _master_pid:
        return False
    try:
        return os.write(_write_fd, pack(row)) == RECORD.size
    except (BlockingIOError, OSError):
        return False


class MasterWriter:
    """The master's side: reads the pipe in a thread and writes the scans in batches."""

    def __init__(self, read_fd: int, database_url: str, config: dict[str, Any], interval: float) -> None:
        self.read_fd, self.config, self.interval = read_fd, config, max(interval, 0.05)
        self.engine = sa.create_engine(database_url, pool_pre_ping=True, pool_size=1, max_overflow=0)
        self.pending: list[tuple] = []
        self.partial = b""
        self.written = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="scan-writer", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _read_available(self, timeout: float) -> None:
        ready, _, _ = select.select([self.read_fd], [], [], timeout)
        if not ready:
            return
        try:
            chunk = os.read(self.read_fd, 1 << 16)
        except BlockingIOError:
            return
        data = self.partial + chunk
        whole = len(data) - len(data) % RECORD.size
        self.partial = data[whole:]
        self.pending.extend(unpack(data[:whole]))
        if len(self.pending) > MAX_PENDING:
            log.error("dropping %s scans: the database has not taken them", len(self.pending) - MAX_PENDING)
            del self.pending[: len(self.pending) - MAX_PENDING]

    def flush(self) -> None:
        from qr.scans.recorder import write

        if not self.pending:
            return
        batch, self.pending = self.pending, []
        try:
            with self.engine.begin() as conn:
                write(conn, batch, self.config)
            self.written += len(batch)
        except Exception:
            log.exception("writing %s scans failed; they are kept for the next round", len(batch))
            self.pending[:0] = batch

    def _run(self) -> None:
        last = time.monotonic()
        while not self._stop.is_set():
            self._read_available(0.2)
            if time.monotonic() - last >= self.interval:
                self.flush()
                last = time.monotonic()

    def close(self) -> None:
        """After the workers have exited: read what is left in the pipe, write it, and stop."""
        self._stop.set()
        self._thread.join(timeout=10)
        os.set_blocking(self.read_fd, False)
        while True:
            before = len(self.pending) + len(self.partial)
            self._read_available(0)
            if len(self.pending) + len(self.partial) == before:
                break
        self.flush()
        self.engine.dispose()


_writer: MasterWriter | None = None


def open_in_master(database_url: str, config: dict[str, Any], interval: float) -> MasterWriter:
    """Called by gunicorn's master before it starts the workers (gunicorn.conf.py, on_starting)."""
    global _write_fd, _master_pid, _writer
    read_fd, write_fd = os.pipe()
    os.set_blocking(write_fd, False)
    _write_fd, _master_pid = write_fd, os.getpid()
    _writer = MasterWriter(read_fd, database_url, config, interval)
    _writer.start()
    return _writer


def in_worker() -> None:
    """Called in each worker after the fork: the read end belongs to the master alone."""
    if _writer is not None:
        os.close(_writer.read_fd)


def close_in_master() -> int | None:
    """Called by gunicorn's master as it exits, after its workers (gunicorn.conf.py, on_exit); returns how many
    scans the master wrote in all."""
    if _writer is None or os.getpid() != _master_pid:
        return None
    _writer.close()
    return _writer.written
