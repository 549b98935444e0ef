"""Concurrent writers on PostgreSQL extend one chain: no fork, no gap, every change recorded."""

from __future__ import annotations

import threading

import pytest

from tests.registry.audit.conftest import entries
from tests.trace.conftest import lot_body

THREADS, EACH = 9, 8


def test_concurrent_commits_do_not_fork_the_chain(app, make_api, world, db, verify):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite lets one writer in at a time; the advisory lock is PostgreSQL's")
    apis = [make_api(world.member_a) for _ in range(THREADS)]
    auditor = make_api(world.auditor)
    bodies = [[lot_body(world, code=f"DH-T{n}-{i:03d}") for i in range(EACH)] for n in range(THREADS)]
    status_url = f"/api/v1/areas/{world.area_b.id}/status"
    statuses: list[int] = []
    barrier = threading.Barrier(THREADS + 1)

    def create(n: int) -> None:
        barrier.wait()
        for i in range(EACH):
            statuses.append(apis[n].post("/api/v1/lots", json=bodies[n][i]).status_code)

    def edit() -> None:
        barrier.wait()
        for i in range(EACH):
            body = {"status": "suspended" if i % 2 == 0 else "active", "reason": f"Lần {i}"}
            statuses.append(auditor.post(status_url, json=body).status_code)

    threads = [threading.Thread(target=create, args=(n,)) for n in range(THREADS - 1)] + [threading.Thread(target=edit)]
    for t in threads:
        t.start()
    barrier.wait()
    for t in threads:
        t.join()
    assert statuses.count(201) == (THREADS - 1) * EACH and statuses.count(200) == EACH, statuses
    rows = entries(db)
    assert [e.seq for e in rows] == list(range(1, len(rows) + 1))
    assert all(b.prev_hash == a.hash for a, b in zip(rows, rows[1:], strict=False))
    assert len([e for e in rows if e.record_type == "lot" and e.action == "create"]) == (THREADS - 1) * EACH
    assert len(entries(db, "growing_area", world.area_b.id, action="update")) == EACH
    result = verify()
    assert result.exit_code == 0, result.output
