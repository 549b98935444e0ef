"""Public page and label latency at province scale.

    .venv/bin/python bench/bench_public_page.py [--lots 200000] [--database-url URL] [--requests 2000]

Seeds N lots into a fresh database (SQLite file by default), then times, in one run and interleaved:
the Digital Link page, the short-link page, and PNG/SVG label rendering, through the WSGI app in-process
(no network). Prints medians and p95 in milliseconds.
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
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import click  # noqa: E402
import sqlalchemy as sa  # noqa: E402

from registry.core.app import create_app  # noqa: E402
from registry.core.config import TestConfig  # noqa: E402
from registry.core.extensions import db  # noqa: E402
from registry.ocop.models import OcopCertificate, OcopEvaluation, OcopLevel  # noqa: E402
from registry.units.services import load_units  # noqa: E402
from tests.factories import AreaFactory, OrganizationFactory, ProductFactory, gtin_for  # noqa: E402
from trace.lots.models import Lot  # noqa: E402


def seed_ocop(products) -> None:
    """Two products in three carry OCOP history as a province has it: an expired certificate, a revoked one and
    the current one; the rest were never certified. Rows go straight in, as a data load would put them."""
    today = dt.date.today()
    for i, product in enumerate(products):
        if i % 3 == 2:
            continue
        history = [
            (today - dt.timedelta(days=1500), None),  # expired a year and more ago
            (today - dt.timedelta(days=400), today - dt.timedelta(days=100)),  # revoked
            (today - dt.timedelta(days=90), None),  # current
        ]
        for n, (issued, revoked) in enumerate(history):
            evaluation = OcopEvaluation(
                product_id=product.id, group="1", subgroup="1a", score_a=30, score_b=20, score_c=25, total=75,
                stars=4, evaluated_on=issued - dt.timedelta(days=20),
            )  # fmt: skip
            db.session.add(evaluation)
            db.session.flush()
            db.session.add(
                OcopCertificate(
                    product_id=product.id, evaluation_id=evaluation.id, stars=4, decision_number=f"{n}/QĐ-UBND",
                    level=OcopLevel.PROVINCE, issued_on=issued, expires_on=issued + dt.timedelta(days=1095),
                    revoked_on=revoked, revoke_reason="bench" if revoked else None,
                )
            )  # fmt: skip
    db.session.commit()


def seed(n_lots: int) -> tuple[list[tuple[str, str]], list[str]]:
    load_units(db.session)
    orgs = [OrganizationFactory() for _ in range(20)]
    areas = [AreaFactory(organization=o) for o in orgs for _ in range(5)]
    products = [ProductFactory(organization=o, gtin=gtin_for(i)) for i, o in enumerate(orgs)]
    products += [ProductFactory(organization=o, gtin=None) for o in orgs]
    db.session.commit()
    seed_ocop(products)
    today = dt.date.today()
    by_org = {o.id: [a.id for a in areas if a.organization_id == o.id] for o in orgs}
    batch, dl_keys, tokens = [], [], []
    with click.progressbar(range(n_lots), label="Seeding lots") as bar:
        for i in bar:
            product = products[i % len(products)]
            token = secrets.token_urlsafe(12)
            code = f"L{i:08d}"
            batch.append(
                {
                    "code": code, "code_key": code.upper(), "product_id": product.id, "growing_area_id": random.choice(by_org[product.organization_id]),
                    "organization_id": product.organization_id, "harvest_date": today - dt.timedelta(days=i % 365),
                    "quantity": 100, "unit": "KGM", "public_token": token,
                    "created_at": dt.datetime.now(dt.UTC),
                }
            )  # fmt: skip
            if product.gtin:
                dl_keys.append((product.gtin, code))
            else:
                tokens.append(token)
            if len(batch) == 10_000:
                db.session.execute(sa.insert(Lot), batch)
                db.session.commit()
                batch.clear()
        if batch:
            db.session.execute(sa.insert(Lot), batch)
            db.session.commit()
    return dl_keys, tokens


def time_ms(fn) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lots", type=int, default=200_000)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    app = create_app(TestConfig(url))
    with app.app_context():
        db.drop_all()
        db.create_all()
        dl_keys, tokens = seed(args.lots)
    client = app.test_client()
    from qr.labels import render_png, render_svg

    samples: dict[str, list[float]] = {"digital link page": [], "short link page": [], "label png": [], "label svg": []}
    rng = random.Random(7)
    for _ in range(args.requests):
        gtin, code = rng.choice(dl_keys)
        token = rng.choice(tokens)
        uri = f"https://registry.example/01/{gtin}/10/{code}"

        def dl(gtin=gtin, code=code):
            assert client.get(f"/01/{gtin}/10/{code}").status_code == 200

        def short(token=token):
            assert client.get(f"/l/{token}").status_code == 200

        samples["digital link page"].append(time_ms(dl))
        samples["short link page"].append(time_ms(short))
        samples["label png"].append(time_ms(lambda uri=uri: render_png(uri)))
        samples["label svg"].append(time_ms(lambda uri=uri: render_svg(uri)))
    backend = url.split(":", 1)[0]
    print(
        f"\n{platform.node()} {platform.processor() or platform.machine()} cpus={os.cpu_count()} python={platform.python_version()}"
    )
    print(f"backend={backend} lots={args.lots} requests={args.requests}")
    print(f"{'operation':<20} {'median ms':>10} {'p95 ms':>8}")
    for name, values in samples.items():
        values.sort()
        p95 = values[int(len(values) * 0.95) - 1]
        print(f"{name:<20} {statistics.median(values):>10.2f} {p95:>8.2f}")
    if url.startswith("postgres"):
        with app.app_context():
            db.drop_all()


if __name__ == "__main__":
    main()
