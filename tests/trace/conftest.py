"""Helpers for lot tests: packing houses, lot bodies and row counts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
import sqlalchemy as sa

from registry.core.db import today_in_vietnam
from registry.lifecycle.models import CodeStatus
from registry.packing.models import PackingHouse
from trace.lots.models import Lot


@dataclass
class Houses:
    active_a: PackingHouse
    suspended_a: PackingHouse
    active_b: PackingHouse


def make_house(session, organization, *, code, name, status=CodeStatus.ACTIVE, commune_code="07999"):
    house = PackingHouse(
        organization_id=organization.id, commune_code=commune_code, code=code, name=name, status=status
    )
    session.add(house)
    session.flush()
    return house


@pytest.fixture
def houses(db, world):
    h = Houses(
        active_a=make_house(db.session, world.org_a, code="VN-25-07999-DG001", name="Nhà đóng gói Chí Đám"),
        suspended_a=make_house(
            db.session, world.org_a, code="VN-25-07999-DG002", name="Nhà đóng gói cũ", status=CodeStatus.SUSPENDED
        ),
        active_b=make_house(
            db.session, world.org_b, code="VN-25-07996-DG001", name="Nhà đóng gói Bằng Luân", commune_code="07996"
        ),
    )
    db.session.commit()
    return h


def lot_body(world, **overrides):
    body = {
        "product_id": world.product_a.id,
        "growing_area_id": world.area_a.id,
        "code": "DH-2511-001",
        "harvest_date": (today_in_vietnam() - dt.timedelta(days=2)).isoformat(),
        "quantity": "1200",
        "unit": "KGM",
    }
    body.update(overrides)
    return body


def lot_count(db, **where) -> int:
    stmt = sa.select(sa.func.count()).select_from(Lot)
    for name, value in where.items():
        stmt = stmt.where(getattr(Lot, name) == value)
    return db.session.scalar(stmt)


def fresh_lot(db, lot_id: int) -> Lot:
    db.session.expire_all()
    return db.session.get(Lot, lot_id)


@pytest.fixture
def lot_a(make_api, world):
    """A lot of org A, created through the API; returns its JSON."""
    response = make_api(world.member_a).post("/api/v1/lots", json=lot_body(world))
    assert response.status_code == 201, response.json
    return response.json


def patch(api, path, body):
    return api.client.patch(path, json=body, headers=api._headers())
