"""Done when (issue 7): a chain of harvest, pack, split, ship, receive and transform; recall the first lot;
the recall banner is on the public page of the last, in Chromium on a phone, in both languages."""

from __future__ import annotations

import pytest

from tests.conftest import ARTIFACTS, PHONE
from tests.qr.helpers import path_of
from tests.trace.lots.chain import build_chain

pytestmark = pytest.mark.browser


def test_recall_of_the_first_lot_shows_on_the_last_lots_page(browser, live_server, make_api, world, houses):
    from playwright.sync_api import expect

    chain = build_chain(make_api, world, houses)
    context = browser.new_context(locale="vi-VN", extra_http_headers={"Accept-Language": "vi-VN,vi;q=0.9"}, **PHONE)
    try:
        page = context.new_page()
        page.goto(live_server + path_of(chain.dried["label_uri"]))
        expect(page.get_by_role("heading", name=world.product_b.name)).to_be_visible()
        expect(page.get_by_text("THU HỒI SẢN PHẨM")).to_have_count(0)
        expect(page.locator("#origins")).to_contain_text("BL-IN-0001")

        opened = make_api(world.member_a).post(
            "/api/v1/recalls", json={"lot_id": chain.harvest["id"], "reason": "Dư lượng Carbendazim vượt MRL"}
        )
        assert opened.status_code == 201, opened.json
        page.reload()
        alerts = page.get_by_role("alert")
        expect(alerts.filter(has_text="THU HỒI SẢN PHẨM")).to_be_visible()
        expect(alerts.filter(has_text="PRODUCT RECALL")).to_be_visible()
        expect(alerts.first).to_contain_text("Dư lượng Carbendazim vượt MRL")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "public_page_recalled_360.png"), full_page=True)
    finally:
        context.close()
