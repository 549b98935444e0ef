"""Scans through the pipe to gunicorn's master: the record format, the master's writer, and gunicorn itself."""

from __future__ import annotations

import datetime as dt
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import sqlalchemy as sa

from qr.scans import channel
from qr.scans.models import Device, Scan, ScanDay, ScanLink
from tests.qr.test_public_void import _body, _paths

ROOT = Path(__file__).resolve().parents[3]
PHONE = {"User-Agent": "Mozilla/5.0 (Linux; Android 13; SM-A145F) AppleWebKit/537.36 Chrome/120 Mobile Safari/537.36"}


def _row(lot_id, world, **overrides):
    row = {"at": dt.datetime(2026, 11, 20, 3, 4, 5, 123456, tzinfo=dt.UTC), "link": ScanLink.DIGITAL_LINK,
           "lot": lot_id, "product": world.product_a.id, "org": world.org_a.id, "province": "25", "lang": "vi",
           "device": Device.MOBILE, "place": "0123456789ab", "serial": None}  # fmt: skip
    row.update(overrides)
    return tuple(row.values())


def test_a_record_goes_through_the_pipe_unchanged(world):
    rows = [_row(7, world), _row(None, world, link=ScanLink.PRODUCT, province=None, place=None, lang="en"),
            _row(7, world, serial="K7MQ2ZT9XA")]  # fmt: skip
    data = b"".join(channel.pack(r) for r in rows)
    assert len(data) == 3 * channel.RECORD.size and channel.RECORD.size < 512  # well under PIPE_BUF
    assert channel.unpack(data) == rows


def test_the_masters_writer_reads_the_pipe_and_writes_every_scan(app, db, make_api, world):
    lot = make_api(world.member_a).post("/api/v1/lots", json=_body(world)).json
    read_fd, write_fd = os.pipe()
    writer = channel.MasterWriter(read_fd, app.config["SQLALCHEMY_DATABASE_URI"], {}, interval=0.05)
    writer.start()
    try:
        for _ in range(3):
            os.write(write_fd, channel.pack(_row(lot["id"], world)))
        deadline = time.monotonic() + 5
        while writer.written < 3 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert writer.written == 3  # written while running, every interval
        payload = channel.pack(_row(lot["id"], world))
        os.write(write_fd, payload[:10])  # a record split across reads
        time.sleep(0.1)
        os.write(write_fd, payload[10:])
    finally:
        writer.close()
        os.close(write_fd)
    assert writer.written == 4
    assert db.session.scalar(sa.select(ScanDay.scans).where(ScanDay.lot_id == lot["id"])) == 4


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_under_gunicorn_the_master_writes_the_scans_and_a_clean_stop_loses_none(app, db, make_api, world, tmp_path):
    lot = make_api(world.member_a).post("/api/v1/lots", json=_body(world)).json
    port = _free_port()
    env = dict(os.environ, DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"], INSTANCE_PATH=str(tmp_path),
               PUBLIC_BASE_URL=f"http://127.0.0.1:{port}", SCAN_FLUSH_SECONDS="60", WORKERS="2")  # fmt: skip
    command = [str(Path(sys.executable).with_name("gunicorn")), "--config", "gunicorn.conf.py", "--bind",
               f"127.0.0.1:{port}", "wsgi:app"]  # fmt: skip
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)  # noqa: S603
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):  # noqa: S310
                    break
            except OSError:
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.2)
        for _ in range(5):
            request = urllib.request.Request(f"http://127.0.0.1:{port}{_paths([lot])[0]}", headers=PHONE)
            with urllib.request.urlopen(request, timeout=5) as page:  # noqa: S310
                assert page.status == 200
        # Written every 60 s: nothing yet, and nothing from the workers themselves.
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Scan)) == 0
    finally:
        server.send_signal(signal.SIGTERM)
        output = server.communicate(timeout=30)[0].decode()
    assert "Scans written by the master: 5" in output, output[-2000:]
    db.session.rollback()
    rows = db.session.execute(sa.select(ScanDay.lot_id, ScanDay.scans)).all()
    assert rows == [(lot["id"], 5)], (rows, output[-1500:])
