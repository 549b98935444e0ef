"""flask --app wsgi import KIND FILE [--dry-run]: progress, exit codes, and a process killed half-way stores nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from registry.areas.models import GrowingArea
from registry.lifecycle.models import StatusChange
from tests.bulk.sheets import AREA_HEADERS, area_row, csv_bytes

ROOT = Path(__file__).resolve().parents[2]


def areas(db):
    return db.session.scalar(sa.select(sa.func.count()).select_from(GrowingArea))


def test_dry_run_then_import_then_nothing_to_do(db, world, runner, tmp_path):
    path = tmp_path / "areas.csv"
    path.write_bytes(
        csv_bytes(AREA_HEADERS, [area_row(f"VN-25-07999-{i:03d}", world.org_a.tax_code) for i in range(500, 520)])
    )
    before = areas(db)
    result = runner.invoke(args=["import", "areas", str(path), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "would create 20" in result.output and areas(db) == before
    result = runner.invoke(args=["import", "areas", str(path)])
    assert result.exit_code == 0, result.output
    assert "created 20, updated 0" in result.output and areas(db) == before + 20
    assert runner.invoke(args=["import", "areas", str(path)]).output.strip().endswith("created 0, updated 0.")
    # The command line acts as the department's administrator: the history names no account.
    history = db.session.scalars(
        sa.select(StatusChange.actor_id).where(StatusChange.growing_area_id.is_not(None))
    ).all()
    assert None in history


def test_errors_exit_non_zero_and_store_nothing(db, world, runner, tmp_path):
    path = tmp_path / "areas.csv"
    path.write_bytes(csv_bytes(AREA_HEADERS, [area_row("VN-25-07999-800", world.org_a.tax_code), area_row("bad", "x")]))
    before = areas(db)
    result = runner.invoke(args=["import", "areas", str(path)])
    assert result.exit_code != 0
    assert "row 3, code" in result.output and "nothing was stored" in result.output
    assert areas(db) == before
    path.write_bytes(b"\x00\x01\x02")
    result = runner.invoke(args=["import", "areas", str(path)])
    assert result.exit_code != 0 and areas(db) == before


def test_acting_as_a_member(db, world, runner, tmp_path):
    path = tmp_path / "areas.csv"
    path.write_bytes(csv_bytes(AREA_HEADERS, [area_row("VN-25-07999-810", world.org_b.tax_code)]))
    result = runner.invoke(args=["import", "areas", str(path), "--user", world.member_a.email])
    assert result.exit_code != 0 and "organization_tax_code" in result.output
    result = runner.invoke(args=["import", "areas", str(path), "--user", world.auditor.email])
    assert result.exit_code != 0


def _writing(url: str) -> bool:
    """Whether the import has written rows (uncommitted: the commit only comes at the very end).

    SQLite: its rollback journal exists while a write transaction is open. PostgreSQL: another session has sent
    the INSERT of the first chunk's status history, which comes after the chunk's areas.
    """
    if url.startswith("sqlite"):
        return Path(url.split("///", 1)[1] + "-journal").exists()
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            seen = conn.execute(
                sa.text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND pid <> pg_backend_pid() AND query ILIKE 'INSERT INTO status_change%'"
                )
            ).scalar()
    finally:
        engine.dispose()
    return bool(seen)


def test_a_process_killed_half_way_leaves_nothing(app, db, world, tmp_path):
    """Run the real CLI against the test database, kill it with SIGKILL while it is writing, and find nothing stored."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    count = 12000  # three chunks of 5,000: killed after the first is written
    path = tmp_path / "big.csv"
    path.write_bytes(
        csv_bytes(AREA_HEADERS, [area_row(f"VN-25-07999-{i:04d}", world.org_a.tax_code) for i in range(1, count + 1)])
    )
    before = areas(db)
    db.session.commit()
    db.session.remove()
    env = {**os.environ, "DATABASE_URL": url, "INSTANCE_PATH": str(tmp_path / "instance"), "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "import", "areas", str(path)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 120
    try:
        while not _writing(url):
            if process.poll() is not None:
                pytest.fail("the import ended before it was killed: " + process.stderr.read().decode()[-2000:])
            if time.monotonic() > deadline:
                pytest.fail("the import never started writing")
            time.sleep(0.02)
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    assert areas(db) == before
    assert db.session.scalar(sa.select(sa.func.count()).select_from(StatusChange)) == 0
