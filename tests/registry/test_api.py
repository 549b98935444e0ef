import json

import sqlalchemy as sa

from registry.areas.models import GrowingArea
from registry.core.app import create_app
from registry.core.config import TestConfig
from registry.organizations.models import Organization
from registry.products.models import Product


def test_api_requires_a_bearer_token(client, world):
    response = client.get("/api/v1/areas")
    assert response.status_code == 401
    assert response.json["code"] == 401
    assert "Bearer" in response.json["message"]
    assert client.get("/api/v1/areas", headers={"Authorization": "Bearer nope"}).status_code == 401


def test_session_cookie_alone_does_not_open_the_api(client, world, login):
    login(world.member_a.email)
    assert client.get("/api/v1/areas").status_code == 401


def test_openapi_and_docs(client):
    spec = client.get("/api/openapi.json").json
    assert spec["openapi"].startswith("3.")
    for path in (
        "/api/v1/lots",
        "/api/v1/lots/{lot_id}",
        "/api/v1/lots/{lot_id}/label.png",
        "/api/v1/lots/{lot_id}/label.svg",
    ):
        assert path in spec["paths"], path
    assert "bearerAuth" in spec["components"]["securitySchemes"]
    assert client.get("/api/docs").status_code == 200


def test_healthz(client):
    assert client.get("/healthz").json == {"status": "ok", "database": "ok"}


def test_healthz_503_when_database_unreachable(tmp_path):
    app = create_app(TestConfig(f"sqlite:///{tmp_path}/missing-dir/x.db"))
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["database"] != "ok"


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


def test_unknown_json_fields_are_refused(db, make_api, world):
    api = make_api(world.member_a, "en")
    response = api.post("/api/v1/products", json={"name": "Bưởi", "crop": "pomelo", "colour": "yellow"})
    assert response.status_code == 422
    assert response.json["errors"] == {"colour": ["Unknown field."]}
    vi = make_api(world.member_a, "vi").post("/api/v1/products", json={"name": "Bưởi", "crop": "pomelo", "colour": "x"})
    assert vi.json["errors"]["colour"][0] != "Unknown field."
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Product)) == 3


def test_control_characters_in_text_are_a_field_error(db, make_api, world):
    api = make_api(world.member_a, "en")
    response = api.post("/api/v1/products", json={"name": "Bưởi\u0000", "crop": "pomelo", "description": "a\u0007"})
    assert response.status_code == 422
    assert set(response.json["errors"]) == {"name", "description"}
    ok = api.post("/api/v1/products", json={"name": "Bưởi", "crop": "pomelo", "description": "Dòng 1\nDòng 2\tcó tab"})
    assert ok.status_code == 201
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Product)) == 4


def test_wrong_gtin_check_digit(db, make_api, world):
    response = make_api(world.member_a, "en").post(
        "/api/v1/products", json={"name": "Bưởi", "crop": "pomelo", "gtin": "09506000134353"}
    )
    assert response.status_code == 422
    assert "check digit" in response.json["errors"]["gtin"][0]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Product)) == 3


def test_malformed_json_body(make_api, world):
    api = make_api(world.member_a, "en")
    response = api.post("/api/v1/products", data="{not json", headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.json["errors"] == {"_json": ["Invalid JSON body."]}
    vi = make_api(world.member_a, "vi").post("/api/v1/products", data="{", headers={"Content-Type": "application/json"})
    assert vi.json["errors"] == {"_json": ["Nội dung JSON không hợp lệ."]}


def test_organizations_by_department_only(db, make_api, world):
    body = {"name": "HTX Chè Tân Sơn", "kind": "cooperative", "tax_code": "2600999888", "commune_code": "08566"}
    assert make_api(world.member_a).post("/api/v1/organizations", json=body).status_code == 403
    response = make_api(world.auditor).post("/api/v1/organizations", json=body)
    assert response.status_code == 201
    assert response.json["commune"]["province_name"] == "Phú Thọ"
    again = make_api(world.auditor, "en").post("/api/v1/organizations", json=body)
    assert again.status_code == 422 and "tax_code" in again.json["errors"]
    assert db.session.scalar(sa.select(sa.func.count()).where(Organization.tax_code == "2600999888")) == 1


def test_pagination_header(make_api, world):
    api = make_api(world.auditor)
    response = api.get("/api/v1/products?page=1&page_size=2")
    assert response.status_code == 200
    assert len(response.json) == 2
    pagination = json.loads(response.headers["X-Pagination"])
    assert pagination["total"] == 3 and pagination["total_pages"] == 2
    assert len(api.get("/api/v1/products?page=2&page_size=2").json) == 1


def test_unknown_status_filter_is_a_field_error(client, make_api, world, login):
    response = make_api(world.member_a, "en").get("/api/v1/areas?status=bogus")
    assert response.status_code == 422
    assert response.json["errors"] == {"status": ["Unknown status."]}
    login(world.member_a.email)
    assert client.get("/areas?status=bogus").status_code == 422


def test_member_sees_only_own_records_over_api(make_api, world):
    api = make_api(world.member_a)
    assert {a["id"] for a in api.get("/api/v1/areas").json} == {world.area_a.id}
    assert api.get(f"/api/v1/areas/{world.area_b.id}").status_code == 404
    assert api.get(f"/api/v1/products/{world.product_b.id}").status_code == 404
    assert api.get(f"/api/v1/organizations/{world.org_b.id}").status_code == 404


def test_secure_cookies_follow_the_public_address(monkeypatch):
    from registry.core.config import Config

    monkeypatch.setenv("PUBLIC_BASE_URL", "https://truyxuat.phutho.gov.vn")
    assert Config().SESSION_COOKIE_SECURE is True
    monkeypatch.setenv("PUBLIC_BASE_URL", "http://localhost:5000")
    assert Config().SESSION_COOKIE_SECURE is False


def test_secret_key_from_environment_or_generated_once(tmp_path, monkeypatch):
    import stat

    from registry.core.config import _secret_key

    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = _secret_key(tmp_path)
    assert len(first) >= 64 and _secret_key(tmp_path) == first
    assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600
    assert _secret_key(tmp_path / "other") != first
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    assert _secret_key(tmp_path) == "from-the-environment"
