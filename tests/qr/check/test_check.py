"""Check a code: every form a person may bring, through the API and the page, in both languages."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from registry.core.validators import gtin14
from tests.qr.check.conftest import needs_translation

# ---------------------------------------------------------------- API


def test_area_code_with_spaces_and_lower_case(make_api, world, data):
    api = make_api(world.auditor, "en")
    response = api.get("/api/v1/check?q=" + quote(f"  {world.area_a.code.lower()} "))
    assert response.status_code == 200, response.json
    body = response.json
    assert body["kind"] == "growing_area"
    assert body["id"] == world.area_a.id
    assert body["status"] == "active"
    assert body["code"] == world.area_a.code
    assert body["organization"] == {"id": world.org_a.id, "name": "HTX Bưởi Chí Đám"}
    assert body["url"] == f"/areas/{world.area_a.id}"
    assert [h["to_status"] for h in body["history"]] == ["pending", "active"]
    assert body["history"][1]["reason"] == "Đủ điều kiện"
    assert body["history"][1]["actor"] == "auditor@test.example"
    assert body["claimed"] is False and body["claims"] == []
    assert body["label"] == f"Growing area {world.area_a.code} — {world.area_a.name} (HTX Bưởi Chí Đám): active"


def test_area_code_in_vietnamese(make_api, world, data):
    body = make_api(world.admin, "vi").get("/api/v1/check?q=" + quote(world.area_a.code.lower())).json
    assert body["kind"] == "growing_area"
    assert body["status_label"] == "đang hiệu lực"
    assert body["kind_label"] == "Vùng trồng"


def test_packing_house_code(make_api, world, data):
    body = make_api(world.auditor, "en").get("/api/v1/check?q=vn-25-07999-dg001").json
    assert body["kind"] == "packing_house"
    assert body["id"] == data.house.id
    assert body["status"] == "active"
    assert body["code"] == "VN-25-07999-DG001"
    assert body["organization"]["name"] == "HTX Bưởi Chí Đám"


def test_pending_claim_is_claimed_not_confirmed(make_api, world, data):
    response = make_api(world.auditor, "en").get("/api/v1/check?q=vn-25-07996-777")
    assert response.status_code == 200
    body = response.json
    assert body["kind"] == "growing_area"
    assert body["id"] == data.claim.id
    assert body["status"] == "pending"
    assert body["claimed"] is True
    assert body["label"].endswith("claimed, not confirmed")


def test_confirmed_code_also_mentions_claims_of_it(make_api, world, data, db):
    from tests.factories import AreaFactory

    other = AreaFactory(organization=world.org_b, code=None, claimed_code=world.area_a.code, status="pending")
    db.session.commit()
    body = make_api(world.auditor, "en").get("/api/v1/check?q=" + world.area_a.code).json
    assert body["id"] == world.area_a.id and body["claimed"] is False
    assert [(c["kind"], c["id"], c["status"]) for c in body["claims"]] == [("growing_area", other.id, "pending")]


def test_gtin13_finds_the_product(make_api, world, data):
    gtin13 = world.product_a.gtin[1:]
    assert len(gtin13) == 13 and gtin14(gtin13) == world.product_a.gtin
    body = make_api(world.auditor, "en").get(f"/api/v1/check?q={gtin13}").json
    assert body["kind"] == "product"
    assert body["id"] == world.product_a.id
    assert body["code"] == world.product_a.gtin
    assert body["url"] == f"/products/{world.product_a.id}"
    assert body["organization"]["id"] == world.org_a.id


def test_digital_link_with_percent_encoded_lot_and_query(make_api, world, data):
    url = f"https://example.org/01/{world.product_a.gtin}/10/{quote('DH/2511-a', safe='')}?utm=x#top"
    assert "%2F" in url
    body = make_api(world.auditor, "en").get("/api/v1/check?q=" + quote(url, safe="")).json
    assert body["kind"] == "lot"
    assert body["id"] == data.lot.id
    assert body["code"] == "DH/2511-a"
    assert body["status"] == "active"
    assert body["area_code"] == world.area_a.code
    assert body["url"] == f"/lots/{data.lot.id}"
    assert body["organization"]["id"] == world.org_a.id


def test_digital_link_lot_is_case_blind(make_api, world, data):
    path = f"/01/{world.product_a.gtin}/10/dh%2F2511-A"
    body = make_api(world.auditor, "en").get("/api/v1/check?q=" + quote(path, safe="")).json
    assert (body["kind"], body["id"]) == ("lot", data.lot.id)


def test_short_link_url_and_bare_path(make_api, world, data):
    api = make_api(world.auditor, "en")
    token = data.short_lot.public_token
    for q in (f"https://vungtrong.example.vn/l/{token}", f"/l/{token}"):
        body = api.get("/api/v1/check?q=" + quote(q, safe="")).json
        assert (body["kind"], body["id"], body["code"]) == ("lot", data.short_lot.id, "KG-01"), q


def test_bare_digital_link_path(make_api, world, data):
    path = f"/01/{world.product_a.gtin}/10/DH%2F2511-a"
    body = make_api(world.auditor, "en").get("/api/v1/check?q=" + quote(path, safe="")).json
    assert (body["kind"], body["id"]) == ("lot", data.lot.id)


def test_voided_lot_says_voided(make_api, world, data, db):
    from tests.registry.desk.rows import make_lot

    voided = make_lot(db.session, product=world.product_a, area=world.area_a, code="OLD-1", voided=True)
    db.session.commit()
    body = make_api(world.auditor, "en").get(f"/api/v1/check?q=/l/{voided.public_token}").json
    assert body["status"] == "voided"
    assert body["void_reason"] == "Nhãn in sai"


def test_unknown_is_404_in_english(make_api, world, data):
    response = make_api(world.auditor, "en").get("/api/v1/check?q=VN-99-00000-999")
    assert response.status_code == 404
    assert response.json["message"] == "No code matches “VN-99-00000-999”."


def test_unknown_is_404_in_vietnamese(make_api, world, data):
    response = make_api(world.auditor, "vi").get("/api/v1/check?q=VN-99-00000-999")
    assert response.status_code == 404
    needs_translation("No code matches “%(q)s”.")
    assert response.json["message"] == "Không tìm thấy mã nào khớp với “VN-99-00000-999”."


@pytest.mark.parametrize(
    "q",
    ["1234567", "/01/09520123000000/10/X", "/l/nope", "https://x.example/somewhere", "https://x.example/01/abc"],
)
def test_other_inputs_match_nothing(make_api, world, data, q):
    assert make_api(world.auditor, "en").get("/api/v1/check?q=" + quote(q, safe="")).status_code == 404


@pytest.mark.parametrize("q", ["", "   "])
def test_empty_query_is_422(make_api, world, data, q):
    response = make_api(world.auditor, "en").get("/api/v1/check?q=" + quote(q))
    assert response.status_code == 422
    assert response.json["errors"] == {"q": ["Enter a code, a GTIN or a label link."]}
    assert make_api(world.auditor, "en").get("/api/v1/check").status_code == 422


def test_member_gets_403(make_api, world, data):
    response = make_api(world.member_a, "en").get("/api/v1/check?q=" + world.area_a.code)
    assert response.status_code == 403
    assert world.area_a.code not in response.get_data(as_text=True)
    assert response.json["message"] == "Only the provincial department can do this."


def test_no_token_is_401(client, world, data):
    assert client.get("/api/v1/check?q=" + world.area_a.code).status_code == 401


# ---------------------------------------------------------------- page


def test_page_shows_the_area(login, world, data):
    client = login("auditor@test.example")
    response = client.get("/check?lang=en&q=" + quote(f" {world.area_a.code.lower()} "))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f'href="/areas/{world.area_a.id}"' in html
    assert '<span class="badge active">active</span>' in html
    assert "HTX Bưởi Chí Đám" in html
    assert "Đủ điều kiện" in html  # the history's reason


def test_page_in_vietnamese(login, world, data):
    client = login("auditor@test.example")
    html = client.get("/check?q=" + quote(world.area_a.code)).get_data(as_text=True)
    assert '<html lang="vi">' in html
    assert '<span class="badge active">đang hiệu lực</span>' in html


def test_page_shows_a_lot_from_a_short_link(login, world, data):
    client = login("admin@test.example")
    html = client.get(
        "/check?lang=en&q=" + quote(f"https://h.example/l/{data.short_lot.public_token}", safe="")
    ).get_data(as_text=True)
    assert f'href="/lots/{data.short_lot.id}"' in html
    assert "KG-01" in html
    assert f'href="/areas/{world.area_a.id}"' in html


def test_page_without_query_is_the_form(login, world, data):
    response = login("auditor@test.example").get("/check")
    assert response.status_code == 200
    assert 'name="q"' in response.get_data(as_text=True)


def test_page_unknown_404_and_empty_422(login, world, data):
    client = login("auditor@test.example")
    response = client.get("/check?lang=en&q=" + quote("<b>nope</b>"))
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "No code matches “&lt;b&gt;nope&lt;/b&gt;”." in html
    assert "<b>nope</b>" not in html
    response = client.get("/check?lang=en&q=")
    assert response.status_code == 422
    assert "Enter a code, a GTIN or a label link." in response.get_data(as_text=True)


def test_page_unknown_in_vietnamese(login, world, data):
    response = login("auditor@test.example").get("/check?q=ZZ-404")
    assert response.status_code == 404
    needs_translation("No code matches “%(q)s”.")
    assert "Không tìm thấy mã nào khớp với “ZZ-404”." in response.get_data(as_text=True)


def test_page_member_403_and_anonymous_to_login(client, login, world, data):
    anonymous = client.get("/check?q=x")
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    assert login("a@test.example").get("/check?q=" + world.area_a.code).status_code == 403


def test_public_code_page_url_and_element_string(make_api, world, data):
    api = make_api(world.auditor, "en")
    body = api.get("/api/v1/check?q=" + quote("https://h.example/codes/vn-25-07999-dg001", safe="")).json
    assert (body["kind"], body["id"]) == ("packing_house", data.house.id)
    body = api.get("/api/v1/check?q=" + quote(f"(01){world.product_a.gtin}(10)DH/2511-a", safe="")).json
    assert (body["kind"], body["id"]) == ("lot", data.lot.id)
