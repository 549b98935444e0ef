"""What a hostile client sends answers 4xx with a message, on SQLite and PostgreSQL alike, and stores nothing."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from registry.products.models import Product

TOO_BIG = 2**31  # PostgreSQL INTEGER stops at 2**31 - 1


def product_count(db) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Product))


@pytest.mark.parametrize(
    "path",
    [
        f"/api/v1/areas/{TOO_BIG}",
        f"/api/v1/products/{TOO_BIG}",
        f"/api/v1/organizations/{TOO_BIG}",
        f"/api/v1/lots/{TOO_BIG}",
        f"/api/v1/lots/{TOO_BIG}/label.png",
        "/api/v1/areas/99999999999999999999999",
    ],
)
def test_ids_beyond_the_integer_range_in_a_path_are_not_found(make_api, world, path):
    response = make_api(world.auditor, "en").get(path)
    assert response.status_code == 404
    assert response.json["code"] == 404


def test_ids_beyond_the_integer_range_on_pages_are_not_found(client, world, login):
    login(world.member_a.email)
    for path in (f"/areas/{TOO_BIG}", f"/lots/{TOO_BIG}", f"/lots/{TOO_BIG}/label"):
        assert client.get(path).status_code == 404, path


def test_an_id_beyond_the_range_in_a_body_is_a_field_error(db, make_api, world):
    before = product_count(db)
    response = make_api(world.admin, "en").post(
        "/api/v1/products", json={"name": "Bưởi", "crop": "pomelo", "organization_id": TOO_BIG}
    )
    assert response.status_code == 422
    assert response.json["errors"] == {"organization_id": ["Organization not found."]}
    assert product_count(db) == before


@pytest.mark.parametrize("page", ["9223372036854775807", "100001", "0", "-3"])
def test_a_page_past_the_range_is_a_field_error(client, make_api, world, login, page):
    response = make_api(world.auditor, "en").get(f"/api/v1/areas?page={page}")
    assert response.status_code == 422
    if page not in ("0", "-3"):  # flask-smorest refuses those itself, under the same field name
        assert response.json["errors"]["page"] == ["The page number is between 1 and 100000."]
    login(world.auditor.email)
    assert client.get(f"/areas?page={page}").status_code == 422


def test_nul_in_a_json_string_is_a_field_error(db, make_api, world):
    before = product_count(db)
    api = make_api(world.member_a, "en")
    response = api.post("/api/v1/areas", json={"name": "Vùng", "kind": "domestic", "crop": "pomelo",
                                                "area_ha": "5", "commune_code": "a\u0000b"})  # fmt: skip
    assert response.status_code == 422
    assert response.json["errors"] == {"commune_code": ["Remove the invisible control characters from this text."]}
    vi = make_api(world.member_a, "vi").post("/api/v1/products", json={"name": "x\u0000", "crop": "pomelo"})
    assert (
        vi.status_code == 422
        and vi.json["errors"]["name"][0] != "Remove the invisible control characters from this text."
    )
    assert product_count(db) == before


def test_deeply_nested_json_is_refused(db, make_api, world):
    api = make_api(world.member_a, "en")
    body = "[" * 100_000 + "]" * 100_000
    response = api.post("/api/v1/products", data=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.json["errors"] == {"_json": ["Invalid JSON body."]}


def test_a_lone_surrogate_is_refused(db, make_api, world):
    before = product_count(db)
    api = make_api(world.member_a, "en")
    body = '{"name": "\\ud800", "crop": "pomelo"}'
    response = api.post("/api/v1/products", data=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert product_count(db) == before


def test_a_body_over_the_limit_is_413(app, make_api, world):
    api = make_api(world.member_a, "en")
    big = json.dumps({"name": "x" * (app.config["MAX_CONTENT_LENGTH"] + 1), "crop": "pomelo"})
    response = api.post("/api/v1/products", data=big, headers={"Content-Type": "application/json"})
    assert response.status_code == 413
    assert response.json["code"] == 413


def test_a_method_a_route_lacks_is_405_with_allow(make_api, world, client):
    api = make_api(world.member_a, "en")
    response = api.client.open("/api/v1/products", method="TRACE", headers=api._headers())
    assert response.status_code == 405
    assert set(response.headers["Allow"].replace(" ", "").split(",")) >= {"GET", "POST"}
    assert response.json["code"] == 405
    page = client.open("/healthz", method="DELETE")
    assert page.status_code == 405 and "GET" in page.headers["Allow"]


@pytest.mark.parametrize("name", ["\u200b\u200b", "   ", "\ufeff", "\u2060 \u200d"])
def test_a_name_of_only_blank_or_zero_width_characters(db, make_api, world, name):
    before = product_count(db)
    response = make_api(world.member_a, "en").post("/api/v1/products", json={"name": name, "crop": "pomelo"})
    assert response.status_code == 422
    assert response.json["errors"]["name"] == ["This field is required."]
    assert product_count(db) == before


def test_a_number_too_large_for_its_column(db, make_api, world):
    api = make_api(world.member_a, "en")
    body = {"name": "Vùng lớn", "kind": "domestic", "crop": "pomelo", "area_ha": "100000000", "commune_code": "07999"}
    response = api.post("/api/v1/areas", json=body)
    assert response.status_code == 422
    assert response.json["errors"]["area_ha"] == ["This number is too large; the largest accepted is 99,999,999."]
    vi = make_api(world.member_a, "vi").post("/api/v1/areas", json=body)
    assert "99.999.999" in vi.json["errors"]["area_ha"][0]  # Vietnamese groups thousands with dots
    body["area_ha"] = "1.00001"
    response = api.post("/api/v1/areas", json=body)
    assert response.status_code == 422
    assert response.json["errors"]["area_ha"] == ["Use at most 4 decimal places."]


def test_a_fractional_id_is_refused_not_truncated(db, make_api, world):
    """1.5 must not quietly become organization 1."""
    before = product_count(db)
    response = make_api(world.admin, "en").post(
        "/api/v1/products", json={"name": "Bưởi", "crop": "pomelo", "organization_id": 1.5}
    )
    assert response.status_code == 422
    assert response.json["errors"] == {"organization_id": ["Not a valid integer."]}
    assert product_count(db) == before
