"""In Chromium on a 360 px phone: upload with a progress bar, a dry run, then the import, errors by row and column."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from registry.areas.models import GrowingArea
from tests.bulk.sheets import AREA_HEADERS, area_row, csv_bytes
from tests.conftest import ARTIFACTS, PHONE
from tests.registry.areas.test_browser import sign_in

pytestmark = pytest.mark.browser


def test_dry_run_then_import_on_a_phone(browser, live_server, db, world, tmp_path):
    from playwright.sync_api import expect

    good = tmp_path / "vung.csv"
    rows = [area_row(f"VN-25-07999-{i:04d}", world.org_a.tax_code) for i in range(1, 3001)]
    good.write_bytes(csv_bytes(AREA_HEADERS, rows))
    bad = tmp_path / "loi.csv"
    bad.write_bytes(csv_bytes(AREA_HEADERS, [area_row("VN-25-07999-9001", world.org_a.tax_code, ha="1,2,3")]))
    before = db.session.scalar(sa.select(sa.func.count()).select_from(GrowingArea))
    context = browser.new_context(locale="vi-VN", extra_http_headers={"Accept-Language": "vi-VN,vi;q=0.9"}, **PHONE)
    try:
        page = context.new_page()
        sign_in(page, live_server, world.member_a.email)
        page.goto(live_server + "/")
        page.get_by_role("link", name="Nhập và xuất dữ liệu").click()
        page.locator("#import-file").set_input_files(str(bad))
        page.get_by_role("button", name="Kiểm tra (chạy thử)").click()
        expect(page.locator("table.import-errors tbody tr")).to_have_count(1)
        expect(page.locator("table.import-errors")).to_contain_text("area_ha")
        page.locator("#import-file").set_input_files(str(good))
        page.get_by_role("button", name="Kiểm tra (chạy thử)").click()
        expect(page.locator("#import-result h2")).to_have_text("Tệp đã sẵn sàng để nhập")
        expect(page.locator("#import-result")).to_contain_text("tạo mới 3000")
        assert db.session.scalar(sa.select(sa.func.count()).select_from(GrowingArea)) == before
        page.locator("#import-file").set_input_files(str(good))
        page.get_by_role("button", name="Nhập", exact=True).click()
        expect(page.locator("#import-result h2")).to_have_text("Đã nhập", timeout=60_000)
        expect(page.locator("#import-result")).to_contain_text("tạo mới 3000")
        # The script showed the upload's progress bar, and the page fits the phone.
        assert page.locator("#import-progress").count() == 1
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "bulk_import_360.png"), full_page=True)
    finally:
        context.close()
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(GrowingArea)) == before + 3000
