"""Packing houses: the same code lifecycle as growing areas, through the API and the pages."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from registry.lifecycle.models import CodeStatus, Inspection, StatusChange
from registry.packing.models import PackingHouse
from tests.conftest import csrf_token

BODY = {
    "name": "Cơ sở đóng gói bưởi Chí Đám",
    "commune_code": "07999",
    "address": "Thôn Chí Chính",
    "capacity_t_per_day": "8.5",
}


def count(db, model=PackingHouse) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def apply(make_api, world, **extra) -> dict:
    response = make_api(world.member_a).post("/api/v1/packing-houses", json={**BODY, **extra})
    assert response.status_code == 201, response.json
    return response.json


def test_member_applies_and_the_department_issues_a_code(make_api, world):
    house = apply(make_api, world)
    assert house["status"] == "pending" and house["code"] is None and house["organization_id"] == world.org_a.id
    assert house["capacity_t_per_day"] == "8.50" and house["commune"]["province_name"] == "Phú Thọ"
    member, auditor = make_api(world.member_a, "en"), make_api(world.auditor)
    url = f"/api/v1/packing-houses/{house['id']}/status"
    denied = member.post(url, json={"status": "active"})
    assert denied.status_code == 403
    response = auditor.post(url, json={"status": "active"})
    assert response.status_code == 200
    assert response.json["code"] == "VN-25-07999-DG001"
    assert [h["to_status"] for h in response.json["history"]] == ["pending", "active"]
    second = apply(make_api, world, name="Cơ sở 2")
    assert auditor.post(f"/api/v1/packing-houses/{second['id']}/status", json={"status": "active"}).json["code"] == (
        "VN-25-07999-DG002"
    )
    listed = member.get("/api/v1/packing-houses?status=active")
    assert [h["id"] for h in listed.json] == [second["id"], house["id"]]


def test_an_inspection_suspends_the_house_in_one_transaction(db, make_api, world):
    house = apply(make_api, world)
    auditor = make_api(world.auditor, "en")
    auditor.post(f"/api/v1/packing-houses/{house['id']}/status", json={"status": "active"})
    url = f"/api/v1/packing-houses/{house['id']}/inspections"
    no_reason = auditor.post(url, json={"inspected_on": "2026-11-01", "conclusion": "suspend"})
    assert no_reason.status_code == 422 and "reason" in no_reason.json["errors"]
    assert count(db, Inspection) == 0
    response = auditor.post(
        url,
        json={"inspected_on": "2026-11-01", "conclusion": "suspend", "reason": "Nhà xưởng không đạt vệ sinh",
              "field_hygiene": "poor", "inspector_name": "Nguyễn Thị Hương"},
    )  # fmt: skip
    assert response.status_code == 201, response.json
    assert response.json["status"] == "suspended"
    history = auditor.get(f"/api/v1/packing-houses/{house['id']}/history").json
    assert history[-1]["to_status"] == "suspended" and history[-1]["inspection_id"] == response.json["inspection"]["id"]
    change = db.session.scalar(sa.select(StatusChange).order_by(StatusChange.id.desc()))
    assert change.packing_house_id == house["id"] and change.growing_area_id is None


def test_another_organization_sees_nothing(db, make_api, world):
    house = apply(make_api, world)
    other = make_api(world.member_b, "en")
    base = f"/api/v1/packing-houses/{house['id']}"
    assert other.get(base).status_code == 404
    assert other.client.patch(base, json={"name": "X"}, headers=other._headers()).status_code == 404
    assert other.post(f"{base}/status", json={"status": "withdrawn", "reason": "x"}).status_code == 404
    assert other.get(f"{base}/inspections").status_code == 404
    assert other.get(f"{base}/history").status_code == 404
    assert other.get("/api/v1/packing-houses").json == []
    assert db.session.get(PackingHouse, house["id"]).name == BODY["name"]


def test_patch_corrects_the_record_but_never_the_code_or_status(db, make_api, world):
    house = apply(make_api, world)
    member = make_api(world.member_a, "en")
    url = f"/api/v1/packing-houses/{house['id']}"
    response = member.client.patch(
        url,
        json={"name": "Cơ sở đóng gói Chí Đám", "capacity_t_per_day": "10", "markets": "cn, us"},
        headers=member._headers(),
    )
    assert response.status_code == 200, response.json
    assert response.json["name"] == "Cơ sở đóng gói Chí Đám" and response.json["markets"] == ["CN", "US"]
    refused = member.client.patch(
        url, json={"code": "VN-X-1", "status": "active", "name": "Khác"}, headers=member._headers()
    )
    assert refused.status_code == 422
    assert set(refused.json["errors"]) == {"code", "status"}
    assert db.session.get(PackingHouse, house["id"]).name == "Cơ sở đóng gói Chí Đám"
    bad_market = member.client.patch(url, json={"markets": ["XX"]}, headers=member._headers())
    assert bad_market.status_code == 422 and "XX" in bad_market.json["errors"]["markets"][0]
    inspector = make_api(world.auditor, "en")
    assert inspector.client.patch(url, json={"name": "Y"}, headers=inspector._headers()).status_code == 403


@pytest.mark.parametrize("capacity", ["0", "-2", "1e20", "abc", "1.234"])
def test_bad_capacity_is_refused_and_nothing_saved(db, make_api, world, capacity):
    before = count(db)
    response = make_api(world.member_a, "en").post(
        "/api/v1/packing-houses", json={**BODY, "capacity_t_per_day": capacity}
    )
    assert response.status_code == 422
    assert "capacity_t_per_day" in response.json["errors"]
    assert count(db) == before


@pytest.mark.parametrize("name", ["   ", "\u200b\u200b"])
def test_blank_names_are_refused(db, make_api, world, name):
    before = count(db)
    response = make_api(world.member_a, "en").post("/api/v1/packing-houses", json={**BODY, "name": name})
    assert response.status_code == 422 and response.json["errors"]["name"] == ["This field is required."]
    assert count(db) == before


def test_ids_beyond_the_integer_range(make_api, world):
    api = make_api(world.auditor)
    assert api.get(f"/api/v1/packing-houses/{2**31}").status_code == 404
    assert api.post(f"/api/v1/packing-houses/{2**31}/status", json={"status": "active"}).status_code == 404


def test_a_claimed_code_is_provisional(db, make_api, world):
    house = apply(make_api, world, code=" vn-dt-ph-0042 ")
    assert house["code"] is None and house["claimed_code"] == "VN-DT-PH-0042"
    activated = make_api(world.auditor).post(f"/api/v1/packing-houses/{house['id']}/status", json={"status": "active"})
    assert activated.json["code"] == "VN-DT-PH-0042"


def test_pages_list_apply_edit_and_decide(app, client, db, world, login):
    login(world.member_a.email)
    form = client.get("/packing-houses/new")
    assert form.status_code == 200 and "Xã Chí Đám" in form.get_data(as_text=True)
    data = {"csrf_token": csrf_token(form), "name": "Cơ sở Bằng Luân", "organization_id": world.org_a.id,
            "province": "25", "commune_code": "07996", "address": "", "capacity_t_per_day": "0", "code": "", "legacy_place": ""}  # fmt: skip
    bad = client.post("/packing-houses/new", data=data)
    assert bad.status_code == 422 and 'class="field-error"' in bad.get_data(as_text=True)
    assert count(db) == 0
    data["capacity_t_per_day"] = "4"
    created = client.post("/packing-houses/new", data=data)
    assert created.status_code == 302
    house = db.session.scalar(sa.select(PackingHouse))
    assert created.headers["Location"].endswith(f"/packing-houses/{house.id}")
    listing = client.get("/packing-houses").get_data(as_text=True)
    assert f'href="/packing-houses/{house.id}"' in listing and "Cơ sở Bằng Luân" in listing
    edit = client.get(f"/packing-houses/{house.id}/edit")
    assert edit.status_code == 200
    saved = client.post(
        f"/packing-houses/{house.id}/edit",
        data={"csrf_token": csrf_token(edit), "name": "Cơ sở đóng gói Bằng Luân", "province": "25",
              "commune_code": "07996", "address": "Xóm 3", "capacity_t_per_day": "4", "markets": ""},
    )  # fmt: skip
    assert saved.status_code == 302
    db.session.expire_all()
    assert db.session.get(PackingHouse, house.id).name == "Cơ sở đóng gói Bằng Luân"

    auditor = app.test_client()
    page = auditor.get("/login")
    auditor.post(
        "/login", data={"email": world.auditor.email, "password": "correct-horse-42", "csrf_token": csrf_token(page)}
    )
    assert auditor.get("/packing-houses/new").status_code == 403
    detail = auditor.get(f"/packing-houses/{house.id}")
    assert detail.status_code == 200 and 'name="confirm"' in detail.get_data(as_text=True)
    unconfirmed = auditor.post(
        f"/packing-houses/{house.id}/status", data={"csrf_token": csrf_token(detail), "status": "active"}
    )
    assert unconfirmed.status_code == 302
    db.session.expire_all()
    assert db.session.get(PackingHouse, house.id).status == CodeStatus.PENDING
    auditor.post(
        f"/packing-houses/{house.id}/status",
        data={"csrf_token": csrf_token(detail), "status": "active", "confirm": "y"},
    )
    db.session.expire_all()
    assert db.session.get(PackingHouse, house.id).code == "VN-25-07996-DG001"


def test_one_code_never_names_an_area_and_a_packing_house(db, make_api, world):
    """A packing house claiming a growing area's code is stopped at activation, with the holder named."""
    house = apply(make_api, world, code=world.area_b.code)
    response = make_api(world.auditor, "en").post(
        f"/api/v1/packing-houses/{house['id']}/status", json={"status": "active"}
    )
    assert response.status_code == 409
    assert response.json["message"] == (
        f"The code {world.area_b.code} is already held by the growing area {world.area_b.name} of {world.org_b.name}. "
        "Resolve the clash before activating."
    )
    assert db.session.get(PackingHouse, house["id"]).status == CodeStatus.PENDING
    assert world.org_b.name not in str(house)  # the member who applied was told nothing of it
