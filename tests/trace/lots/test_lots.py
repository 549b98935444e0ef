import datetime as dt

import pytest
import sqlalchemy as sa

from registry.lifecycle.models import CodeStatus as AreaStatus
from trace.lots.models import Lot
from trace.lots.services import today_in_vietnam


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


def lot_count(db) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Lot))


def test_create_lot_returns_label_uri(make_api, world):
    response = make_api(world.member_a).post("/api/v1/lots", json=lot_body(world))
    assert response.status_code == 201, response.json
    lot = response.json
    assert lot["code"] == "DH-2511-001"
    assert lot["label_uri"] == f"https://registry.test/01/{world.product_a.gtin}/10/DH-2511-001"
    assert lot["growing_area"]["code"] == world.area_a.code


def test_lot_without_gtin_gets_an_unguessable_short_link(make_api, world):
    api = make_api(world.member_a)
    uris = set()
    for n in range(3):
        response = api.post("/api/v1/lots", json=lot_body(world, product_id=world.product_a_no_gtin.id, code=f"L{n}"))
        assert response.status_code == 201
        uris.add(response.json["label_uri"])
    assert len(uris) == 3
    for uri in uris:
        token = uri.removeprefix("https://registry.test/l/")
        assert token != uri and len(token) >= 16


def test_reserved_characters_are_percent_encoded(make_api, world):
    response = make_api(world.member_a).post("/api/v1/lots", json=lot_body(world, code="A/B1"))
    assert response.status_code == 201
    assert response.json["label_uri"].endswith("/10/A%2FB1")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"code": "Lô-01"}, "code"),
        ({"code": "LOT 01"}, "code"),
        ({"code": "X" * 21}, "code"),
        ({"quantity": "0"}, "quantity"),
        ({"quantity": "-5"}, "quantity"),
        ({"unit": "bao"}, "unit"),
        ({"harvest_date": (dt.date.today() + dt.timedelta(days=5)).isoformat()}, "harvest_date"),
        ({"harvest_date": "31/12/2025"}, "harvest_date"),
        ({"product_id": 999999}, "product_id"),
        ({"surprise": 1}, "surprise"),
    ],
)
def test_bad_lot_input_is_refused_and_nothing_saved(db, make_api, world, overrides, field):
    response = make_api(world.member_a, "en").post("/api/v1/lots", json=lot_body(world, **overrides))
    assert response.status_code == 422, response.json
    assert field in response.json["errors"]
    assert all(isinstance(m, str) and m for m in response.json["errors"][field])
    assert lot_count(db) == 0


def test_duplicate_lot_code_for_same_product(db, make_api, world):
    api = make_api(world.member_a, "en")
    assert api.post("/api/v1/lots", json=lot_body(world)).status_code == 201
    response = api.post("/api/v1/lots", json=lot_body(world))
    assert response.status_code == 422
    assert "already exists" in response.json["errors"]["code"][0]
    # The same code for another product is a different lot.
    assert api.post("/api/v1/lots", json=lot_body(world, product_id=world.product_a_no_gtin.id)).status_code == 201
    assert lot_count(db) == 2


@pytest.mark.parametrize("status", [AreaStatus.PENDING, AreaStatus.SUSPENDED, AreaStatus.REVOKED])
def test_lot_from_an_area_that_is_not_active_is_refused(db, make_api, world, status):
    world.area_a.status = status
    db.session.commit()
    vi = make_api(world.member_a, "vi").post("/api/v1/lots", json=lot_body(world))
    en = make_api(world.member_a, "en").post("/api/v1/lots", json=lot_body(world))
    assert vi.status_code == en.status_code == 422
    assert status.value in en.json["errors"]["growing_area_id"][0]
    assert en.json["errors"]["growing_area_id"] != vi.json["errors"]["growing_area_id"]
    assert lot_count(db) == 0


def test_area_and_product_must_match(db, make_api, world):
    world.area_a.crop = "tea"
    world.area_a.area_ha = 5
    db.session.commit()
    response = make_api(world.member_a, "en").post("/api/v1/lots", json=lot_body(world))
    assert response.status_code == 422 and "growing_area_id" in response.json["errors"]


def test_member_cannot_use_or_see_another_cooperatives_records(db, make_api, world):
    a, b = make_api(world.member_a), make_api(world.member_b)
    own = b.post("/api/v1/lots", json=lot_body(world, product_id=world.product_b.id, growing_area_id=world.area_b.id))
    assert own.status_code == 201
    lot_b = own.json["id"]
    assert a.get(f"/api/v1/lots/{lot_b}").status_code == 404
    assert a.get(f"/api/v1/lots/{lot_b}/label.png").status_code == 404
    assert a.get(f"/api/v1/lots/{lot_b}/label.svg").status_code == 404
    assert all(lot["id"] != lot_b for lot in a.get("/api/v1/lots").json)
    # Writing into B's product or area is refused, as if they did not exist.
    response = a.post(
        "/api/v1/lots", json=lot_body(world, product_id=world.product_b.id, growing_area_id=world.area_b.id, code="X1")
    )
    assert response.status_code == 422
    assert {"product_id", "growing_area_id"} <= set(response.json["errors"])
    assert lot_count(db) == 1


def test_department_lists_every_organizations_lots(make_api, world):
    make_api(world.member_a).post("/api/v1/lots", json=lot_body(world))
    make_api(world.member_b).post(
        "/api/v1/lots", json=lot_body(world, product_id=world.product_b.id, growing_area_id=world.area_b.id)
    )
    lots = make_api(world.auditor).get("/api/v1/lots").json
    assert len(lots) == 2
    assert {"id", "code", "label_uri"} <= set(lots[0])
    assert len(make_api(world.member_a).get("/api/v1/lots").json) == 1
