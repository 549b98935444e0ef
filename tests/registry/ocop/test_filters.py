"""The OCOP list filters by the holder's province and commune, the product's crop, stars, validity and expiry."""

from __future__ import annotations

import datetime as dt

import pytest

from registry.core.errors import ValidationError
from registry.ocop import services
from tests.factories import OrganizationFactory, ProductFactory
from tests.registry.ocop.helpers import rate

TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def catalogue(db, world):
    """Pomelo of Chí Đám (4★), pomelo of Bằng Luân (5★), tea of a Đồng Tháp holder (3★, expired)."""
    far = OrganizationFactory(name="HTX Xoài Mỹ Xương", commune_code="29869")
    mango = ProductFactory(organization=far, crop="mango", name="Xoài cát Mỹ Xương")
    db.session.commit()
    return {
        "a": rate(db, world, world.product_a, decided=dt.date(2025, 5, 1)),
        "b": rate(db, world, world.product_b, stars=5, decided=dt.date(2024, 1, 2)),
        "mango": rate(db, world, mango, stars=3, decided=dt.date(2023, 6, 1)),
    }


def ids(db, world, **filters):
    page = services.list_certificates(db.session, actor=world.auditor, today=TODAY, **filters)
    return sorted(c.id for c in page.items)


def test_each_filter(db, world, catalogue):
    a, b, mango = catalogue["a"].id, catalogue["b"].id, catalogue["mango"].id
    assert ids(db, world) == sorted([a, b, mango])
    assert ids(db, world, province="25") == sorted([a, b])
    assert ids(db, world, province="25", commune="chi dam") == [a]
    assert ids(db, world, commune="Bằng Luân") == [b]
    assert ids(db, world, crop="mango") == [mango]
    assert ids(db, world, crop="pomelo", stars="5") == [b]
    assert ids(db, world, validity="expired") == [mango]
    assert ids(db, world, validity="valid", province="25") == sorted([a, b])
    # b expires on 2027-01-02: within 60 days of TODAY; a (2028-05-01) is not.
    assert ids(db, world, expiring_within="60") == [b]
    assert ids(db, world, expiring_within="60", crop="mango") == []


def test_members_filter_only_their_own(db, world, catalogue):
    page = services.list_certificates(db.session, actor=world.member_a, today=TODAY, province="25")
    assert [c.id for c in page.items] == [catalogue["a"].id]


def test_unknown_values_are_named_together(db, world, catalogue):
    with pytest.raises(ValidationError) as caught:
        services.list_certificates(
            db.session, actor=world.auditor, today=TODAY, province="99", crop="bogus-crop", stars="2", validity="x"
        )
    assert set(caught.value.errors) == {"province", "crop", "stars", "validity"}
    assert "province=99" in str(caught.value.message) and "crop=bogus-crop" in str(caught.value.message)


def test_api_and_page_filters(db, world, catalogue, make_api, login):
    api = make_api(world.auditor, "en")
    listed = api.get("/api/v1/ocop-certificates?province=25&crop=pomelo&validity=valid")
    assert listed.status_code == 200
    assert sorted(c["id"] for c in listed.json) == sorted([catalogue["a"].id, catalogue["b"].id])
    wrong = api.get("/api/v1/ocop-certificates?commune=Không Có Xã Này")
    assert wrong.status_code == 422 and list(wrong.json["errors"]) == ["commune"]

    client = login(world.auditor.email)
    page = client.get("/ocop?crop=mango&lang=vi")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Xoài cát Mỹ Xương" in html and world.product_a.name not in html
    bad = client.get("/ocop?province=99&crop=bogus-crop")
    text = bad.get_data(as_text=True)
    assert bad.status_code == 422
    assert "Không có tỉnh nào mang mã 99" in text
    assert text.count('aria-invalid="true"') == 2
