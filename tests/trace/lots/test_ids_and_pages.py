"""Ids the database cannot hold, case-blind lot codes, links between pages and escaped notices."""

import re

import pytest

from tests.conftest import csrf_token
from tests.trace.conftest import lot_body, lot_count, patch

TOO_BIG = 2**31


@pytest.mark.parametrize("field", ["product_id", "growing_area_id", "packing_house_id"])
@pytest.mark.parametrize("value", [TOO_BIG, 2**64, 1.5, "7"])
def test_ids_in_a_body_beyond_integer_are_field_errors(db, make_api, world, field, value):
    response = make_api(world.member_a, "en").post("/api/v1/lots", json=lot_body(world, **{field: value}))
    assert response.status_code == 422, response.json
    assert field in response.json["errors"]
    assert lot_count(db) == 0


@pytest.mark.parametrize("field", ["product_id", "growing_area_id", "packing_house_id"])
def test_ids_beyond_integer_in_a_patch_are_field_errors(db, make_api, world, lot_a, field):
    response = patch(make_api(world.member_a, "en"), f"/api/v1/lots/{lot_a['id']}", {field: TOO_BIG})
    assert response.status_code == 422, response.json
    assert field in response.json["errors"]


@pytest.mark.parametrize(
    "path",
    [
        f"/api/v1/lots/{TOO_BIG}",
        f"/api/v1/lots/{2**64}",
        f"/api/v1/lots/{TOO_BIG}/label.png",
        f"/api/v1/lots/{TOO_BIG}/label.svg",
    ],
)
def test_lot_ids_beyond_integer_in_api_paths_are_not_found(make_api, world, path):
    api = make_api(world.member_a)
    assert api.get(path).status_code == 404
    if not path.endswith((".png", ".svg")):
        assert patch(api, path, {"quantity": "1"}).status_code == 404
        assert api.post(path + "/void", json={"reason": "x"}).status_code == 404


@pytest.mark.parametrize(
    "path", [f"/lots/{TOO_BIG}", f"/lots/{TOO_BIG}/edit", f"/lots/{TOO_BIG}/label", f"/lots/{TOO_BIG}/label.png"]
)
def test_lot_ids_beyond_integer_in_page_paths_are_not_found(world, login, path):
    assert login(world.member_a.email).get(path).status_code == 404


def test_codes_differing_only_in_case_are_the_same_lot(db, make_api, world):
    api = make_api(world.member_a, "en")
    assert api.post("/api/v1/lots", json=lot_body(world, code="DH-2511-003")).status_code == 201
    response = api.post("/api/v1/lots", json=lot_body(world, code="dh-2511-003"))
    assert response.status_code == 422
    assert response.json["errors"] == {
        "code": [
            "Lot DH-2511-003 already exists for this product; dh-2511-003 differs only in capital letters, "
            "which nobody can tell apart on a label."
        ]
    }
    vi = make_api(world.member_a, "vi").post("/api/v1/lots", json=lot_body(world, code="Dh-2511-003"))
    assert vi.status_code == 422 and vi.json["errors"]["code"][0].startswith("Lô DH-2511-003 đã có cho sản phẩm này")
    assert lot_count(db) == 1


def test_lot_list_rows_link_to_lots_and_the_lot_page_links_onwards(db, make_api, world, houses, login):
    created = (
        make_api(world.member_a).post("/api/v1/lots", json=lot_body(world, packing_house_id=houses.active_a.id)).json
    )
    client = login(world.member_a.email)
    listing = client.get("/lots").get_data(as_text=True)
    assert f'<a href="/lots/{created["id"]}">DH-2511-001</a>' in listing
    html = client.get(f"/lots/{created['id']}").get_data(as_text=True)
    assert f'href="/products/{world.product_a.id}"' in html
    assert f'href="/areas/{world.area_a.id}"' in html
    assert "VN-25-07999-DG001" in html and "Nhà đóng gói Chí Đám" in html
    assert f'href="/lots/{created["id"]}/edit"' in html


@pytest.mark.parametrize("code", ['A&B"1', "O'K-1", "X&Y'Z\""])
def test_recorded_notice_escapes_the_code(db, world, login, code):
    client = login(world.member_a.email)
    page = client.get("/lots/new")
    response = client.post("/lots/new", data={**lot_body(world, code=code), "csrf_token": csrf_token(page)})
    assert response.status_code == 302, response.get_data(as_text=True)
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    escaped = code.replace("&", "&amp;").replace('"', "&#34;").replace("'", "&#39;")
    notice = re.search(r'<div class="alert success" role="status">([^<]*)</div>', html)
    assert notice, html
    assert notice.group(1) == f"Đã ghi nhận lô hàng {escaped}."
    assert code not in html
    assert lot_count(db, code=code) == 1
