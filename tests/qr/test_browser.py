"""The public lot page and the label flow in a real headless Chromium, as a phone and a person see them.

Uses Debian's Chromium at /usr/bin/chromium (Playwright's own browser download is not used). Without it these
tests skip, unless REQUIRE_BROWSER=1, which turns a missing browser into a failure (CI sets it).
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests import factories
from tests.conftest import ARTIFACTS, PHONE
from tests.qr.helpers import decode_png, path_of
from trace.lots.services import today_in_vietnam

pytestmark = pytest.mark.browser


def create_lot(api, world, code: str) -> dict:
    """A lot made through the API, which commits, so the server thread sees it."""
    body = {
        "product_id": world.product_a.id,
        "growing_area_id": world.area_a.id,
        "code": code,
        "harvest_date": (today_in_vietnam() - dt.timedelta(days=1)).isoformat(),
        "quantity": "850.5",
        "unit": "KGM",
    }
    response = api.post("/api/v1/lots", json=body)
    assert response.status_code == 201, response.json
    return response.json


def test_public_page_on_a_360px_phone_in_vietnamese(browser, live_server, make_api, world):
    from playwright.sync_api import expect

    lot = create_lot(make_api(world.member_a), world, "DH-2511-101")
    harvest = (today_in_vietnam() - dt.timedelta(days=1)).strftime("%d/%m/%Y")
    context = browser.new_context(locale="vi-VN", extra_http_headers={"Accept-Language": "vi-VN,vi;q=0.9"}, **PHONE)
    try:
        page = context.new_page()
        response = page.goto(live_server + path_of(lot["label_uri"]))
        assert response is not None and response.status == 200
        assert page.locator("html").get_attribute("lang") == "vi"

        expect(page.get_by_role("heading", name=world.product_a.name)).to_be_visible()
        expect(page.get_by_text("DH-2511-101", exact=True)).to_be_visible()
        expect(page.get_by_text("Ngày thu hoạch", exact=True)).to_be_visible()
        expect(page.get_by_text(harvest, exact=True)).to_be_visible()
        expect(page.get_by_text(world.area_a.code, exact=True)).to_be_visible()
        expect(page.locator("#status-today .badge.active")).to_be_visible()
        expect(page.get_by_text("Xã Chí Đám, Phú Thọ", exact=True).first).to_be_visible()
        expect(page.locator("[data-item=producer-name]")).to_have_text(world.org_a.name)

        assert page.evaluate("document.documentElement.scrollWidth") <= 360, "the page scrolls sideways at 360 px"
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "public_page_360.png"), full_page=True)
    finally:
        context.close()


def test_public_page_in_english(browser, live_server, make_api, world):
    from playwright.sync_api import expect

    lot = create_lot(make_api(world.member_a), world, "DH-2511-102")
    context = browser.new_context(locale="en-US", extra_http_headers={"Accept-Language": "en-US,en;q=0.9"}, **PHONE)
    try:
        page = context.new_page()
        page.goto(live_server + path_of(lot["label_uri"]))
        expect(page.locator("html")).to_have_attribute("lang", "en")
        expect(page.get_by_text("Harvest date", exact=True)).to_be_visible()
        expect(page.get_by_text("DH-2511-102", exact=True)).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
    finally:
        context.close()


def test_sign_in_open_label_scan_it_and_open_the_public_page(browser, live_server, make_api, world):
    from playwright.sync_api import expect

    lot = create_lot(make_api(world.member_a), world, "DH-2511-103")
    context = browser.new_context(locale="vi-VN", **PHONE)
    try:
        page = context.new_page()
        page.goto(live_server + "/login")
        form = page.locator("main form")
        form.locator("#email").fill(world.member_a.email)
        form.locator("#password").fill(factories.PASSWORD)
        with page.expect_navigation():
            form.locator("button[type=submit]").click()
        assert "/login" not in page.url, "sign-in failed: " + page.locator("main").inner_text()

        response = page.goto(f"{live_server}/lots/{lot['id']}/label")
        assert response is not None and response.status == 200
        assert "/login" not in page.url  # the label page needs a signed-in member: the session cookie works
        qr = page.locator("img.qr")
        expect(qr).to_be_visible()
        assert page.evaluate("(img) => img.complete && img.naturalWidth > 0", qr.element_handle())

        href = page.locator("a.btn", has_text="PNG").get_attribute("href")
        png = page.request.get(live_server + href)  # the same cookies as the page
        assert png.ok and png.headers["content-type"] == "image/png"
        uri = decode_png(png.body())
        assert uri == lot["label_uri"]

        page.goto(live_server + path_of(uri))
        expect(page.get_by_text("DH-2511-103", exact=True)).to_be_visible()
    finally:
        context.close()
