"""Lots created at once through real gunicorn workers on PostgreSQL: distinct codes, the exact count, one winner.

Two sync workers of gunicorn (the production settings in gunicorn.conf.py) serve 64 requests released together
by a barrier. SQLite serialises every writer and has no second process here, so the test needs PostgreSQL; with
REQUIRE_POSTGRES=1 (CI) a missing server is a failure, never a skip.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import sqlalchemy as sa

from registry.core.db import today_in_vietnam
from trace.lots.events import TraceEvent
from trace.lots.models import Lot
from trace.lots.tally import LotMonth

ROOT = Path(__file__).resolve().parents[3]
PORT = 5861  # this suite's port for a served app: 5860-5869
N = 64


@pytest.fixture
def postgres(app):
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        return
    reason = "concurrent lot creation needs PostgreSQL: set TEST_DATABASE_URL=postgresql://..."
    if os.environ.get("REQUIRE_POSTGRES") == "1":
        pytest.fail(f"REQUIRE_POSTGRES=1 but {reason}")
    pytest.skip(reason)


@pytest.fixture
def served(app, postgres, tmp_path):
    """gunicorn with two workers on the test database; stopped (and waited for) before `db` empties the tables."""
    env = dict(os.environ, DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"], INSTANCE_PATH=str(tmp_path),
               PUBLIC_BASE_URL=f"http://127.0.0.1:{PORT}", WORKERS="2")  # fmt: skip
    command = [str(Path(sys.executable).with_name("gunicorn")), "--config", "gunicorn.conf.py", "--workers", "2",
               "--bind", f"127.0.0.1:{PORT}", "wsgi:app"]  # fmt: skip
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)  # noqa: S603
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=2):  # noqa: S310
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    server.kill()
                    pytest.fail("gunicorn did not start:\n" + server.communicate(timeout=10)[0].decode()[-2000:])
                time.sleep(0.2)
        yield f"http://127.0.0.1:{PORT}"
    finally:
        if server.poll() is None:
            server.send_signal(signal.SIGTERM)
        try:
            output = server.communicate(timeout=30)[0].decode()
        except subprocess.TimeoutExpired:
            server.kill()
            output = server.communicate(timeout=10)[0].decode()
        assert "Traceback" not in output, output[-3000:]


def post_all(url: str, token: str, bodies: list[dict]) -> list[tuple[int, dict]]:
    """POST every body at once, one thread each, released together; (status, JSON) in the order given."""
    barrier = threading.Barrier(len(bodies))
    results: list[tuple[int, dict] | BaseException | None] = [None] * len(bodies)

    def run(i: int) -> None:
        request = urllib.request.Request(  # noqa: S310  (only http://127.0.0.1)
            url,
            data=json.dumps(bodies[i]).encode(),
            method="POST",
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json", "Accept-Language": "en"},
        )
        try:
            barrier.wait(timeout=30)
            try:
                with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
                    results[i] = (response.status, json.loads(response.read()))
            except urllib.error.HTTPError as error:
                body = error.read()
                try:
                    results[i] = (error.code, json.loads(body))
                except ValueError:
                    results[i] = (error.code, {"raw": body.decode(errors="replace")[:500]})
        except BaseException as exc:  # noqa: BLE001  (reported below)
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(bodies))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a request hung"
    failures = [r for r in results if not isinstance(r, tuple)]
    assert not failures, [repr(r) for r in failures]
    return results  # type: ignore[return-value]


def body(world, code: str) -> dict:
    harvest = today_in_vietnam() - dt.timedelta(days=2)
    return {"product_id": world.product_a.id, "growing_area_id": world.area_a.id, "code": code,
            "harvest_date": harvest.isoformat(), "quantity": "800", "unit": "KGM"}  # fmt: skip


def count(db, model, *where) -> int:
    db.session.rollback()  # read what the workers committed, not a snapshot
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def test_64_lots_at_once_across_two_workers_get_distinct_codes_and_the_exact_count(db, make_api, world, served):
    token = make_api(world.member_a).token
    before = count(db, Lot)
    codes = [f"CC-{i:03d}" for i in range(N)]
    results = post_all(f"{served}/api/v1/lots", token, [body(world, code) for code in codes])

    assert [status for status, _ in results] == [201] * N, [r for r in results if r[0] != 201][:3]
    assert sorted(payload["code"] for _, payload in results) == codes
    assert len({payload["id"] for _, payload in results}) == N
    assert len({payload["label_uri"] for _, payload in results}) == N
    assert count(db, Lot) == before + N
    stored = db.session.scalars(sa.select(Lot.code).where(Lot.organization_id == world.org_a.id)).all()
    assert sorted(stored) == codes
    assert len(set(db.session.scalars(sa.select(Lot.public_token)))) == N
    assert count(db, TraceEvent) == N  # one harvest event each
    # The database's own tally, kept by triggers under 64 concurrent inserts, is exact too.
    assert db.session.scalar(sa.select(sa.func.sum(LotMonth.lots))) == N


def test_64_lots_with_the_same_code_at_once_give_one_lot_and_63_clean_refusals(db, make_api, world, served):
    token = make_api(world.member_a).token
    results = post_all(f"{served}/api/v1/lots", token, [body(world, "CC-SAME-1")] * N)

    statuses = sorted(status for status, _ in results)
    assert statuses.count(201) == 1, statuses
    refused = [(status, payload) for status, payload in results if status != 201]
    assert len(refused) == N - 1
    for status, payload in refused:
        assert status in (409, 422), (status, payload)
        assert payload["code"] == status and payload["errors"] == {
            "code": ["Lot CC-SAME-1 already exists for this product."]
        }, payload
    assert count(db, Lot, Lot.code_key == "CC-SAME-1") == 1
    assert count(db, Lot) == 1
    assert count(db, TraceEvent) == 1  # nothing half-saved by a refused request
    assert db.session.scalar(sa.select(sa.func.sum(LotMonth.lots))) == 1


def test_a_code_taken_between_the_check_and_the_insert_gets_the_checks_own_error(app, db, world, postgres):
    """The race the 64 requests above may or may not hit, made certain: B checks while A's lot is uncommitted."""
    from registry.accounts.models import User
    from registry.core.errors import ValidationError
    from registry.core.extensions import db as _db
    from trace.lots import services

    harvest = today_in_vietnam() - dt.timedelta(days=2)
    values = {"product_id": world.product_a.id, "growing_area_id": world.area_a.id, "code": "CC-RACE-1",
              "harvest_date": harvest, "quantity": "800", "unit": "KGM"}  # fmt: skip
    member_id = world.member_a.id
    services.create_lot(db.session, actor=world.member_a, **values)  # flushed, not committed
    outcome: list[BaseException | None] = []

    def second() -> None:
        with app.app_context():
            try:
                services.create_lot(_db.session, actor=_db.session.get(User, member_id), **values)
                _db.session.commit()
                outcome.append(None)
            except BaseException as exc:  # noqa: BLE001  (checked below)
                outcome.append(exc)
            finally:
                _db.session.rollback()
                _db.session.remove()

    thread = threading.Thread(target=second)
    thread.start()
    waiting = sa.text(
        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"
    )
    with _db.engine.connect() as watcher:
        deadline = time.monotonic() + 20
        while not watcher.execute(waiting).scalar() and thread.is_alive():
            assert time.monotonic() < deadline, "the second insert never waited for the first"
            time.sleep(0.05)
    db.session.commit()
    thread.join(timeout=30)
    assert len(outcome) == 1 and isinstance(outcome[0], ValidationError), outcome
    assert [str(m) for m in outcome[0].errors["code"]] == ["Mã lô CC-RACE-1 đã tồn tại đối với sản phẩm này."]
    assert list(outcome[0].errors) == ["code"]
    assert count(db, Lot) == 1
