"""The public page of a voided lot still answers, and says first of all that the lot was withdrawn."""

import datetime as dt
import re

import pytest

from registry.core.db import today_in_vietnam
from registry.lifecycle.models import CodeStatus
from registry.packing.models import PackingHouse
from tests.qr.helpers import assert_lot_and_stages, page_statements
from trace.lots.models import Lot

REASON = "Nhãn in nhầm ngày thu hoạch"


def _body(world, **overrides):
    body = {
        "product_id": world.product_a.id,
        "growing_area_id": world.area_a.id,
        "code": "DH-2511-007",
        "harvest_date": (today_in_vietnam() - dt.timedelta(days=1)).isoformat(),
        "quantity": "800",
        "unit": "KGM",
    }
    body.update(overrides)
    return body


@pytest.fixture
def voided(db, make_api, world):
    """Two voided lots of org A: one with a GTIN (Digital Link), one without (short link)."""
    api = make_api(world.member_a)
    with_gtin = api.post("/api/v1/lots", json=_body(world)).json
    short = api.post("/api/v1/lots", json=_body(world, product_id=world.product_a_no_gtin.id)).json
    for lot in (with_gtin, short):
        assert api.post(f"/api/v1/lots/{lot['id']}/void", json={"reason": REASON}).status_code == 200
    voided_on = db.session.get(Lot, with_gtin["id"]).voided_at
    return with_gtin, short, voided_on


def _paths(lots):
    return [re.sub(r"^https://registry\.test", "", lot["label_uri"]) for lot in lots]


def test_voided_lot_page_warns_first_in_vietnamese(client, voided):
    with_gtin, short, voided_on = voided
    local = voided_on.astimezone(dt.timezone(dt.timedelta(hours=7))).strftime("%d/%m/%Y")
    for path in _paths([with_gtin, short]):
        response = client.get(path)
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        notice = html.index('id="lot-voided"')
        assert notice < html.index("<h1"), "the notice must come before anything else on the page"
        assert f"Lô hàng này đã bị nhà sản xuất HỦY (thu hồi) ngày {local}." in html
        assert f"Lý do: {REASON}" in html
        assert "Không được dùng tem này để giới thiệu lô hàng như một lô hợp lệ." in html
        assert '<span class="badge voided">Đã hủy</span>' in html


def test_voided_lot_page_in_english(client, voided):
    with_gtin, short, voided_on = voided
    local = voided_on.astimezone(dt.timezone(dt.timedelta(hours=7)))
    english_date = f"{local.day} {local.strftime('%b')} {local.year}"
    for path in _paths([with_gtin, short]):
        html = client.get(path + "?lang=en").get_data(as_text=True)
        assert f"This lot was VOIDED (withdrawn) by its producer on {english_date}." in html
        assert f"Reason: {REASON}" in html
        assert "This label must not be presented as a valid lot." in html


def test_lot_that_is_not_voided_shows_no_notice(client, make_api, world):
    lot = make_api(world.member_a).post("/api/v1/lots", json=_body(world)).json
    html = client.get(_paths([lot])[0]).get_data(as_text=True)
    assert 'id="lot-voided"' not in html and "HỦY (thu hồi)" not in html


def test_reason_is_escaped_on_the_public_page(client, make_api, world):
    api = make_api(world.member_a)
    lot = api.post("/api/v1/lots", json=_body(world)).json
    api.post(f"/api/v1/lots/{lot['id']}/void", json={"reason": "<script>alert(1)</script> & co"})
    html = client.get(_paths([lot])[0]).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "Lý do: &lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in html


def test_public_page_is_one_query(app, db, client, make_api, world):
    house = PackingHouse(
        organization_id=world.org_a.id,
        commune_code="07999",
        code="VN-25-07999-DG001",
        name="NĐG",
        status=CodeStatus.ACTIVE,
    )
    db.session.add(house)
    db.session.commit()
    api = make_api(world.member_a)
    lot = api.post("/api/v1/lots", json=_body(world, packing_house_id=house.id)).json
    api.post(f"/api/v1/lots/{lot['id']}/void", json={"reason": REASON})
    responses = []
    statements = page_statements(app, db, lambda: responses.append(client.get(_paths([lot])[0])))
    assert responses[-1].status_code == 200
    assert "VN-25-07999-DG001" in responses[-1].get_data(as_text=True)
    assert_lot_and_stages(statements)
    # Only what the page shows: not the area's map, not the packing house's owner.
    assert "geometry" not in statements[0] and "households" not in statements[0]
    assert "packing_house.organization_id" not in statements[0]
