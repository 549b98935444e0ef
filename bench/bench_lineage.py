"""Lineage and recall at province scale.

    .venv/bin/python bench/bench_lineage.py --database-url postgresql://postgres@127.0.0.1:5432/bench [--lots 1000000]

Seeds N lots into a fresh database. Most are plain harvests; among them are 2,000 chains ten steps deep (a
harvest split, split again, ... ten times) and one lot whose splits and shipments reach 1,000 lots downstream.
Then times, interleaved and repeated:
- lineage ten steps up from the last lot of a chain, and ten steps down from its first (trace.lots.lineage);
- opening a recall on the lot that reaches 1,000 lots, which is closed again between runs.
Prints medians and p95 in milliseconds. The goals (issue 7): lineage under 50 ms, the recall under 2 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import secrets
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import click  # noqa: E402
import sqlalchemy as sa  # noqa: E402

from registry.core.app import create_app  # noqa: E402
from registry.core.config import TestConfig  # noqa: E402
from registry.core.extensions import db  # noqa: E402
from registry.units.services import load_units  # noqa: E402
from tests.factories import AreaFactory, OrganizationFactory, ProductFactory, UserFactory  # noqa: E402
from trace.lots import lineage  # noqa: E402
from trace.lots.events import LotLink, TraceEvent  # noqa: E402
from trace.lots.models import Lot  # noqa: E402

CHAINS, CHAIN_DEPTH, FAN = 2000, 10, 1000
BATCH = 10_000


def _lot_rows(start: int, count: int, product, area, origin: str = "harvest") -> list[dict]:
    today = dt.date.today()
    return [
        {
            "id": start + i,
            "code": f"L{start + i:08d}",
            "code_key": f"L{start + i:08d}",
            "product_id": product.id,
            "growing_area_id": area.id,
            "organization_id": product.organization_id,
            "harvest_date": today,
            "quantity": 1000,
            "unit": "KGM",
            "public_token": secrets.token_urlsafe(12),
            "origin": origin,
            "created_at": dt.datetime.now(dt.UTC),
        }  # fmt: skip
        for i in range(count)
    ]


def _link_rows(pairs: list[tuple[int, int]], first_event: int) -> tuple[list[dict], list[dict]]:
    now = dt.datetime.now(dt.UTC)
    events, links = [], []
    for n, (parent, child) in enumerate(pairs):
        events.append(
            {
                "id": first_event + n,
                "kind": "split",
                "epcis_id": f"urn:uuid:{uuid.uuid4()}",
                "epcis_type": "TransformationEvent",
                "biz_step": "repackaging",
                "event_time": now,
                "time_zone_offset": "+07:00",
                "recorded_at": now,
            }  # fmt: skip
        )
        links.append({"parent_lot_id": parent, "child_lot_id": child, "event_id": first_event + n, "quantity": 1})
    return events, links


def _insert(table, rows: list[dict]) -> None:
    for i in range(0, len(rows), BATCH):
        db.session.execute(sa.insert(table), rows[i : i + BATCH])
    db.session.commit()


def seed(n_lots: int) -> tuple[list[tuple[int, int]], int]:
    """Returns (first, last) lot ids of each chain and the id of the lot with FAN lots downstream."""
    load_units(db.session)
    org = OrganizationFactory()
    area = AreaFactory(organization=org)
    product = ProductFactory(organization=org)
    UserFactory(organization=org)
    db.session.commit()
    chained = CHAINS * (CHAIN_DEPTH + 1)
    plain = max(0, n_lots - chained - FAN - 1)
    next_id = 1
    with click.progressbar(range(0, plain, BATCH), label="Seeding harvest lots") as bar:
        for start in bar:
            db.session.execute(sa.insert(Lot), _lot_rows(next_id + start, min(BATCH, plain - start), product, area))
            db.session.commit()
    next_id += plain
    chains, pairs = [], []
    _insert(Lot.__table__, _lot_rows(next_id, chained, product, area, "split"))
    for c in range(CHAINS):
        ids = list(range(next_id + c * (CHAIN_DEPTH + 1), next_id + (c + 1) * (CHAIN_DEPTH + 1)))
        chains.append((ids[0], ids[-1]))
        pairs += list(zip(ids, ids[1:], strict=False))
    next_id += chained
    # One lot reaching FAN lots: each lot split in three, about seven levels deep.
    root = next_id
    _insert(Lot.__table__, _lot_rows(root, FAN + 1, product, area, "split"))
    for child in range(root + 1, root + FAN + 1):
        pairs.append((root + (child - root - 1) // 3, child))
    events, links = _link_rows(pairs, 1)
    _insert(TraceEvent.__table__, events)
    _insert(LotLink.__table__, links)
    if db.engine.dialect.name == "postgresql":
        for table in ("lot", "lot_link", "trace_event", "recalled_lot", "recall"):
            db.session.execute(sa.text(f"ANALYZE {table}"))
        db.session.execute(sa.text("SELECT setval('lot_id_seq', (SELECT MAX(id) FROM lot))"))
        db.session.execute(sa.text("SELECT setval('trace_event_id_seq', (SELECT MAX(id) FROM trace_event))"))
        db.session.commit()
    return chains, root


def time_ms(fn) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lots", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--recalls", type=int, default=10)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    app = create_app(TestConfig(url))
    samples: dict[str, list[float]] = {"lineage up 10": [], "lineage down 10": [], "recall 1000 lots": []}
    with app.app_context():
        db.drop_all()
        db.create_all()
        chains, root = seed(args.lots)
        rng = random.Random(7)
        for _ in range(args.runs):
            first, last = rng.choice(chains)
            up = time_ms(lambda last=last: lineage.edges(db.session, last, lineage.Direction.UP, 10))
            down = time_ms(lambda first=first: lineage.edges(db.session, first, lineage.Direction.DOWN, 10))
            samples["lineage up 10"].append(up)
            samples["lineage down 10"].append(down)
        check = lineage.edges(db.session, chains[0][1], lineage.Direction.UP, 10)
        assert len(check) == CHAIN_DEPTH, len(check)
        reached = lineage.reached(db.session, root, lineage.Direction.DOWN)
        assert len(reached) == FAN, len(reached)
        try:
            from trace.recall import services as recalls
        except ImportError:
            recalls = None
        if recalls is not None and hasattr(recalls, "open_recall"):
            from registry.accounts.models import User

            actor = db.session.scalars(sa.select(User)).first()
            actor_role = actor.role
            for _ in range(args.recalls):

                def opened():
                    row = recalls.open_recall(db.session, actor=actor, lot_id=root, reason="bench")
                    db.session.commit()
                    return row

                start = time.perf_counter()
                row = opened()
                samples["recall 1000 lots"].append((time.perf_counter() - start) * 1000)
                recalls.close_recall(db.session, actor=actor, recall_id=row.id, note="bench")
                db.session.commit()
            print(f"recall opened by a {actor_role.value} of the lot's organization")
        db.session.remove()
    print(f"\n{platform.node()} {platform.machine()} cpus={os.cpu_count()} python={platform.python_version()}")
    print(f"backend={url.split(':', 1)[0]} lots={args.lots} runs={args.runs}")
    print(f"{'operation':<20} {'median ms':>10} {'p95 ms':>8}")
    for name, values in samples.items():
        if not values:
            print(f"{name:<20} {'not run':>10}")
            continue
        values.sort()
        p95 = values[max(0, int(len(values) * 0.95) - 1)]
        print(f"{name:<20} {statistics.median(values):>10.2f} {p95:>8.2f}")
    if url.startswith("postgres"):
        with app.app_context():
            db.drop_all()


if __name__ == "__main__":
    main()
