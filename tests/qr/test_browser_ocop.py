"""In Chromium on a 360 px phone: the OCOP stars on the public page, read as text, and gone the day after expiry."""

from __future__ import annotations

import datetime as dt

import pytest

from registry.ocop.rules import add_months
from tests.conftest import ARTIFACTS, PHONE
from tests.qr.helpers import path_of
from tests.qr.test_browser import create_lot
from tests.registry.ocop.helpers import rate

pytestmark = pytest.mark.browser

DECIDED = dt.date(2023, 12, 5)
EXPIRES = add_months(DECIDED, 36)


def test_stars_are_read_as_text_and_vanish_the_day_after_expiry(browser, live_server, make_api, world, db, clock):
    from playwright.sync_api import expect

    rate(db, world, world.product_a, decided=DECIDED)
    lot = create_lot(make_api(world.member_a), world, "DH-2511-301")
    context = browser.new_context(locale="vi-VN", extra_http_headers={"Accept-Language": "vi-VN,vi;q=0.9"}, **PHONE)
    try:
        page = context.new_page()
        clock.set_today(EXPIRES)  # the certificate's last valid day
        page.goto(live_server + path_of(lot["label_uri"]))
        # The section's accessible name is what a screen reader announces: the ★ glyphs are aria-hidden.
        rating = page.get_by_role("region", name="4 sao OCOP", exact=True)
        expect(rating).to_be_visible()
        expect(rating).to_contain_text("Thực phẩm")
        expect(rating).to_contain_text("05/12/2026")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "public_page_ocop_360.png"), full_page=True)

        clock.set_today(EXPIRES + dt.timedelta(days=1))
        page.reload()
        expect(page.get_by_role("heading", name=world.product_a.name)).to_be_visible()
        expect(page.get_by_role("region", name="4 sao OCOP")).to_have_count(0)
        expect(page.get_by_text("sao OCOP")).to_have_count(0)
        page.screenshot(path=str(ARTIFACTS / "public_page_ocop_expired_360.png"), full_page=True)
    finally:
        context.close()


def test_english_reads_the_stars(browser, live_server, make_api, world, db, clock):
    from playwright.sync_api import expect

    rate(db, world, world.product_a, stars=5, decided=dt.date(2026, 1, 10))
    lot = create_lot(make_api(world.member_a), world, "DH-2511-302")
    clock.set_today(dt.date(2026, 6, 1))
    context = browser.new_context(locale="en-US", extra_http_headers={"Accept-Language": "en-US,en;q=0.9"}, **PHONE)
    try:
        page = context.new_page()
        page.goto(live_server + path_of(lot["label_uri"]))
        rating = page.get_by_role("region", name="5-star OCOP", exact=True)
        expect(rating).to_be_visible()
        expect(rating).to_contain_text("ministry")
    finally:
        context.close()
