"""`upgrade head` on an empty database builds exactly the models' schema, on SQLite and on PostgreSQL."""

import os
import uuid

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from registry.core.app import create_app
from registry.core.config import TestConfig, normalise_database_url
from registry.core.extensions import db


@pytest.fixture
def empty_database_url(tmp_path):
    url = os.environ.get("TEST_DATABASE_URL")
    if not (url or "").startswith("postgres"):
        yield f"sqlite:///{tmp_path / 'migrations.db'}"
        return
    name = f"migtest_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(normalise_database_url(url), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin.url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_upgrade_head_matches_models_and_downgrades_cleanly(empty_database_url):
    app = create_app(TestConfig(empty_database_url))
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True, "compare_server_default": True})
            diff = compare_metadata(context, db.metadata)
        assert diff == [], diff
        downgrade(revision="base")
        with db.engine.connect() as conn:
            assert set(sa.inspect(conn).get_table_names()) <= {"alembic_version"}
        db.engine.dispose()


def test_upgrade_keeps_existing_history_and_lot_codes(empty_database_url):
    """A registry already running 0001 keeps its status history and gets case-blind lot keys."""
    app = create_app(TestConfig(empty_database_url))
    with app.app_context():
        upgrade(revision="0001_initial")
        from registry.units.services import load_units

        load_units(db.session)
        db.session.commit()
        rows = [
            "INSERT INTO organization (id, name, kind, tax_code, commune_code, created_at) "
            "VALUES (1, 'HTX A', 'cooperative', '2600000001', '07999', '2025-01-01 00:00:00+00')",
            "INSERT INTO growing_area (id, code, name, kind, status, crop, area_ha, commune_code, organization_id, "
            "created_at, status_changed_at) VALUES (1, 'VN-25-07999-001', 'V', 'domestic', 'active', 'pomelo', 10, "
            "'07999', 1, '2025-01-01 00:00:00+00', '2025-01-01 00:00:00+00')",
            "INSERT INTO area_status_change (id, area_id, from_status, to_status, reason, at) VALUES "
            "(1, 1, NULL, 'pending', NULL, '2025-01-01 00:00:00+00'), (2, 1, 'pending', 'active', 'ok', '2025-01-02 00:00:00+00')",
            "INSERT INTO product (id, name, crop, organization_id, created_at) VALUES (1, 'P', 'pomelo', 1, '2025-01-01 00:00:00+00')",
            "INSERT INTO lot (id, code, product_id, growing_area_id, organization_id, harvest_date, quantity, unit, "
            "public_token, created_at) VALUES (1, 'dh-1', 1, 1, 1, '2025-01-01', 5, 'KGM', 'tok1', '2025-01-01 00:00:00+00')",
        ]
        with db.engine.begin() as conn:
            for sql in rows:
                conn.execute(sa.text(sql))
        upgrade()
        with db.engine.begin() as conn:
            history = conn.execute(
                sa.text("SELECT growing_area_id, from_status, to_status, reason FROM status_change ORDER BY id")
            ).fetchall()
            assert [tuple(r) for r in history] == [(1, None, "pending", None), (1, "pending", "active", "ok")]
            assert conn.execute(sa.text("SELECT code_key FROM lot")).scalar_one() == "DH-1"
            # 0005 gives every existing lot its harvest event, as a new lot gets one.
            harvest = conn.execute(
                sa.text(
                    "SELECT e.kind, e.epcis_type, e.biz_step, e.organization_id, i.role, i.lot_id, i.epc_class, i.uom "
                    "FROM trace_event e JOIN trace_event_item i ON i.event_id = e.id"
                )
            ).one()
            assert tuple(harvest)[:6] == ("harvest", "ObjectEvent", "commissioning", 1, "object", 1)
            assert harvest.epc_class.endswith("/l/tok1") and harvest.uom == "KGM"
            assert conn.execute(sa.text("SELECT origin FROM lot")).scalar_one() == "harvest"
            # New rows get ids after the moved ones.
            conn.execute(
                sa.text(
                    "INSERT INTO status_change (growing_area_id, to_status, at) VALUES (1, 'suspended', '2025-02-01 00:00:00+00')"
                )
            )
            assert conn.execute(sa.text("SELECT MAX(id) FROM status_change")).scalar_one() == 3
        downgrade(revision="0001_initial")
        with db.engine.connect() as conn:
            assert conn.execute(sa.text("SELECT COUNT(*) FROM area_status_change")).scalar_one() == 3
        db.engine.dispose()


def test_0008_rolls_the_scans_so_far_up_by_month(empty_database_url):
    """Scans written before 0008 are in scan_day only; the upgrade fills scan_month from them."""
    app = create_app(TestConfig(empty_database_url))
    with app.app_context():
        upgrade(revision="0007_serials")
        with db.engine.begin() as conn:
            conn.execute(
                sa.text(
                    "INSERT INTO scan_day (day, product_id, lot_id, organization_id, province_code, scans) VALUES "
                    "('2026-05-01', 1, 1, 7, '25', 3), ('2026-05-31', 1, 2, 7, '25', 4), "
                    "('2026-06-01', 1, 1, 7, '25', 1), ('2026-05-02', 2, 0, 8, NULL, 5)"
                )
            )
        from registry.units.services import load_units

        load_units(db.session)
        db.session.commit()
        with db.engine.begin() as conn:
            conn.execute(
                sa.text(
                    "INSERT INTO organization (id, name, kind, tax_code, commune_code, created_at) "
                    "VALUES (1, 'HTX A', 'cooperative', '2600000001', '07999', '2025-01-01 00:00:00+00')"
                )
            )
            conn.execute(sa.text(
                "INSERT INTO growing_area (id, code, name, kind, status, crop, area_ha, commune_code, organization_id, "
                "created_at, status_changed_at, markets) VALUES (1, 'VN-25-07999-001', 'V', 'domestic', 'active', "
                "'pomelo', 10, '07999', 1, '2025-01-01 00:00:00+00', '2025-01-01 00:00:00+00', '[]')"))  # fmt: skip
        upgrade(revision="0008_indicators")
        with db.engine.connect() as conn:
            history = conn.execute(sa.text("SELECT growing_area_id, from_status, to_status FROM status_change")).all()
            assert [tuple(r) for r in history] == [(1, None, "active")]
            rows = conn.execute(
                sa.text(
                    "SELECT month, organization_id, province_code, scans FROM scan_month ORDER BY month, organization_id"
                )
            ).fetchall()
        months = [(str(m)[:10], o, p, s) for m, o, p, s in rows]
        assert months == [("2026-05-01", 7, "25", 7), ("2026-05-01", 8, "", 5), ("2026-06-01", 7, "25", 1)]
        downgrade(revision="0007_serials")
        db.engine.dispose()
