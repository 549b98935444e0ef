"""The public lot page shows a product's OCOP stars only while its certificate is valid, on the clock's today."""

import datetime as dt
import re

from registry.ocop import services as ocop
from registry.ocop.rules import add_months
from tests.qr.helpers import assert_lot_and_stages, page_statements
from tests.qr.test_public_void import _body
from tests.registry.ocop.helpers import rate

DECIDED = dt.date(2023, 12, 5)
EXPIRES = add_months(DECIDED, 36)  # 2026-12-05: the last day the certificate is valid


def _page(client, make_api, world, *, language="vi", **overrides):
    lot = make_api(world.member_a).post("/api/v1/lots", json=_body(world, **overrides)).json
    path = re.sub(r"^https?://[^/]+", "", lot["label_uri"])
    return lambda: client.get(path, headers={"Accept-Language": language}).get_data(as_text=True)


def _rating(html: str) -> str | None:
    match = re.search(r'<section class="card ocop".*?</section>', html, re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(0))).strip() if match else None


def test_a_valid_certificate_shows_its_stars_group_and_validity(db, client, make_api, world, clock):
    rate(db, world, world.product_a, decided=DECIDED)
    clock.set_today(dt.date(2026, 6, 1))
    page = _page(client, make_api, world)
    text = _rating(page())
    assert text is not None, page()
    assert "4 sao OCOP" in text  # what a screen reader reads; the ★ glyphs are aria-hidden
    assert 'aria-hidden="true">★★★★<' in page()
    assert "05/12/2023" in text and "05/12/2026" in text and "cấp tỉnh" in text
    assert "Thực phẩm — Rau, củ, quả, hạt tươi" in text


def test_the_stars_go_the_day_after_expiry(db, client, make_api, world, clock):
    rate(db, world, world.product_a, decided=DECIDED)
    page = _page(client, make_api, world)
    clock.set_today(EXPIRES)
    assert "4 sao OCOP" in (_rating(page()) or "")
    clock.set_today(EXPIRES + dt.timedelta(days=1))
    html = page()
    assert _rating(html) is None and "OCOP" not in html
    # The department still sees the certificate, as expired, in the API.
    status = make_api(world.auditor).get(f"/api/v1/products/{world.product_a.id}").json["ocop"]
    assert (status["stars"], status["valid"], status["expires_on"]) == (4, False, EXPIRES.isoformat())


def test_a_revoked_certificate_shows_no_stars(db, client, make_api, world, clock):
    row = rate(db, world, world.product_a, decided=DECIDED)
    page = _page(client, make_api, world)
    clock.set_today(dt.date(2026, 6, 1))
    assert "4 sao OCOP" in (_rating(page()) or "")
    ocop.revoke(db.session, actor=world.auditor, certificate_id=row.id, reason="Vi phạm", today=dt.date(2026, 6, 1))
    db.session.commit()
    assert "OCOP" not in page()


def test_a_renewed_certificate_replaces_the_old_one(db, client, make_api, world, clock):
    rate(db, world, world.product_a, decided=DECIDED)
    rate(db, world, world.product_a, stars=5, decided=dt.date(2026, 3, 2))
    clock.set_today(dt.date(2026, 6, 1))
    page = _page(client, make_api, world, language="en")
    text = _rating(page())
    assert "5-star OCOP" in text and "ministry" in text and "4-star" not in text


def test_a_product_never_rated_shows_nothing_and_english_reads_stars(db, client, make_api, world, clock):
    clock.set_today(dt.date(2026, 6, 1))
    assert "OCOP" not in _page(client, make_api, world)()
    rate(db, world, world.product_a, decided=DECIDED)
    assert "4-star OCOP" in _rating(_page(client, make_api, world, language="en", code="DH-2511-008")())


def test_the_page_with_stars_is_still_one_query(app, db, client, make_api, world, clock):
    rate(db, world, world.product_a, decided=DECIDED)
    clock.set_today(dt.date(2026, 6, 1))
    page = _page(client, make_api, world)
    pages = []
    statements = page_statements(app, db, lambda: pages.append(page()))
    assert "4 sao OCOP" in pages[-1]
    assert_lot_and_stages(statements)
