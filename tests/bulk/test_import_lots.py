"""Importing lots, packing houses and organizations."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from registry.lifecycle.models import CodeStatus, StatusChange
from registry.organizations.models import Organization
from registry.packing.models import PackingHouse
from tests.bulk.sheets import csv_bytes, upload
from trace.lots.events import EventKind, TraceEvent
from trace.lots.models import Lot

LOT_HEADERS = [
    "code",
    "organization_tax_code",
    "product",
    "area_code",
    "packing_house_code",
    "harvest_date",
    "quantity",
    "unit",
]
HOUSE_HEADERS = [
    "code",
    "name",
    "organization_tax_code",
    "address",
    "capacity_t_per_day",
    "commune_code",
    "legacy_place",
    "status",
]
ORG_HEADERS = ["tax_code", "name", "kind", "commune_code", "address", "phone"]


def add_house(db, world):
    house = PackingHouse(
        code="VN-25-07999-DG001",
        name="Cơ sở đóng gói A",
        organization_id=world.org_a.id,
        commune_code="07999",
        status=CodeStatus.ACTIVE,
        markets=[],
    )
    db.session.add(house)
    db.session.commit()
    return house


def lot_rows(world, n, *, start=1):
    day = dt.date(2025, 9, 1).isoformat()
    rows = [
        [
            f"L-{i:05d}",
            world.org_a.tax_code,
            world.product_a.gtin,
            world.area_a.code,
            "VN-25-07999-DG001" if i % 2 else "",
            day,
            "1200,5",
            "kg",
        ]
        for i in range(start, start + n)
    ]
    return csv_bytes(LOT_HEADERS, rows)


def test_lots_with_events_idempotent(db, world, make_api):
    api = make_api(world.member_a)
    add_house(db, world)
    assert upload(api, "lots", lot_rows(world, 4), "lots.csv").get_json() == {
        "rows": 4,
        "created": 4,
        "updated": 0,
        "errors": [],
    }
    lots = db.session.scalars(sa.select(Lot).order_by(Lot.code)).all()
    assert [str(lot.quantity) for lot in lots] == ["1200.500"] * 4
    kinds = sorted(e.kind.value for e in db.session.scalars(sa.select(TraceEvent)))
    assert kinds.count(EventKind.HARVEST.value) == 4 and kinds.count(EventKind.PACK.value) == 2
    assert upload(api, "lots", lot_rows(world, 4), "lots.csv").get_json() == {
        "rows": 4,
        "created": 0,
        "updated": 0,
        "errors": [],
    }


def test_lot_rows_checked_like_the_service(db, world, make_api, clock):
    clock.set_today(dt.date(2025, 10, 1))
    api = make_api(world.member_a, language="en")
    rows = [
        ["L 1", world.org_a.tax_code, world.product_a.gtin, world.area_a.code, "", "2025-09-01", "10", "kg"],
        ["L-2", world.org_a.tax_code, world.product_a.gtin, world.area_b.code, "", "2025-09-01", "10", "kg"],
        ["L-3", world.org_a.tax_code, world.product_a.gtin, world.area_a.code, "", "2026-01-01", "10", "kg"],
        ["L-4", world.org_a.tax_code, world.product_a.gtin, world.area_a.code, "", "2025-09-01", "99999999", "kg"],
        ["L-5", world.org_b.tax_code, world.product_b.gtin, world.area_b.code, "", "2025-09-01", "10", "kg"],
        ["L-6", world.org_a.tax_code, "nothing", world.area_a.code, "", "2025-09-01", "10", "boxes"],
    ]
    body = upload(api, "lots", csv_bytes(LOT_HEADERS, rows), "lots.csv").get_json()
    where = {(e["row"], e["column"]) for e in body["errors"]}
    assert {
        (2, "code"),
        (3, "area_code"),
        (4, "harvest_date"),
        (5, "quantity"),
        (6, "organization_tax_code"),
        (7, "product"),
        (7, "unit"),
    } <= where
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Lot)) == 0


def test_packing_houses(db, world, make_api):
    api = make_api(world.admin)
    rows = [
        ["VN-25-07999-DG010", "Nhà đóng gói 10", world.org_a.tax_code, "Thôn 1", "3,5", "07999", "", "active"],
        ["", "Nhà đóng gói mới", world.org_b.tax_code, "", "", "07996", "", ""],
    ]
    data = csv_bytes(HOUSE_HEADERS, rows)
    assert upload(api, "packing-houses", data, "h.csv").get_json() == {
        "rows": 2,
        "created": 2,
        "updated": 0,
        "errors": [],
    }
    houses = db.session.scalars(sa.select(PackingHouse).order_by(PackingHouse.id)).all()
    assert houses[0].code == "VN-25-07999-DG010" and houses[0].status == CodeStatus.ACTIVE
    assert (
        db.session.scalar(
            sa.select(sa.func.count()).select_from(StatusChange).where(StatusChange.packing_house_id.is_not(None))
        )
        == 2
    )
    assert upload(api, "packing-houses", data, "h.csv").get_json()["created"] == 0
    clash = csv_bytes(HOUSE_HEADERS, [[world.area_a.code, "X", world.org_a.tax_code, "", "", "07999", "", ""]])
    assert upload(api, "packing-houses", clash, "h.csv").get_json()["errors"][0]["column"] == "code"


def test_organizations(db, world, make_api):
    admin = make_api(world.admin)
    rows = [
        ["0101234567", "HTX Mới", "cooperative", "07999", "Thôn 2", ""],
        [world.org_a.tax_code, world.org_a.name, "cooperative", world.org_a.commune_code, "Địa chỉ mới", ""],
    ]
    assert upload(admin, "organizations", csv_bytes(ORG_HEADERS, rows), "o.csv").get_json() == {
        "rows": 2,
        "created": 1,
        "updated": 1,
        "errors": [],
    }
    assert db.session.scalar(sa.select(Organization.name).where(Organization.tax_code == "0101234567")) == "HTX Mới"
    member = make_api(world.member_b)
    body = upload(member, "organizations", csv_bytes(ORG_HEADERS, rows), "o.csv").get_json()
    assert {e["row"] for e in body["errors"]} == {2, 3}
    own = [[world.org_b.tax_code, world.org_b.name, "enterprise", world.org_b.commune_code, "", ""]]
    assert (
        upload(member, "organizations", csv_bytes(ORG_HEADERS, own), "o.csv").get_json()["errors"][0]["column"]
        == "kind"
    )
