import sqlalchemy as sa

from registry.areas.models import GrowingArea


def test_member_creates_area_and_auditor_activates(make_api, world):
    member, auditor = make_api(world.member_a), make_api(world.auditor)
    response = member.post(
        "/api/v1/areas",
        json={
            "name": "Vùng bưởi Đồi Thông",
            "kind": "domestic",
            "crop": "pomelo",
            "area_ha": "4.2",
            "commune_code": "07999",
        },
    )
    assert response.status_code == 201, response.json
    area = response.json
    assert area["status"] == "pending" and area["code"] is None and area["status_label"] == "chờ duyệt"
    assert member.post(f"/api/v1/areas/{area['id']}/status", json={"status": "active"}).status_code == 403
    response = auditor.post(f"/api/v1/areas/{area['id']}/status", json={"status": "active"})
    assert response.status_code == 200
    assert response.json["status"] == "active"
    assert response.json["code"].startswith("VN-25-07999-")
    assert [h["to_status"] for h in response.json["history"]] == ["pending", "active"]


def test_revoked_cannot_come_back(make_api, world):
    auditor = make_api(world.auditor, "en")
    url = f"/api/v1/areas/{world.area_a.id}/status"
    assert auditor.post(url, json={"status": "revoked", "reason": "Dư lượng vượt ngưỡng"}).status_code == 200
    response = auditor.post(url, json={"status": "active"})
    assert response.status_code == 409
    assert "revoked" in response.json["message"]


def test_unknown_commune_in_both_languages_and_nothing_saved(db, make_api, world):
    body = {"name": "Vùng X", "kind": "domestic", "crop": "tea", "area_ha": "5", "commune_code": "99999"}
    before = db.session.scalar(sa.select(sa.func.count()).select_from(GrowingArea))
    vi = make_api(world.member_a, "vi").post("/api/v1/areas", json=body)
    en = make_api(world.member_a, "en").post("/api/v1/areas", json=body)
    assert vi.status_code == en.status_code == 422
    assert "99999" in en.json["errors"]["commune_code"][0] and "commune" in en.json["errors"]["commune_code"][0]
    assert "xã" in vi.json["errors"]["commune_code"][0].lower()
    assert vi.json["message"] != en.json["message"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(GrowingArea)) == before


def test_unknown_status_filter_is_a_field_error(client, make_api, world, login):
    response = make_api(world.member_a, "en").get("/api/v1/areas?status=bogus")
    assert response.status_code == 422
    assert response.json["errors"] == {"status": ["Unknown status."]}
    login(world.member_a.email)
    assert client.get("/areas?status=bogus").status_code == 422
