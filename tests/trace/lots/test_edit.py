"""Correcting a lot: PATCH /api/v1/lots/<id> and /lots/<id>/edit."""

import datetime as dt
from decimal import Decimal

import pytest

from registry.core.db import today_in_vietnam
from tests.conftest import csrf_token
from tests.trace.conftest import fresh_lot, lot_body, lot_count, patch

VOID_INSTEAD_EN = (
    "The lot code, product and growing area are on the printed label and cannot be changed. "
    "Void this lot and record a new one instead."
)
VOID_INSTEAD_VI = (
    "Mã lô, sản phẩm và vùng trồng đã in trên tem nên không thể sửa. Hãy hủy lô này và ghi nhận một lô mới."
)


def test_owner_corrects_date_quantity_unit_and_packing_house(db, make_api, world, houses, lot_a):
    day = (today_in_vietnam() - dt.timedelta(days=10)).isoformat()
    response = patch(
        make_api(world.member_a),
        f"/api/v1/lots/{lot_a['id']}",
        {"harvest_date": day, "quantity": "1.25", "unit": "TNE", "packing_house_id": houses.active_a.id},
    )
    assert response.status_code == 200, response.json
    body = response.json
    assert (body["harvest_date"], body["quantity"], body["unit"]) == (day, "1.250", "TNE")
    assert body["packing_house"]["id"] == houses.active_a.id
    assert body["updated_at"] is not None
    lot = fresh_lot(db, lot_a["id"])
    assert (lot.harvest_date.isoformat(), lot.quantity, lot.unit.value) == (day, Decimal("1.25"), "TNE")
    assert lot.packing_house_id == houses.active_a.id
    # null takes the packing house off again; other fields stay as they are.
    response = patch(make_api(world.member_a), f"/api/v1/lots/{lot_a['id']}", {"packing_house_id": None})
    assert response.status_code == 200 and response.json["packing_house"] is None
    assert fresh_lot(db, lot_a["id"]).quantity == Decimal("1.25")


@pytest.mark.parametrize(
    "change",
    [{"code": "DH-2511-999"}, {"code": "dh-2511-001"}, {"product_id": 2}, {"growing_area_id": 2}],
)
def test_label_fields_cannot_change(db, make_api, world, lot_a, change):
    if "product_id" in change:
        change = {"product_id": world.product_a_no_gtin.id}
    if "growing_area_id" in change:
        change = {"growing_area_id": world.area_b.id}
    field = next(iter(change))
    en = patch(make_api(world.member_a, "en"), f"/api/v1/lots/{lot_a['id']}", {**change, "quantity": "5"})
    vi = patch(make_api(world.member_a, "vi"), f"/api/v1/lots/{lot_a['id']}", change)
    assert en.status_code == vi.status_code == 422
    assert en.json["errors"] == {field: [VOID_INSTEAD_EN]}
    assert vi.json["errors"] == {field: [VOID_INSTEAD_VI]}
    lot = fresh_lot(db, lot_a["id"])
    assert (lot.code, lot.product_id, lot.quantity) == ("DH-2511-001", world.product_a.id, Decimal("1200"))


def test_sending_the_same_code_back_is_not_a_change(db, make_api, world, lot_a):
    response = patch(
        make_api(world.member_a),
        f"/api/v1/lots/{lot_a['id']}",
        {"code": "DH-2511-001", "product_id": world.product_a.id, "quantity": "900"},
    )
    assert response.status_code == 200, response.json
    assert fresh_lot(db, lot_a["id"]).quantity == Decimal("900")


def test_who_may_correct_a_lot(db, make_api, world, lot_a):
    path = f"/api/v1/lots/{lot_a['id']}"
    assert patch(make_api(world.auditor), path, {"quantity": "5"}).status_code == 403
    assert patch(make_api(world.member_b), path, {"quantity": "5"}).status_code == 404
    assert fresh_lot(db, lot_a["id"]).quantity == Decimal("1200")
    assert patch(make_api(world.admin), path, {"quantity": "5"}).status_code == 200
    assert fresh_lot(db, lot_a["id"]).quantity == Decimal("5")


