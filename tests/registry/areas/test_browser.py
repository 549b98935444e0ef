"""The department's area page and inspection form in a real Chromium at 360 px, as an inspector uses them."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from registry.areas import services as areas
from registry.core.db import today_in_vietnam
from registry.lifecycle.models import CodeStatus, Inspection, StatusChange
from tests import factories
from tests.conftest import ARTIFACTS, PHONE

pytestmark = pytest.mark.browser

# Vùng bưởi Chí Đám, Phú Thọ: a real place, about 12 ha.
CHI_DAM = [[105.1745, 21.6165], [105.1785, 21.6166], [105.1786, 21.6196], [105.1747, 21.6197], [105.1745, 21.6165]]


def sign_in(page, live_server, email):
    page.goto(live_server + "/login")
    form = page.locator("main form")
    form.locator("#email").fill(email)
    form.locator("#password").fill(factories.PASSWORD)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert "/login" not in page.url, page.locator("main").inner_text()


def test_area_page_draws_the_map_inline_at_360px(browser, live_server, db, world):
    from playwright.sync_api import expect

    areas.update_area(
        db.session,
        actor=world.admin,
        area_id=world.area_a.id,
        changes={"geometry": {"type": "Polygon", "coordinates": [CHI_DAM]}, "gps": {"lat": 21.618, "lon": 105.1765}},
    )
    db.session.commit()
    requests: list[str] = []
    context = browser.new_context(locale="vi-VN", extra_http_headers={"Accept-Language": "vi"}, **PHONE)
    try:
        page = context.new_page()
        page.on("request", lambda r: requests.append(r.url))
        sign_in(page, live_server, world.auditor.email)
        requests.clear()
        response = page.goto(f"{live_server}/areas/{world.area_a.id}")
        assert response is not None and response.status == 200
        svg = page.locator("svg.map")
        expect(svg).to_be_visible()
        box = svg.bounding_box()
        assert box is not None and 200 <= box["width"] <= 360 and box["height"] > 50
        path = svg.locator("path")
        assert len(path.get_attribute("d") or "") > 20
        expect(svg.locator("circle")).to_have_count(1)  # the GPS point
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, "the page scrolls sideways"
        # Nothing but this server: no tile server, no CDN.
        assert requests and all(u.startswith(live_server) for u in requests), requests
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "area_map_360.png"), full_page=True)
    finally:
        context.close()


def test_inspector_suspends_a_code_with_the_inspection_form(browser, live_server, db, world):
    from playwright.sync_api import expect

    context = browser.new_context(locale="vi-VN", extra_http_headers={"Accept-Language": "vi"}, **PHONE)
    try:
        page = context.new_page()
        sign_in(page, live_server, world.auditor.email)
        page.goto(f"{live_server}/areas/{world.area_a.id}/inspections/new")
        form = page.locator("main form").last
        form.locator("#inspected_on").fill(today_in_vietnam().isoformat())
        form.locator("#growth_stage").fill("Quả non")
        form.locator("#pests").fill("Rệp sáp: 5 con/cành\nNhện đỏ: rải rác")
        form.locator("#conclusion").select_option("suspend")
        # Submitting without a reason is refused beside the field, and nothing changes.
        with page.expect_navigation():
            form.locator("button[type=submit]").click()
        expect(page.locator(".field-error").first).to_be_visible()
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Inspection)) == 0
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "inspection_form_360.png"), full_page=True)

        form = page.locator("main form").last
        form.locator("#reason").fill("Dư lượng thuốc BVTV vượt ngưỡng")
        with page.expect_navigation():
            form.locator("button[type=submit]").click()
        assert page.url.endswith(f"/areas/{world.area_a.id}"), page.url
        expect(page.locator(".badge.suspended").first).to_be_visible()
        expect(page.get_by_text("Dư lượng thuốc BVTV vượt ngưỡng").first).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "area_after_inspection_360.png"), full_page=True)
    finally:
        context.close()
    db.session.expire_all()
    inspection = db.session.scalar(sa.select(Inspection))
    assert [p["name"] for p in inspection.pests] == ["Rệp sáp", "Nhện đỏ"]
    change = db.session.scalar(sa.select(StatusChange).order_by(StatusChange.id.desc()))
    assert change.to_status == CodeStatus.SUSPENDED and change.inspection_id == inspection.id


def test_list_tables_fit_a_360px_phone(browser, live_server, db, world):
    """The inspector's lists read as one card a row: nothing hides off the right edge of a phone."""
    areas.create_area(
        db.session, actor=world.member_a, name="Vùng bưởi Chí Đám mở rộng phía đông", kind="domestic",
        crop="pomelo", area_ha="6.2", commune_code="07999",
    )  # fmt: skip
    db.session.commit()
    context = browser.new_context(locale="vi-VN", extra_http_headers={"Accept-Language": "vi"}, **PHONE)
    try:
        page = context.new_page()
        sign_in(page, live_server, world.auditor.email)
        for path in ("/areas", "/"):
            page.goto(live_server + path)
            wraps = page.locator(".table-wrap")
            assert wraps.count() >= 1, path
            for i in range(wraps.count()):
                overflow = wraps.nth(i).evaluate("el => el.scrollWidth - el.clientWidth")
                assert overflow <= 1, f"{path}: a table is {overflow}px wider than the screen"
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "desk_360.png"), full_page=True)
    finally:
        context.close()
