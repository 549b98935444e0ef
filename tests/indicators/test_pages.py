"""The dashboard, the records pages, the report download and the key products form, as people use them."""

from __future__ import annotations

import re

from tests.conftest import csrf_token


def test_the_department_reads_the_dashboard(login, province99):
    client = login(province99.auditor.email)
    page = client.get("/indicators?province=99&period=2026")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for code in ("KT-1", "KT-2", "KT-2D", "KT-3", "AREA-CODED", "LOTS", "SCANS"):
        assert f'id="fig-{code}"' in html
    kt1 = html[html.index('id="fig-KT-1"') : html.index('id="fig-KT-2"')]
    assert "33,3%" in kt1 and "2 trên 6" in kt1 and "Mục tiêu 70%" in kt1
    assert 'class="target-bar"' in kt1 and 'class="trend"' in kt1
    assert "/indicators/KT-1/records?set=excluded&amp;province=99&amp;period=2026" in kt1
    assert "cấp huyện" in html  # the note beside KT-2
    kt3 = html[html.index('id="fig-KT-3"') : html.index('id="fig-AREA-CODED"')]
    assert "set=outside" in kt3 and "set=outside" not in kt1
    assert 'name="crops" value="pomelo" checked' in html


def test_each_figure_opens_its_records(login, province99):
    client = login(province99.auditor.email)
    page = client.get("/indicators/KT-2/records?province=99&period=2026&set=excluded")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert html.count('data-counted="0"') == 2
    assert "Có mô hình liên kết nhưng không gắn với nông sản chủ lực của tỉnh." in html
    models = client.get("/indicators/KT-3/records?province=99&period=2026").get_data(as_text=True)
    assert f'href="/linkage-models/{province99.models["M4"].id}"' in models
    english = client.get("/indicators/KT-1/records?province=99&period=2026&set=excluded&lang=en").get_data(as_text=True)
    assert "No active cooperative is based in this commune." in english


def test_bad_input_on_the_page_is_422_with_the_field_named(login, province99):
    client = login(province99.auditor.email)
    page = client.get("/indicators?province=99&period=abcd")
    assert page.status_code == 422
    assert re.search(r'id="f-period"[^>]*aria-invalid="true"', page.get_data(as_text=True))
    assert client.get("/indicators/NOPE/records?province=99&period=2026").status_code == 422


def test_a_member_sees_its_own_figures(login, province99):
    client = login(province99.member.email)
    html = client.get("/indicators?period=2026").get_data(as_text=True)
    assert 'id="fig-KT-3"' in html and 'id="fig-KT-1"' not in html and 'name="crops"' not in html
    other = province99.orgs["coop4"].id
    assert client.get(f"/indicators?period=2026&organization={other}").status_code == 404


def test_the_report_downloads_from_the_page(login, province99):
    client = login(province99.auditor.email)
    response = client.get("/indicators/report.xlsx?province=99&period=2026")
    assert response.status_code == 200 and response.data[:2] == b"PK"
    csv = client.get("/indicators/report.csv?province=99&period=2026").data.decode("utf-8-sig")
    assert "KT-1" in csv and "Tỷ lệ xã có hợp tác xã" in csv


def test_the_department_sets_the_key_products_on_the_dashboard(login, province99, db):
    client = login(province99.auditor.email)
    page = client.get("/indicators?province=99&period=2026")
    response = client.post(
        "/indicators/key-crops",
        data={"province": "99", "crops": ["tea"], "csrf_token": csrf_token(page)},
    )
    assert response.status_code == 302
    from indicators.key_crops import key_crops

    assert key_crops(db.session, "99") == ["tea"]
    html = client.get("/indicators?province=99&period=2026").get_data(as_text=True)
    assert 'value="pomelo" checked' not in html and 'value="tea" checked' in html
