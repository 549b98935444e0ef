"""Packing houses: who may do what, messages in both languages, scoping, paging and the pickers' list."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from registry.lifecycle.models import CodeStatus, Inspection, StatusChange
from registry.packing import services
from registry.packing.models import PackingHouse
from tests.conftest import csrf_token

BODY = {"name": "Cơ sở đóng gói bưởi Chí Đám", "commune_code": "07999", "capacity_t_per_day": "8.5"}
TOO_BIG = 2**31


def count(db, model=PackingHouse) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def apply(make_api, user, **extra) -> dict:
    response = make_api(user).post("/api/v1/packing-houses", json={**BODY, **extra})
    assert response.status_code == 201, response.json
    return response.json


def decide(make_api, world, house_id: int, status: str, reason: str | None = None) -> dict:
    body = {"status": status, **({"reason": reason} if reason else {})}
    response = make_api(world.auditor).post(f"/api/v1/packing-houses/{house_id}/status", json=body)
    assert response.status_code == 200, response.json
    return response.json


def patch(api, path, body):
    return api.client.patch(path, json=body, headers=api._headers())


@pytest.mark.parametrize(
    ("language", "capacity_message", "name_message"),
    [
        ("en", "Enter the capacity in tonnes a day, greater than 0.", "This field is required."),
        ("vi", "Nhập công suất theo tấn/ngày, lớn hơn 0.", "Trường này là bắt buộc."),
    ],
)
def test_errors_are_named_in_the_callers_language(db, make_api, world, language, capacity_message, name_message):
    before, history_before = count(db), count(db, StatusChange)
    response = make_api(world.member_a, language).post(
        "/api/v1/packing-houses", json={**BODY, "name": "\u200b ", "capacity_t_per_day": "-1"}
    )
    assert response.status_code == 422
    assert response.json["errors"]["capacity_t_per_day"] == [capacity_message]
    assert response.json["errors"]["name"] == [name_message]
    assert count(db) == before and count(db, StatusChange) == history_before


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "A code is kept exactly as issued: it cannot be edited."),
        ("vi", "Mã số được giữ đúng như khi cấp: không thể sửa."),
    ],
)
def test_patching_the_issued_code_is_refused(db, make_api, world, language, message):
    house = apply(make_api, world.member_a)
    decide(make_api, world, house["id"], "active")
    api = make_api(world.member_a, language)
    response = patch(api, f"/api/v1/packing-houses/{house['id']}", {"code": "VN-25-07999-DG009"})
    assert response.status_code == 422 and response.json["errors"] == {"code": [message]}
    db.session.expire_all()
    assert db.session.get(PackingHouse, house["id"]).code == "VN-25-07999-DG001"


@pytest.mark.parametrize("capacity", ["0", "-0.5", "1e20", "100000000", 0, -3])
def test_patch_refuses_a_capacity_that_is_not_positive_or_overflows(db, make_api, world, capacity):
    house = apply(make_api, world.member_a)
    api = make_api(world.member_a, "en")
    response = patch(api, f"/api/v1/packing-houses/{house['id']}", {"capacity_t_per_day": capacity, "name": "Mới"})
    assert response.status_code == 422
    assert set(response.json["errors"]) == {"capacity_t_per_day"}
    db.session.expire_all()
    row = db.session.get(PackingHouse, house["id"])
    assert str(row.capacity_t_per_day) == "8.50" and row.name == BODY["name"]


def test_largest_capacity_that_fits_is_kept_exactly(make_api, world):
    house = apply(make_api, world.member_a, capacity_t_per_day="99999999.99")
    assert house["capacity_t_per_day"] == "99999999.99"


def test_who_may_register_and_for_whom(db, make_api, world):
    before = count(db)
    inspector = make_api(world.auditor, "en").post("/api/v1/packing-houses", json=BODY)
    assert inspector.status_code == 403
    other_org = make_api(world.member_a, "en").post(
        "/api/v1/packing-houses", json={**BODY, "organization_id": world.org_b.id}
    )
    assert other_org.status_code == 403
    assert other_org.json["message"] == "You can only register records for your own organization."
    admin = make_api(world.admin, "en")
    unnamed = admin.post("/api/v1/packing-houses", json=BODY)
    assert unnamed.status_code == 422 and unnamed.json["errors"] == {"organization_id": ["Choose the organization."]}
    huge = admin.post("/api/v1/packing-houses", json={**BODY, "organization_id": TOO_BIG})
    assert huge.status_code == 422 and huge.json["errors"] == {"organization_id": ["Organization not found."]}
    fractional = admin.post("/api/v1/packing-houses", json={**BODY, "organization_id": 1.5})
    assert fractional.status_code == 422
    assert count(db) == before
    made = admin.post("/api/v1/packing-houses", json={**BODY, "organization_id": world.org_b.id})
    assert made.status_code == 201 and made.json["organization_id"] == world.org_b.id
    assert made.json["organization"] == world.org_b.name
    assert count(db) == before + 1


def test_unknown_commune_and_malformed_claimed_code(db, make_api, world):
    before = count(db)
    response = make_api(world.member_a, "en").post(
        "/api/v1/packing-houses", json={**BODY, "commune_code": "99999", "code": "not a code!"}
    )
    assert response.status_code == 422
    assert set(response.json["errors"]) == {"commune_code", "code"}
    assert response.json["errors"]["commune_code"][0].startswith("There is no commune with code 99999.")
    assert count(db) == before


def test_a_code_claimed_by_another_organization_is_not_revealed_to_the_member(make_api, world):
    """The member is told nothing; only the department sees the clash when it activates."""
    holder = apply(make_api, world.member_b, code=" vn-dt-ph-0042 ")
    decide(make_api, world, holder["id"], "active")
    claimant = make_api(world.member_a, "en").post("/api/v1/packing-houses", json={**BODY, "code": "VN-DT-PH-0042"})
    assert claimant.status_code == 201
    assert claimant.json["claimed_code"] == "VN-DT-PH-0042" and claimant.json["code"] is None
    text = json.dumps(claimant.json, ensure_ascii=False)
    assert world.org_b.name not in text and "Cơ sở" in text
    clash = make_api(world.auditor, "en").post(
        f"/api/v1/packing-houses/{claimant.json['id']}/status", json={"status": "active"}
    )
    assert clash.status_code == 409 and world.org_b.name in clash.json["message"]


def test_output_fields(make_api, world):
    house = apply(make_api, world.member_a, address="Thôn Chí Chính")
    assert set(house) >= {
        "id", "code", "claimed_code", "name", "status", "status_label", "organization_id", "organization",
        "commune", "address", "capacity_t_per_day", "markets", "created_at", "status_changed_at", "history",
    }  # fmt: skip
    assert house["status_label"] == "chờ duyệt"
    assert house["markets"] == [] and house["address"] == "Thôn Chí Chính"
    assert house["commune"]["code"] == "07999"
    assert [h["to_status"] for h in house["history"]] == ["pending"]
    listed = make_api(world.member_a).get("/api/v1/packing-houses").json
    assert "history" not in listed[0]


def test_list_is_paged_scoped_and_filtered_by_status(db, make_api, world):
    ids = [apply(make_api, world.member_a, name=f"Cơ sở {n}")["id"] for n in range(3)]
    apply(make_api, world.member_b, name="Cơ sở của HTX B")
    decide(make_api, world, ids[0], "active")
    member = make_api(world.member_a, "en")
    first = member.get("/api/v1/packing-houses?page=1&page_size=2")
    assert first.status_code == 200 and [h["id"] for h in first.json] == [ids[2], ids[1]]
    paging = json.loads(first.headers["X-Pagination"])
    assert paging["total"] == 3 and paging["total_pages"] == 2
    assert [h["id"] for h in member.get("/api/v1/packing-houses?page=2&page_size=2").json] == [ids[0]]
    assert [h["id"] for h in member.get("/api/v1/packing-houses?status=pending").json] == [ids[2], ids[1]]
    assert [h["id"] for h in member.get("/api/v1/packing-houses?status=active").json] == [ids[0]]
    assert json.loads(make_api(world.auditor).get("/api/v1/packing-houses").headers["X-Pagination"])["total"] == 4
    bogus = member.get("/api/v1/packing-houses?status=closed")
    assert bogus.status_code == 422 and bogus.json["errors"] == {"status": ["Unknown status."]}
    vi = make_api(world.member_a, "vi").get("/api/v1/packing-houses?status=closed")
    assert vi.json["errors"] == {"status": ["Trạng thái không hợp lệ."]}
    assert member.get("/api/v1/packing-houses?page=0").status_code == 422


def test_another_organization_gets_404_everywhere_and_nothing_changes(db, make_api, world):
    house = apply(make_api, world.member_a)
    decide(make_api, world, house["id"], "active")
    other = make_api(world.member_b, "en")
    base = f"/api/v1/packing-houses/{house['id']}"
    history_before, inspections_before = count(db, StatusChange), count(db, Inspection)
    get = other.get(base)
    assert get.status_code == 404 and get.json["message"] == "Packing house not found."
    assert patch(other, base, {"name": "Chiếm"}).status_code == 404
    assert other.post(f"{base}/status", json={"status": "suspended", "reason": "x"}).status_code == 404
    assert other.post(f"{base}/withdraw", json={"reason": "x"}).status_code == 404
    assert other.get(f"{base}/inspections").status_code == 404
    inspection = other.post(
        f"{base}/inspections", json={"inspected_on": "2026-11-01", "conclusion": "suspend", "reason": "x"}
    )
    assert inspection.status_code == 404
    db.session.expire_all()
    row = db.session.get(PackingHouse, house["id"])
    assert row.name == BODY["name"] and row.status == CodeStatus.ACTIVE
    assert count(db, StatusChange) == history_before and count(db, Inspection) == inspections_before


def test_member_cannot_decide_a_status(db, make_api, world):
    house = apply(make_api, world.member_a)
    member = make_api(world.member_a, "en")
    before = count(db, StatusChange)
    for status in ("active", "refused"):
        response = member.post(f"/api/v1/packing-houses/{house['id']}/status", json={"status": status, "reason": "x"})
        assert response.status_code == 403
    assert count(db, StatusChange) == before
    decide(make_api, world, house["id"], "active")
    suspend = member.post(f"/api/v1/packing-houses/{house['id']}/status", json={"status": "suspended", "reason": "x"})
    assert suspend.status_code == 403
    db.session.expire_all()
    assert db.session.get(PackingHouse, house["id"]).status == CodeStatus.ACTIVE


def test_ids_beyond_the_integer_range_answer_404(make_api, world):
    member = make_api(world.member_a, "en")
    base = f"/api/v1/packing-houses/{TOO_BIG}"
    assert member.get(base).status_code == 404
    assert patch(member, base, {"name": "X"}).status_code == 404
    assert member.get(f"{base}/history").status_code == 404
    assert member.get(f"/api/v1/packing-houses/{2**63}").status_code == 404


def test_revoked_house_can_no_longer_be_edited(db, make_api, world):
    house = apply(make_api, world.member_a)
    decide(make_api, world, house["id"], "active")
    decide(make_api, world, house["id"], "revoked", reason="Không còn hoạt động")
    response = patch(make_api(world.member_a, "en"), f"/api/v1/packing-houses/{house['id']}", {"name": "Mới"})
    assert response.status_code == 409
    db.session.expire_all()
    assert db.session.get(PackingHouse, house["id"]).name == BODY["name"]


def test_patch_refuses_fields_outside_the_record(db, make_api, world):
    house = apply(make_api, world.member_a)
    api = make_api(world.member_a, "en")
    response = patch(api, f"/api/v1/packing-houses/{house['id']}", {"organization_id": world.org_b.id})
    assert response.status_code == 422
    blank = patch(api, f"/api/v1/packing-houses/{house['id']}", {"name": "\u200b\u200b"})
    assert blank.status_code == 422 and blank.json["errors"] == {"name": ["This field is required."]}
    commune = patch(api, f"/api/v1/packing-houses/{house['id']}", {"commune_code": ""})
    assert commune.status_code == 422 and commune.json["errors"] == {"commune_code": ["Choose the commune."]}
    db.session.expire_all()
    row = db.session.get(PackingHouse, house["id"])
    assert row.organization_id == world.org_a.id and row.name == BODY["name"] and row.commune_code == "07999"


def test_list_active_for_offers_only_active_houses_of_the_callers_organization(db, make_api, world):
    a_active = apply(make_api, world.member_a, name="B Cơ sở A hoạt động")
    apply(make_api, world.member_a, name="A Cơ sở A chờ duyệt")
    a_suspended = apply(make_api, world.member_a, name="C Cơ sở A tạm dừng")
    b_active = apply(make_api, world.member_b, name="A Cơ sở B hoạt động")
    for house in (a_active, a_suspended, b_active):
        decide(make_api, world, house["id"], "active")
    decide(make_api, world, a_suspended["id"], "suspended", reason="Vi phạm vệ sinh")
    db.session.expire_all()

    def names(user):
        return [h.name for h in services.list_active_for(db.session, user)]

    assert names(world.member_a) == ["B Cơ sở A hoạt động"]
    assert names(world.member_b) == ["A Cơ sở B hoạt động"]
    assert names(world.auditor) == ["A Cơ sở B hoạt động", "B Cơ sở A hoạt động"]
    got = services.get_packing_house(db.session, actor=world.member_a, house_id=a_active["id"])
    assert got.id == a_active["id"]


# ---- pages ----


def login_as(app, user):
    browser = app.test_client()
    page = browser.get("/login")
    response = browser.post(
        "/login", data={"email": user.email, "password": "correct-horse-42", "csrf_token": csrf_token(page)}
    )
    assert response.status_code == 302
    return browser


def test_pages_of_another_organization_answer_404(app, db, make_api, world):
    house = apply(make_api, world.member_a)
    other = login_as(app, world.member_b)
    listing = other.get("/packing-houses")
    assert listing.status_code == 200 and BODY["name"] not in listing.get_data(as_text=True)
    token = csrf_token(listing)
    base = f"/packing-houses/{house['id']}"
    assert other.get(base).status_code == 404
    assert other.get(f"{base}/edit").status_code == 404
    edit = other.post(f"{base}/edit", data={"csrf_token": token, "name": "Chiếm", "commune_code": "07996"})
    assert edit.status_code == 404
    assert other.post(f"{base}/withdraw", data={"csrf_token": token, "reason": "x"}).status_code == 404
    assert other.post(f"{base}/status", data={"csrf_token": token, "status": "refused"}).status_code == 404
    assert other.get(f"{base}/inspections/new").status_code == 404
    assert other.get(f"/packing-houses/{TOO_BIG}").status_code == 404
    assert other.get(f"/packing-houses/{TOO_BIG}/edit").status_code == 404
    db.session.expire_all()
    row = db.session.get(PackingHouse, house["id"])
    assert row.name == BODY["name"] and row.status == CodeStatus.PENDING


def test_member_page_shows_withdraw_but_no_decision(app, db, make_api, world):
    house = apply(make_api, world.member_a)
    member = login_as(app, world.member_a)
    detail = member.get(f"/packing-houses/{house['id']}")
    html = detail.get_data(as_text=True)
    assert detail.status_code == 200
    assert f'action="/packing-houses/{house["id"]}/withdraw"' in html
    assert f'action="/packing-houses/{house["id"]}/status"' not in html
    assert "/inspections/new" not in html
    before = count(db, StatusChange)
    member.post(
        f"/packing-houses/{house['id']}/status",
        data={"csrf_token": csrf_token(detail), "status": "active", "confirm": "y"},
    )
    db.session.expire_all()
    assert db.session.get(PackingHouse, house["id"]).status == CodeStatus.PENDING
    assert count(db, StatusChange) == before
    withdrawn = member.post(
        f"/packing-houses/{house['id']}/withdraw",
        data={"csrf_token": csrf_token(detail), "reason": "Không làm nữa", "confirm": "y"},
    )
    assert withdrawn.status_code == 302
    db.session.expire_all()
    assert db.session.get(PackingHouse, house["id"]).status == CodeStatus.WITHDRAWN
    after = member.get(f"/packing-houses/{house['id']}").get_data(as_text=True)
    assert f"/packing-houses/{house['id']}/edit" not in after and "Không làm nữa" in after


def test_inspector_is_never_offered_the_form(app, db, world):
    auditor = login_as(app, world.auditor)
    listing = auditor.get("/packing-houses")
    assert listing.status_code == 200 and "/packing-houses/new" not in listing.get_data(as_text=True)
    assert auditor.get("/packing-houses/new").status_code == 403
    before = count(db)
    posted = auditor.post(
        "/packing-houses/new",
        data={"csrf_token": csrf_token(listing), "name": "X", "organization_id": world.org_a.id,
              "commune_code": "07999", "capacity_t_per_day": "3"},
    )  # fmt: skip
    assert posted.status_code == 403 and count(db) == before


def test_list_page_filters_by_status_and_links_every_row(app, db, make_api, world):
    pending = apply(make_api, world.member_a, name="Cơ sở chờ")
    active = apply(make_api, world.member_a, name="Cơ sở đã cấp")
    decide(make_api, world, active["id"], "active")
    member = login_as(app, world.member_a)
    everything = member.get("/packing-houses").get_data(as_text=True)
    for house in (pending, active):
        assert f'href="/packing-houses/{house["id"]}"' in everything
    only_active = member.get("/packing-houses?status=active").get_data(as_text=True)
    assert "Cơ sở đã cấp" in only_active and "Cơ sở chờ" not in only_active
    assert "VN-25-07999-DG001" in only_active
    assert member.get("/packing-houses?status=closed").status_code == 422
    assert member.get("/packing-houses?page=0").status_code == 422


def test_suspended_through_the_inspection_page(app, db, make_api, world):
    house = apply(make_api, world.member_a)
    decide(make_api, world, house["id"], "active")
    auditor = login_as(app, world.auditor)
    detail = auditor.get(f"/packing-houses/{house['id']}")
    assert f'href="/packing-houses/{house["id"]}/inspections/new"' in detail.get_data(as_text=True)
    form = auditor.get(f"/packing-houses/{house['id']}/inspections/new")
    assert form.status_code == 200
    data = {"csrf_token": csrf_token(form), "inspected_on": "2026-11-02", "inspector_name": "Lê Văn Nam",
            "conclusion": "suspend", "reason": ""}  # fmt: skip
    before = count(db, Inspection)
    missing = auditor.post(f"/packing-houses/{house['id']}/inspections/new", data=data)
    assert missing.status_code == 422 and count(db, Inspection) == before
    data["reason"] = "Kho lạnh không đạt nhiệt độ"
    saved = auditor.post(f"/packing-houses/{house['id']}/inspections/new", data=data)
    assert saved.status_code == 302 and saved.headers["Location"].endswith(f"/packing-houses/{house['id']}")
    db.session.expire_all()
    row = db.session.get(PackingHouse, house["id"])
    assert row.status == CodeStatus.SUSPENDED and count(db, Inspection) == before + 1
    assert row.history[-1].inspection_id == row.inspections[0].id
    page = auditor.get(f"/packing-houses/{house['id']}").get_data(as_text=True)
    assert "Kho lạnh không đạt nhiệt độ" in page and "02/11/2026" in page
    member_view = make_api(world.member_a).get(f"/api/v1/packing-houses/{house['id']}/inspections")
    assert member_view.status_code == 200 and [i["conclusion"] for i in member_view.json] == ["suspend"]


def test_edit_page_for_a_closed_house_is_refused(app, db, make_api, world):
    house = apply(make_api, world.member_a)
    decide(make_api, world, house["id"], "refused", reason="Hồ sơ thiếu")
    member = login_as(app, world.member_a)
    page = member.get(f"/packing-houses/{house['id']}/edit")
    assert page.status_code == 409
    assert "Mã số này đã bị từ chối; không thể sửa hồ sơ nữa." in page.get_data(as_text=True)
    posted = member.post(
        f"/packing-houses/{house['id']}/edit",
        data={"csrf_token": csrf_token(member.get("/packing-houses")), "name": "Mới", "commune_code": "07999"},
    )
    assert posted.status_code == 409
    db.session.expire_all()
    assert db.session.get(PackingHouse, house["id"]).name == BODY["name"]
    inspector = login_as(app, world.auditor)
    assert inspector.get(f"/packing-houses/{house['id']}/edit").status_code == 403


@pytest.mark.parametrize(
    ("language", "message"),
    [("en", "Enter the capacity in tonnes a day, greater than 0."), ("vi", "Nhập công suất theo tấn/ngày, lớn hơn 0.")],
)
def test_form_errors_in_both_languages(app, db, world, language, message):
    member = login_as(app, world.member_a)
    form = member.get("/packing-houses/new", headers={"Accept-Language": language})
    data = {"csrf_token": csrf_token(form), "name": "Cơ sở", "organization_id": world.org_a.id, "province": "25",
            "commune_code": "07999", "capacity_t_per_day": "0", "code": "", "legacy_place": ""}  # fmt: skip
    before = count(db)
    response = member.post("/packing-houses/new", data=data, headers={"Accept-Language": language})
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert count(db) == before
