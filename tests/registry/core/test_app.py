"""The application shell: health, OpenAPI, Bearer-only API, CSRF, JSON input handling, pagination, scope."""

import json

import sqlalchemy as sa

from registry.core.app import create_app
from registry.core.config import TestConfig
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
    response = api.post("/api/v1/products", json={"name": "Bưởi\u0001", "crop": "pomelo", "description": "a\u0007"})
    assert response.status_code == 422
    assert set(response.json["errors"]) == {"name", "description"}
    ok = api.post("/api/v1/products", json={"name": "Bưởi", "crop": "pomelo", "description": "Dòng 1\nDòng 2\tcó tab"})
    assert ok.status_code == 201
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Product)) == 4


def test_malformed_json_body(make_api, world):
    api = make_api(world.member_a, "en")
    response = api.post("/api/v1/products", data="{not json", headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.json["errors"] == {"_json": ["Invalid JSON body."]}
    vi = make_api(world.member_a, "vi").post("/api/v1/products", data="{", headers={"Content-Type": "application/json"})
    assert vi.json["errors"] == {"_json": ["Nội dung JSON không hợp lệ."]}


def test_pagination_header(make_api, world):
    api = make_api(world.auditor)
    response = api.get("/api/v1/products?page=1&page_size=2")
    assert response.status_code == 200
    assert len(response.json) == 2
    pagination = json.loads(response.headers["X-Pagination"])
    assert pagination["total"] == 3 and pagination["total_pages"] == 2
    assert len(api.get("/api/v1/products?page=2&page_size=2").json) == 1


def test_member_sees_only_own_records_over_api(make_api, world):
    api = make_api(world.member_a)
    assert {a["id"] for a in api.get("/api/v1/areas").json} == {world.area_a.id}
    assert api.get(f"/api/v1/areas/{world.area_b.id}").status_code == 404
    assert api.get(f"/api/v1/products/{world.product_b.id}").status_code == 404
    assert api.get(f"/api/v1/organizations/{world.org_b.id}").status_code == 404


def test_forms_without_csrf_token_are_refused(client, world, login):
    assert client.post("/login", data={"email": world.member_a.email, "password": "x"}).status_code == 400
    login(world.member_a.email)
    response = client.post("/products/new", data={"name": "Bưởi", "crop": "pomelo", "organization_id": world.org_a.id})
    assert response.status_code == 400
    assert client.post("/logout").status_code == 400