def test_a_voided_lot_cannot_be_corrected(db, make_api, world, lot_a):
    api = make_api(world.member_a, "en")
    assert api.post(f"/api/v1/lots/{lot_a['id']}/void", json={"reason": "Sai mã"}).status_code == 200
    response = patch(api, f"/api/v1/lots/{lot_a['id']}", {"quantity": "5"})
    assert response.status_code == 409
    assert "was voided on" in response.json["message"]
    assert fresh_lot(db, lot_a["id"]).quantity == Decimal("1200")


def test_bad_corrections_are_refused_all_at_once(db, make_api, world, houses, lot_a):
    response = patch(
        make_api(world.member_a, "en"),
        f"/api/v1/lots/{lot_a['id']}",
        {
            "harvest_date": (today_in_vietnam() + dt.timedelta(days=3)).isoformat(),
            "quantity": "-1",
            "packing_house_id": houses.suspended_a.id,
        },
    )
    assert response.status_code == 422
    assert set(response.json["errors"]) == {"harvest_date", "quantity", "packing_house_id"}
    lot = fresh_lot(db, lot_a["id"])
    assert (lot.quantity, lot.packing_house_id) == (Decimal("1200"), None)
    assert lot_count(db) == 1


def test_keeping_a_house_that_was_suspended_since_is_allowed(db, make_api, world, houses):
    api = make_api(world.member_a)
    created = api.post("/api/v1/lots", json=lot_body(world, packing_house_id=houses.active_a.id)).json
    houses.active_a.status = houses.suspended_a.status
    db.session.commit()
    response = patch(api, f"/api/v1/lots/{created['id']}", {"quantity": "10", "packing_house_id": houses.active_a.id})
    assert response.status_code == 200, response.json
    assert fresh_lot(db, created["id"]).quantity == Decimal("10")


def test_edit_page(db, world, houses, lot_a, login):
    client = login(world.member_a.email)
    page = client.get(f"/lots/{lot_a['id']}/edit")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'name="code"' not in html and 'name="product_id"' not in html
    assert 'value="1200"' in html
    assert "Nhà đóng gói Chí Đám" in html and "Nhà đóng gói cũ" not in html
    response = client.post(
        f"/lots/{lot_a['id']}/edit",
        data={
            "harvest_date": lot_a["harvest_date"],
            "quantity": "1,5",
            "unit": "TNE",
            "packing_house_id": str(houses.active_a.id),
            "csrf_token": csrf_token(page),
        },
    )
    assert response.status_code == 302
    lot = fresh_lot(db, lot_a["id"])
    assert (lot.quantity, lot.unit.value, lot.packing_house_id) == (Decimal("1.5"), "TNE", houses.active_a.id)
    detail = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Đã sửa lô DH-2511-001." in detail


def test_edit_page_shows_errors_and_keeps_the_lot(db, world, lot_a, login):
    client = login(world.member_a.email)
    page = client.get(f"/lots/{lot_a['id']}/edit?lang=en")
    response = client.post(
        f"/lots/{lot_a['id']}/edit?lang=en",
        data={"harvest_date": lot_a["harvest_date"], "quantity": "0", "unit": "KGM", "csrf_token": csrf_token(page)},
    )
    assert response.status_code == 422
    assert "The quantity must be greater than 0." in response.get_data(as_text=True)
    assert fresh_lot(db, lot_a["id"]).quantity == Decimal("1200")


def test_edit_page_access(db, world, lot_a, login, make_api):
    path = f"/lots/{lot_a['id']}/edit"
    assert login(world.auditor.email).get(path).status_code == 403
    assert login(world.member_b.email).get(path).status_code == 404
    assert make_api(world.member_a).post(f"/api/v1/lots/{lot_a['id']}/void", json={"reason": "x"}).status_code == 200
    assert login(world.member_a.email).get(path).status_code == 409
