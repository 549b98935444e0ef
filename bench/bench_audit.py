"""What the audit trail costs a write: lot creation through the API, with the trail and without it.

    .venv/bin/python bench/bench_audit.py [--database-url postgresql://postgres@127.0.0.1:5432/DB] [--lots 1000]

Builds a fresh schema (drops every table of the app in that database first: never point it at data you keep),
then creates lots with POST /api/v1/lots through the in-process test client, alternating one request with the
trail (the session events of registry.audit.chain installed) and one without (removed), so both see the same
database and the same noise. Prints the median and p95 of each, in milliseconds, and their ratio.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa  # noqa: E402

from registry.accounts.services import create_token  # noqa: E402
from registry.audit import chain  # noqa: E402
from registry.audit.models import AuditEntry  # noqa: E402
from registry.core.app import create_app  # noqa: E402
from registry.core.config import TestConfig  # noqa: E402
from registry.core.db import today_in_vietnam  # noqa: E402
from registry.core.extensions import db  # noqa: E402
from registry.units.services import load_units  # noqa: E402
from tests.factories import build_world  # noqa: E402


def _p95(values: list[float]) -> float:
    return sorted(values)[int(len(values) * 0.95) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--lots", type=int, default=1000, help="lots created in all (half with the trail)")
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp()}/bench_audit.db"
    os.environ.setdefault("INSTANCE_PATH", tempfile.mkdtemp())
    app = create_app(TestConfig(url))
    with app.app_context():
        db.drop_all()
        db.create_all()
        load_units(db.session)
        world = build_world(db.session)
        db.session.commit()
        token = create_token(db.session, email=world.member_a.email)
        db.session.commit()
        body = {"product_id": world.product_a.id, "growing_area_id": world.area_a.id, "quantity": "100",
                "unit": "KGM", "harvest_date": (today_in_vietnam() - dt.timedelta(days=1)).isoformat()}  # fmt: skip
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    timings: dict[bool, list[float]] = {True: [], False: []}
    for n in range(args.lots):
        trail = n % 2 == 0
        (chain.install if trail else chain.uninstall)()
        started = time.perf_counter()
        response = client.post("/api/v1/lots", json={**body, "code": f"B-{n:06d}"}, headers=headers)
        timings[trail].append((time.perf_counter() - started) * 1000)
        assert response.status_code == 201, response.get_json()
    chain.install()
    with app.app_context():
        entries = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry))
        dialect = db.engine.dialect.name
        db.session.remove()
        db.engine.dispose()
    on, off = timings[True], timings[False]
    print(f"# {dt.date.today()} — {dialect}, {args.lots} lots, {entries} audit entries at the end")
    print(
        f"- Machine: `{platform.node()}`, {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}."
    )
    print(f"- Command: `.venv/bin/python bench/bench_audit.py {' '.join(sys.argv[1:])}`")
    print()
    print("| POST /api/v1/lots | median ms | p95 ms |")
    print("|---|---:|---:|")
    print(f"| without the trail | {statistics.median(off):.2f} | {_p95(off):.2f} |")
    print(f"| with the trail | {statistics.median(on):.2f} | {_p95(on):.2f} |")
    print(f"| ratio | {statistics.median(on) / statistics.median(off):.2f} | {_p95(on) / _p95(off):.2f} |")


if __name__ == "__main__":
    main()
