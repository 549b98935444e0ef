"""The growing-area pages: the inspectors' list, the application and edit forms, the record with its map."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal

import sqlalchemy as sa

from registry.areas.models import GapCertificate, GrowingArea, Household, Season
from registry.core.db import today_in_vietnam
from tests.conftest import csrf_token
from tests.factories import AreaFactory
from tests.registry.areas.conftest import BOWTIE, SQUARE, count

EN = {"Accept-Language": "en"}


def test_inspector_list_filters_organization_column_and_no_apply_button(db, world, page_as):
    auditor = page_as(world.auditor)
    html = auditor.get("/areas").get_data(as_text=True)
    assert world.org_a.name in html and world.org_b.name in html  # organization column
    assert "/areas/new" not in html and 'name="organization_id"' in html
    assert auditor.get("/areas/new").status_code == 403
    assert auditor.post("/areas/new", data={"csrf_token": csrf_token(auditor.get("/areas"))}).status_code == 403
    # Provinces in Vietnamese order: Cà Mau before Cao Bằng, Đ after D.
    assert html.index(">Cà Mau<") < html.index(">Cao Bằng<")
    names = re.findall(r'<option value="\d{2}"[^>]*>([^<]+)</option>', html)
    d_names = [n for n in names if n[0] in "DĐ"]
    assert d_names == sorted(d_names, key=lambda n: n[0] == "Đ")
    filtered = auditor.get("/areas?province=25&commune=chi dam&crop=pomelo&status=active").get_data(as_text=True)
    assert f'href="/areas/{world.area_a.id}"' in filtered and f'href="/areas/{world.area_b.id}"' not in filtered
    by_org = auditor.get(f"/areas?organization_id={world.org_b.id}").get_data(as_text=True)
    assert f'href="/areas/{world.area_b.id}"' in by_org and f'href="/areas/{world.area_a.id}"' not in by_org


def test_unknown_filter_value_is_named_in_both_languages(db, world, page_as):
    auditor = page_as(world.auditor)
    vi = auditor.get("/areas?crop=sầu-riêng-x&province=25")
    en = auditor.get("/areas?crop=sầu-riêng-x&province=25", headers=EN)
    assert vi.status_code == en.status_code == 422
    assert "crop=sầu-riêng-x" in vi.get_data(as_text=True) and "crop=sầu-riêng-x" in en.get_data(as_text=True)
    assert "Unknown filter value" in en.get_data(as_text=True)
    assert "Giá trị lọc không hợp lệ" in vi.get_data(as_text=True)
    # The filter form is still there with what was typed.
    assert 'value="25" selected' in vi.get_data(as_text=True)
    assert auditor.get("/areas?commune=zzzz", headers=EN).status_code == 422


def test_pagination_keeps_the_filters(app, db, world, page_as):
    for _ in range(app.config["PAGE_SIZE"] + 2):
        AreaFactory(organization=world.org_a)
    db.session.commit()
    html = page_as(world.auditor).get("/areas?crop=pomelo&province=25").get_data(as_text=True)
    match = re.search(r'href="(/areas\?[^"]*page=2[^"]*)"', html)
    assert match, html
    link = match.group(1).replace("&amp;", "&")
    assert "crop=pomelo" in link and "province=25" in link


def test_member_sees_apply_button_and_province_change_keeps_typed_values(db, world, page_as):
    member = page_as(world.member_a)
    assert "/areas/new" in member.get("/areas").get_data(as_text=True)
    form = member.get("/areas/new")
    data = {
        "csrf_token": csrf_token(form), "name": "Vùng chè Đồi Mây", "organization_id": world.org_a.id,
        "kind": "domestic", "crop": "tea", "area_ha": "3.25", "province": "82", "commune_code": "07999",
        "seed_origin": "Giống LDP1", "planting_year": "2015", "refresh": "1",
    }  # fmt: skip
    before = count(db, GrowingArea)
    refreshed = member.post("/areas/new", data=data)
    html = refreshed.get_data(as_text=True)
    assert refreshed.status_code == 200 and count(db, GrowingArea) == before
    assert 'value="Vùng chè Đồi Mây"' in html and 'value="3.25"' in html and 'value="Giống LDP1"' in html
    assert "Xã Chí Đám" not in html and re.search(r'<option selected value="82">', html)  # Đồng Tháp's communes
    del data["refresh"]
    data.update(province="25", geometry=json.dumps(SQUARE), gps_lat="21.6015", gps_lon="105.2015")
    saved = member.post("/areas/new", data=data)
    assert saved.status_code == 302, saved.get_data(as_text=True)
    area = db.session.scalar(sa.select(GrowingArea).where(GrowingArea.name == "Vùng chè Đồi Mây"))
    assert area.planting_year == 2015 and area.geometry == SQUARE and area.geometry_ha > Decimal("10")


def test_edit_page_saves_the_record_or_nothing(db, world, page_as):
    member = page_as(world.member_a)
    url = f"/areas/{world.area_a.id}/edit"
    form = member.get(url)
    assert form.status_code == 200 and 'name="status"' not in form.get_data(as_text=True)
    data = {
        "csrf_token": csrf_token(form), "name": "Vùng bưởi Chí Đám mở rộng", "kind": "export", "variety": "Bưởi Sửu",
        "area_ha": "12.5", "province": "25", "commune_code": "07999", "household_count": "30",
        "planting_year": "2008", "geometry": json.dumps(BOWTIE), "gps_lat": "21.6", "gps_lon": "",
        "markets": "CN XX",
    }  # fmt: skip
    vi = member.post(url, data=data)
    en = member.post(url, data=data, headers=EN)
    assert vi.status_code == en.status_code == 422
    en_html = en.get_data(as_text=True)
    assert "crosses itself" in en_html and "XX" in en_html and "both the latitude and the longitude" in en_html
    assert "tự cắt nhau" in vi.get_data(as_text=True)
    db.session.expire_all()
    row = db.session.get(GrowingArea, world.area_a.id)
    assert row.name != "Vùng bưởi Chí Đám mở rộng" and row.geometry is None and row.household_count is None
    data.update(geometry=json.dumps(SQUARE), gps_lon="105.2", markets="CN EU")
    ok = member.post(url, data=data)
    assert ok.status_code == 302
    db.session.expire_all()
    row = db.session.get(GrowingArea, world.area_a.id)
    assert row.name == "Vùng bưởi Chí Đám mở rộng" and row.markets == ["CN", "EU"] and row.household_count == 30
    assert page_as(world.auditor).get(url).status_code == 403
    assert page_as(world.member_b).get(url).status_code == 404


def test_detail_page_draws_the_map_inline_and_warns_on_hectares(db, world, page_as):
    area = db.session.get(GrowingArea, world.area_a.id)
    area.geometry, area.geometry_ha = SQUARE, Decimal("10.3")  # 12.5 declared: within 20 %
    area.gps_lat, area.gps_lon = Decimal("21.6015"), Decimal("105.2015")
    db.session.commit()
    member = page_as(world.member_a)
    html = member.get(f"/areas/{world.area_a.id}").get_data(as_text=True)
    svg = re.search(r"<svg[^>]*>.*?</svg>", html, re.S).group(0)
    assert 'viewBox="0 0 ' in svg and 'width="100%"' in svg and re.search(r'<path d="M[\d. L]+Z"', svg)
    assert (
        "<circle" in svg
        and "style=" not in html
        and "<script" not in html
        and "http" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")
    )
    assert "chênh lệch hơn 20%" not in html
    area.area_ha = Decimal("20")
    db.session.commit()
    html = member.get(f"/areas/{world.area_a.id}", headers=EN).get_data(as_text=True)
    assert "differs from the declared area by more than 20%" in html
    assert member.get(f"/areas/{2**31}").status_code == 404
    assert member.get(f"/areas/{2**31}/edit").status_code == 404


def test_households_on_the_page_are_private_and_bounded(db, world, page_as):
    member = page_as(world.member_a)
    url = f"/areas/{world.area_a.id}"
    page = member.get(url)
    html = page.get_data(as_text=True)
    assert f'action="/areas/{world.area_a.id}/households"' in html
    token = csrf_token(page)
    ok = member.post(f"{url}/households", data={"csrf_token": token, "hh-name": "Lê Văn Cường", "hh-plot_ha": "12",
                                                "hh-phone": "0987 654 321"})  # fmt: skip
    assert ok.status_code == 302
    too_much = member.post(f"{url}/households", data={"csrf_token": token, "hh-name": "Hộ thừa", "hh-plot_ha": "0.6"})
    assert too_much.status_code == 422 and "vượt" in too_much.get_data(as_text=True)
    zero = member.post(
        f"{url}/households", data={"csrf_token": token, "hh-name": "Hộ 0", "hh-plot_ha": "0"}, headers=EN
    )
    assert zero.status_code == 422 and "greater than 0" in zero.get_data(as_text=True)
    assert count(db, Household) == 1
    assert "Lê Văn Cường" in member.get(url).get_data(as_text=True)
    assert "Lê Văn Cường" in page_as(world.auditor).get(url).get_data(as_text=True)
    other = page_as(world.member_b)
    other_page = other.get("/areas")
    assert other.get(url).status_code == 404
    posted = other.post(
        f"{url}/households", data={"csrf_token": csrf_token(other_page), "hh-name": "X", "hh-plot_ha": "0.1"}
    )
    assert posted.status_code == 404 and count(db, Household) == 1
    # The auditor reads but is given no form to add.
    assert f'action="/areas/{world.area_a.id}/households"' not in page_as(world.auditor).get(url).get_data(as_text=True)


def test_certificate_and_season_forms(db, world, page_as):
    member = page_as(world.member_a)
    url = f"/areas/{world.area_a.id}"
    token = csrf_token(member.get(url))
    today = today_in_vietnam()
    bad = member.post(f"{url}/certificates", data={
        "csrf_token": token, "cert-scheme": "vietgap", "cert-number": "VG-1", "cert-issuer": "QUACERT",
        "cert-issued_on": "2025-03-01", "cert-expires_on": "2025-02-01"}, headers=EN)  # fmt: skip
    assert bad.status_code == 422 and "before the date of issue" in bad.get_data(as_text=True)
    assert count(db, GapCertificate) == 0
    expired = member.post(f"{url}/certificates", data={
        "csrf_token": token, "cert-scheme": "globalgap", "cert-number": "GG-9", "cert-issuer": "Control Union",
        "cert-issued_on": (today - dt.timedelta(days=400)).isoformat(),
        "cert-expires_on": (today - dt.timedelta(days=1)).isoformat()})  # fmt: skip
    assert expired.status_code == 302 and count(db, GapCertificate) == 1
    html = member.get(url, headers=EN).get_data(as_text=True)
    assert 'class="badge expired">expired<' in html and 'class="badge valid"' not in html
    window = member.post(f"{url}/seasons", data={
        "csrf_token": token, "season-name": "Vụ 2025", "season-harvest_from": "2025-10-01",
        "season-harvest_to": "2025-09-01"}, headers=EN)  # fmt: skip
    assert window.status_code == 422 and "ends before it starts" in window.get_data(as_text=True)
    good = member.post(f"{url}/seasons", data={
        "csrf_token": token, "season-name": "Vụ 2025", "season-harvest_from": "2025-09-01",
        "season-harvest_to": "2025-10-15", "season-target_market": "Trung Quốc", "season-actual_yield_t": "150"})  # fmt: skip
    assert good.status_code == 302 and count(db, Season) == 1
    assert "Trung Quốc" in member.get(url).get_data(as_text=True)
    auditor = page_as(world.auditor)
    assert auditor.post(f"{url}/seasons", data={"csrf_token": csrf_token(auditor.get(url))}).status_code == 403
