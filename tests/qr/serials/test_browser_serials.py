"""Done when (issue 9, part): in Chromium on a 360 px phone, a genuine, an unknown and a voided serial's page.
The genuine stamp's count rises with each scan, as the scans' writer records them."""

from __future__ import annotations

import pytest

from qr.scans.recorder import recorder_of
from tests.conftest import ARTIFACTS, PHONE
from tests.qr.helpers import path_of
from tests.qr.test_public_void import _body

pytestmark = pytest.mark.browser
ANDROID = (
    "Mozilla/5.0 (Linux; Android 13; SM-A145F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120 Mobile Safari/537.36"
)


def test_genuine_unknown_and_voided_stamps(app, browser, live_server, make_api, world):
    from playwright.sync_api import expect

    api = make_api(world.member_a)
    lot = api.post("/api/v1/lots", json=_body(world, quantity="100", unit="H87")).json
    genuine, voided = api.post(f"/api/v1/lots/{lot['id']}/serials", json={"count": 2}).json["serials"]
    api.post(
        "/api/v1/serials/void", json={"lot_id": lot["id"], "serials": [voided["serial"]], "reason": "Cuộn tem bị ướt"}
    )
    # A phone's browser: headless Chromium names itself in its User-Agent and would count as a bot, not a scan.
    context = browser.new_context(
        locale="vi-VN", user_agent=ANDROID, extra_http_headers={"Accept-Language": "vi-VN,vi;q=0.9"}, **PHONE
    )
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    try:
        page = context.new_page()
        response = page.goto(live_server + path_of(genuine["label_uri"]))
        assert response is not None and response.status == 200
        stamp = page.get_by_role("region", name="✓ Tem chính hãng")
        expect(stamp).to_contain_text(genuine["serial"])
        expect(stamp).to_contain_text("đây là lần quét đầu tiên")
        page.screenshot(path=str(ARTIFACTS / "stamp_genuine_360.png"), full_page=True)
        recorder_of(app).flush()
        page.reload()
        expect(page.locator("#stamp-genuine dd").nth(2)).to_have_text("2")  # times scanned
        assert page.evaluate("document.documentElement.scrollWidth") <= 360

        response = page.goto(live_server + path_of(lot["label_uri"]) + "/21/NOTISSUED1")
        assert response is not None and response.status == 404
        expect(page.get_by_role("alert")).to_contain_text("Tem này không do nhà sản xuất phát hành")
        expect(page.get_by_role("alert")).to_contain_text("NOTISSUED1")
        page.screenshot(path=str(ARTIFACTS / "stamp_unknown_360.png"), full_page=True)

        response = page.goto(live_server + path_of(voided["label_uri"]))
        assert response is not None and response.status == 200
        expect(page.locator("#stamp-void")).to_contain_text("đã bị nhà sản xuất HỦY")
        expect(page.locator("#stamp-void")).to_contain_text("Cuộn tem bị ướt")
        expect(page.get_by_role("region", name="✓ Tem chính hãng")).to_have_count(0)
        page.screenshot(path=str(ARTIFACTS / "stamp_void_360.png"), full_page=True)
    finally:
        context.close()
