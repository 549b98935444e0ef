"""In Chromium on a 360 px phone, cold cache: the provenance page shows the ten items of Circular 02/2024 in
Vietnamese and in English, and the page with everything it loads weighs at most 100 KB."""

from __future__ import annotations

import pytest

from tests.conftest import ARTIFACTS, PHONE
from tests.qr.helpers import path_of
from tests.qr.test_provenance_page import ITEMS, full  # noqa: F401  (full is a fixture)

pytestmark = pytest.mark.browser
BUDGET = 100 * 1024

LABELS = {
    "vi": ["Mã truy xuất", "Nhãn hiệu", "Ngày thu hoạch", "Hạn sử dụng", "Tiêu chuẩn áp dụng", "Các công đoạn",
           "Tình trạng khi thu hoạch", "Tình trạng hôm nay"],
    "en": ["Traceability code", "Brand", "Harvest date", "Best before", "Applied standards", "Stages",
           "Status at harvest", "Status today"],
}  # fmt: skip


@pytest.mark.parametrize("language", ["vi", "en"])
def test_ten_items_at_360px_within_100kb(browser, live_server, full, language):  # noqa: F811
    from playwright.sync_api import expect

    accept = {"vi": "vi-VN,vi;q=0.9", "en": "en-GB,en;q=0.9"}[language]
    context = browser.new_context(locale=accept.split(",")[0], extra_http_headers={"Accept-Language": accept}, **PHONE)
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        loaded: dict[str, int] = {}
        urls: dict[str, str] = {}
        cdp.on("Network.requestWillBeSent", lambda e: urls.__setitem__(e["requestId"], e["request"]["url"]))
        cdp.on("Network.loadingFinished", lambda e: loaded.__setitem__(e["requestId"], e["encodedDataLength"]))
        response = page.goto(live_server + path_of(full["label_uri"]), wait_until="load")
        assert response is not None and response.status == 200
        assert page.locator("html").get_attribute("lang") == language
        for item in ITEMS:
            expect(page.locator(f'[data-item="{item}"]')).to_be_visible()
        for label in LABELS[language]:
            expect(page.get_by_text(label, exact=True).first).to_be_visible()
        assert page.locator('[data-item="image"]').evaluate("img => img.naturalWidth") == 480
        expect(
            page.get_by_role("img", name="Ranh giới vùng trồng" if language == "vi" else "Boundary of the growing area")
        ).to_be_visible()
        expect(page.locator("#status-today .badge.suspended")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, "the page scrolls sideways at 360 px"
        page.wait_for_load_state("networkidle")
        total = sum(loaded.values())
        assert len(loaded) >= 3, urls  # the page, its stylesheet and the photo, all counted
        assert total <= BUDGET, {urls.get(k, k): v for k, v in loaded.items()}
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"provenance_360_{language}.png"), full_page=True)
        print(f"provenance page ({language}): {len(loaded)} requests, {total} bytes on the wire")
    finally:
        context.close()
