"""Lots through packing houses: only an active house of the lot's own organization."""

import pytest

from registry.lifecycle.models import CodeStatus
from tests.conftest import csrf_token
from tests.trace.conftest import fresh_lot, lot_body, lot_count


def test_lot_through_an_active_packing_house(db, make_api, world, houses):
    response = make_api(world.member_a).post("/api/v1/lots", json=lot_body(world, packing_house_id=houses.active_a.id))
    assert response.status_code == 201, response.json
    assert response.json["packing_house"] == {
        "id": houses.active_a.id,
        "code": "VN-25-07999-DG001",
        "name": "Nhà đóng gói Chí Đám",
    }
    assert fresh_lot(db, response.json["id"]).packing_house_id == houses.active_a.id


def test_lot_without_packing_house_shows_null(make_api, world, houses):
    response = make_api(world.member_a).post("/api/v1/lots", json=lot_body(world))
    assert response.status_code == 201
    assert response.json["packing_house"] is None
    assert make_api(world.member_a).get(f"/api/v1/lots/{response.json['id']}").json["packing_house"] is None


@pytest.mark.parametrize("status", [CodeStatus.PENDING, CodeStatus.SUSPENDED, CodeStatus.REVOKED])
def test_packing_house_that_is_not_active_is_refused(db, make_api, world, houses, status):
    houses.suspended_a.status = status
    db.session.commit()
    body = lot_body(world, packing_house_id=houses.suspended_a.id)
    en = make_api(world.member_a, "en").post("/api/v1/lots", json=body)
    vi = make_api(world.member_a, "vi").post("/api/v1/lots", json=body)
    assert en.status_code == vi.status_code == 422
    message = en.json["errors"]["packing_house_id"][0]
    assert message == (
        f"The packing house VN-25-07999-DG002 is {status.value}; "
        "only a packing house with an active code can handle a lot."
    )
    assert vi.json["errors"]["packing_house_id"][0].startswith("Cơ sở đóng gói VN-25-07999-DG002 đang ở trạng thái")
    assert set(en.json["errors"]) == {"packing_house_id"}
    assert lot_count(db) == 0


def test_vietnamese_message_names_the_status(db, make_api, world, houses):
    body = lot_body(world, packing_house_id=houses.suspended_a.id)
    vi = make_api(world.member_a, "vi").post("/api/v1/lots", json=body)
    assert vi.json["errors"]["packing_house_id"] == [
        "Cơ sở đóng gói VN-25-07999-DG002 đang ở trạng thái tạm đình chỉ; "
        "chỉ cơ sở có mã số đang hiệu lực mới được đóng gói lô hàng."
    ]


def test_another_organizations_packing_house_is_not_found(db, make_api, world, houses):
    api = make_api(world.member_a, "en")
    foreign = api.post("/api/v1/lots", json=lot_body(world, packing_house_id=houses.active_b.id))
    missing = api.post("/api/v1/lots", json=lot_body(world, packing_house_id=houses.active_b.id + 1000))
    assert foreign.status_code == missing.status_code == 422
    # Exactly the answer for an id that does not exist: nothing tells that B's house is there.
    assert foreign.json["errors"] == missing.json["errors"] == {"packing_house_id": ["Packing house not found."]}
    assert "Bằng Luân" not in foreign.get_data(as_text=True)
    vi = make_api(world.member_a, "vi").post("/api/v1/lots", json=lot_body(world, packing_house_id=houses.active_b.id))
    assert vi.json["errors"] == {"packing_house_id": ["Không tìm thấy cơ sở đóng gói."]}
    assert lot_count(db) == 0


def test_admin_cannot_mix_organizations(db, make_api, world, houses):
    response = make_api(world.admin, "en").post(
        "/api/v1/lots", json=lot_body(world, packing_house_id=houses.active_b.id)
    )
    assert response.status_code == 422
    assert response.json["errors"]["packing_house_id"] == [
        "The packing house and the product belong to different organizations."
    ]
    assert lot_count(db) == 0


@pytest.mark.parametrize("value", [2**31, 2**63, -1, 0, "abc", 1.5])
def test_packing_house_id_out_of_range_is_a_field_error(db, make_api, world, houses, value):
    response = make_api(world.member_a, "en").post("/api/v1/lots", json=lot_body(world, packing_house_id=value))
    assert response.status_code == 422, response.json
    assert "packing_house_id" in response.json["errors"]
    assert lot_count(db) == 0


def test_form_offers_the_active_packing_houses_of_the_organization(db, world, houses, login):
    client = login(world.member_a.email)
    page = client.get("/lots/new")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert f'<option value="{houses.active_a.id}">VN-25-07999-DG001 — Nhà đóng gói Chí Đám</option>' in html
    assert "Nhà đóng gói cũ" not in html  # suspended
    assert "Bằng Luân" not in html  # another cooperative's
    response = client.post(
        "/lots/new",
        data={
            **lot_body(world, packing_house_id=str(houses.active_a.id)),
            "csrf_token": csrf_token(page),
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    assert lot_count(db, packing_house_id=houses.active_a.id) == 1


def test_form_refuses_a_suspended_house_posted_anyway(db, world, houses, login):
    client = login(world.member_a.email)
    page = client.get("/lots/new?lang=en")
    response = client.post(
        "/lots/new?lang=en",
        data={**lot_body(world, packing_house_id=str(houses.suspended_a.id)), "csrf_token": csrf_token(page)},
    )
    assert response.status_code == 422
    assert "The packing house VN-25-07999-DG002 is suspended" in response.get_data(as_text=True)
    assert lot_count(db) == 0
