"""The public code lookup shows a granted code's status and valid certificates, and nothing private."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from registry.lifecycle.models import CodeStatus
from tests.registry.codes.conftest import PRIVATE_HOUSEHOLD, PRIVATE_PHONE

JSON = {"Accept": "application/json"}


def private_strings(world):
    return [PRIVATE_HOUSEHOLD, PRIVATE_PHONE, world.org_a.tax_code, "auditor@test.example", "Lý do nội bộ", "Xóm 3"]


def test_json_for_an_area_in_any_case_and_spacing(client, world, public):
    response = client.get("/codes/" + quote(f" {world.area_a.code.lower()} "), headers=JSON)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=60"
    body = response.json
    assert body["subject"] == "growing_area"
    assert body["code"] == world.area_a.code
    assert body["status"] == "active"
    assert body["kind"] == "export"
    assert body["markets"] == ["CN", "US"]
    assert body["crop"] == "pomelo"
    assert (body["commune"], body["province"]) == ("Xã Chí Đám", "Phú Thọ")
    assert body["area_ha"] == "12.5000"
    assert body["organization"] == "HTX Bưởi Chí Đám"
    assert body["certificates"] == [
        {
            "scheme": "vietgap",
            "number": "VG-VALID-01",
            "issuer": "Trung tâm Chứng nhận Phù hợp QUACERT",
            "expires_on": public.valid_cert.expires_on.isoformat(),
        }
    ]
    text = response.get_data(as_text=True)
    for secret in private_strings(world) + ["VG-EXPIRED-02", "VG-REVOKED-03", "households", "phone", "tax"]:
        assert secret not in text, secret


def test_html_shows_status_and_valid_certificates_only(client, world, public):
    response = client.get(f"/codes/{world.area_a.code}?lang=en")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=60"
    html = response.get_data(as_text=True)
    assert '<span class="badge active">active</span>' in html
    assert "This code is active." in html
    assert "VG-VALID-01" in html
    assert "VG-EXPIRED-02" not in html and "VG-REVOKED-03" not in html
    assert "HTX Bưởi Chí Đám" in html
    assert "CN" in html and "US" in html
    for secret in private_strings(world):
        assert secret not in html, secret


def test_html_in_vietnamese(client, world, public):
    html = client.get(f"/codes/{world.area_a.code}").get_data(as_text=True)
    assert '<html lang="vi">' in html
    assert '<span class="badge active">đang hiệu lực</span>' in html
    assert "Hữu cơ" not in html  # the scheme shown is VietGAP
    assert "VietGAP" in html
    assert public.valid_cert.expires_on.strftime("%d/%m/%Y") in html
    for secret in private_strings(world):
        assert secret not in html, secret


def test_suspended_code_says_so_prominently(client, world, public):
    response = client.get(f"/codes/{public.suspended.code.lower()}?lang=en")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'role="alert"' in html
    assert "This code has been SUSPENDED since" in html
    assert client.get(f"/codes/{public.suspended.code}", headers=JSON).json["status"] == "suspended"


def test_revoked_code_says_so(client, world, public, db):
    public.suspended.status = CodeStatus.REVOKED
    db.session.commit()
    html = client.get(f"/codes/{public.suspended.code}?lang=en").get_data(as_text=True)
    assert "This code has been REVOKED since" in html
    assert '<span class="badge revoked">revoked</span>' in html


def test_packing_house_code(client, world, public):
    body = client.get("/codes/vn-25-07999-dg001", headers=JSON).json
    assert body["subject"] == "packing_house"
    assert body["code"] == "VN-25-07999-DG001"
    assert body["status"] == "active"
    assert body["certificates"] == []
    assert "Xóm 3" not in str(body)


@pytest.mark.parametrize("status", ["pending", "withdrawn", "refused"])
def test_codes_never_granted_are_404(client, world, public, db, status):
    public.pending.status = CodeStatus(status)
    db.session.commit()
    assert client.get(f"/codes/{public.pending.code}").status_code == 404
    response = client.get(f"/codes/{public.pending.code}", headers=JSON)
    assert response.status_code == 404
    assert "VN-25-07996-555" in response.json["message"]
    assert public.pending.name not in response.get_data(as_text=True)


def test_unknown_code_404_in_both_languages(client, world, public):
    response = client.get("/codes/VN-00-00000-000?lang=en", headers=JSON)
    assert response.status_code == 404
    assert response.json["message"] == "No growing-area or packing-house code VN-00-00000-000 is registered."
    assert client.get("/codes/VN-00-00000-000").status_code == 404


def test_search_form_redirects(client, world, public):
    response = client.get("/codes?code=" + quote(" vn-25-07999-dg001 "))
    assert response.status_code == 302
    assert response.headers["Location"] == "/codes/VN-25-07999-DG001"
    page = client.get("/codes?lang=en")
    assert page.status_code == 200
    assert 'name="code"' in page.get_data(as_text=True)
    assert 'action="/codes"' in client.get(f"/codes/{world.area_a.code}").get_data(as_text=True)


def test_a_signed_in_page_is_never_kept_by_a_shared_cache(client, world, login):
    login(world.auditor.email)
    response = client.get(f"/codes/{world.area_a.code}")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"
