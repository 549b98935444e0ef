"""In Chromium: the dashboard on a 360 px phone and a 1280 px desktop, and a figure opening its records."""

from __future__ import annotations

import pytest

from tests.conftest import ARTIFACTS, PHONE
from tests.registry.areas.test_browser import sign_in

pytestmark = pytest.mark.browser

DESKTOP = {"viewport": {"width": 1280, "height": 900}}


@pytest.mark.parametrize("size, viewport", [("360", PHONE), ("1280", DESKTOP)])
def test_the_dashboard_reads_on_a_phone_and_a_desktop(browser, live_server, province99, size, viewport):
    from playwright.sync_api import expect

    context = browser.new_context(locale="vi-VN", extra_http_headers={"Accept-Language": "vi-VN,vi;q=0.9"}, **viewport)
    try:
        page = context.new_page()
        sign_in(page, live_server, province99.auditor.email)
        page.goto(live_server + "/indicators?province=99&period=2026")
        kt1 = page.get_by_role("region", name="KT-1 Tỷ lệ xã có hợp tác xã")
        expect(kt1).to_be_visible()
        expect(kt1.locator("[data-value]")).to_have_text("33,3%")
        expect(kt1.get_by_role("img", name="33,3% so với mục tiêu 70%")).to_be_visible()
        expect(page.get_by_role("region", name="KT-3", exact=False)).to_contain_text("66,7%")
        width = int(size)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        boxes = page.locator("section.figure").evaluate_all("els => els.map(e => e.getBoundingClientRect().width)")
        assert all(w <= width for w in boxes)
        if width >= 1280:  # two figures side by side
            tops = page.locator("section.figure").evaluate_all(
                "els => els.slice(0, 2).map(e => e.getBoundingClientRect().top)"
            )
            assert tops[0] == tops[1]
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"indicators_{size}.png"), full_page=True)
        kt1.get_by_role("link", name="Chưa được tính, và lý do").click()
        expect(page.locator("#records tbody tr")).to_have_count(4)
        expect(page.locator("#records")).to_contain_text("Không có hợp tác xã đang hoạt động đặt trụ sở tại xã này.")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(path=str(ARTIFACTS / f"indicators_records_{size}.png"), full_page=True)
    finally:
        context.close()
