"""The benchmark database: created, seeded with N lots as a province has them, and sampled for wrk."""

from __future__ import annotations

import datetime as dt
import random
import secrets

import click
import sqlalchemy as sa
from bench_public_page import seed_ocop

from registry.core.config import normalise_database_url
from registry.core.extensions import db
from registry.units.services import load_units
from scan_load import AREAS_PER_ORG, BATCH, ORGS
from tests.factories import AreaFactory, OrganizationFactory, ProductFactory, gtin_for
from trace.lots.identifiers import digital_link_path
from trace.lots.models import Lot


def _admin_engine(url: str) -> tuple[sa.Engine, str]:
    parsed = sa.engine.make_url(normalise_database_url(url))
    if parsed.get_backend_name() != "postgresql" or not parsed.database:
        raise SystemExit(f"--database-url must name a PostgreSQL database, not {url}")
    admin = sa.create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    return admin, parsed.database


def recreate_database(url: str) -> None:
    admin, name = _admin_engine(url)
    if "bench" not in name:
        raise SystemExit(f"refusing to drop and create database {name!r}: its name must contain 'bench'")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()


def database_exists(url: str) -> bool:
    admin, name = _admin_engine(url)
    with admin.connect() as conn:
        found = conn.scalar(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
    admin.dispose()
    return bool(found)


def _square(n: int) -> dict:
    """A small square map near Đoan Hùng, a little apart for each area."""
    x, y, d = 105.1 + (n % 10) * 0.01, 21.6 + (n // 10) * 0.01, 0.003
    return {"type": "Polygon", "coordinates": [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]]}


def seed(n_lots: int) -> None:
    load_units(db.session)
    orgs = [OrganizationFactory() for _ in range(ORGS)]
    areas = [
        AreaFactory(organization=o, geometry=_square(i * AREAS_PER_ORG + j))
        for i, o in enumerate(orgs)
        for j in range(AREAS_PER_ORG)
    ]
    products = [
        ProductFactory(
            organization=o,
            gtin=gtin_for(i),
            brand="Bưởi Đoan Hùng",
            shelf_life_days=60,
            description="Bưởi ngọt, tép mọng, vỏ mỏng.",
        )
        for i, o in enumerate(orgs)
    ]
    db.session.commit()
    seed_ocop(products)
    by_org = {o.id: [a.id for a in areas if a.organization_id == o.id] for o in orgs}
    rng = random.Random(7)
    today = dt.date.today()
    with click.progressbar(range(0, n_lots, BATCH), label="Seeding lots") as bar:
        for start in bar:
            rows = []
            for i in range(start, min(start + BATCH, n_lots)):
                product = products[i % len(products)]
                code = f"L{i:08d}"
                rows.append(
                    {
                        "code": code, "code_key": code.upper(), "product_id": product.id,
                        "growing_area_id": rng.choice(by_org[product.organization_id]),
                        "organization_id": product.organization_id, "harvest_date": today - dt.timedelta(days=i % 365),
                        "quantity": 100, "unit": "KGM", "public_token": secrets.token_urlsafe(12),
                        "created_at": dt.datetime.now(dt.UTC),
                    }
                )  # fmt: skip
            db.session.execute(sa.insert(Lot), rows)
            db.session.commit()
    click.echo("Recording each lot's harvest event...")
    # As trace.lots.record.harvest_event writes it: the start of the harvest day in Viet Nam, where it was grown,
    # with the lot as the event's object under its canonical Digital Link.
    for statement in (
        "INSERT INTO trace_event (id, kind, epcis_id, epcis_type, biz_step, disposition, event_time, "
        "time_zone_offset, recorded_at, organization_id, growing_area_id) "
        "SELECT id, 'harvest', 'urn:uuid:' || gen_random_uuid(), 'ObjectEvent', 'commissioning', 'active', "
        "harvest_date::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh', '+07:00', now(), organization_id, "
        "growing_area_id FROM lot",
        "INSERT INTO trace_event_item (event_id, role, lot_id, epc_class, quantity, uom) "
        "SELECT l.id, 'object', l.id, 'https://id.gs1.org/01/' || p.gtin || '/10/' || l.code, l.quantity, l.unit "
        "FROM lot l JOIN product p ON p.id = l.product_id",
        "SELECT setval('trace_event_id_seq', (SELECT max(id) FROM trace_event))",
    ):
        db.session.execute(sa.text(statement))
        db.session.commit()
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(sa.text("VACUUM ANALYZE"))


def sample_paths(n: int) -> list[str]:
    db.session.execute(sa.text("SELECT setseed(0.42)"))
    rows = db.session.execute(
        sa.select(sa.text("p.gtin"), sa.text("l.code"))
        .select_from(sa.text("lot l JOIN product p ON p.id = l.product_id"))
        .where(sa.text("p.gtin IS NOT NULL AND l.voided_at IS NULL"))
        .order_by(sa.func.random())
        .limit(n)
    ).all()
    return [digital_link_path(gtin, code) for gtin, code in rows]


def count(table: str) -> int | None:
    try:
        with db.engine.connect() as conn:
            return conn.scalar(sa.text(f"SELECT count(*) FROM {table}"))  # noqa: S608 -- a constant name
    except sa.exc.DBAPIError:
        return None


# -- the server ----------------------------------------------------------------------------------------------
