"""The public code lookup lists the holder's OCOP products (of the area's crop) only while a certificate is valid."""

from __future__ import annotations

import datetime as dt

from registry.ocop import services as ocop
from registry.ocop.rules import add_months
from tests.factories import ProductFactory
from tests.registry.desk.rows import make_house
from tests.registry.ocop.helpers import rate

JSON = {"Accept": "application/json"}
DECIDED = dt.date(2024, 1, 10)
EXPIRES = add_months(DECIDED, 36)


def test_a_valid_certificate_lists_the_product_with_its_stars(db, client, world, clock):
    rate(db, world, world.product_a, decided=DECIDED)
    clock.set_today(dt.date(2026, 1, 5))
    body = client.get(f"/codes/{world.area_a.code}", headers=JSON).json
    assert body["ocop_products"] == [
        {
            "name": world.product_a.name,
            "stars": 4,
            "group": "1",
            "subgroup": "1a",
            "level": "province",
            "issued_on": DECIDED.isoformat(),
            "expires_on": EXPIRES.isoformat(),
        }
    ]
    html = client.get(f"/codes/{world.area_a.code}").get_data(as_text=True)
    assert world.product_a.name in html and "4 sao OCOP" in html
    english = client.get(f"/codes/{world.area_a.code}?lang=en").get_data(as_text=True)
    assert "4-star OCOP" in english and "OCOP products of the holder" in english


def test_the_product_leaves_the_lookup_the_day_after_expiry_or_on_revocation(db, client, world, clock):
    row = rate(db, world, world.product_a, decided=DECIDED)
    clock.set_today(EXPIRES)
    assert [p["stars"] for p in client.get(f"/codes/{world.area_a.code}", headers=JSON).json["ocop_products"]] == [4]
    clock.set_today(EXPIRES + dt.timedelta(days=1))
    assert client.get(f"/codes/{world.area_a.code}", headers=JSON).json["ocop_products"] == []
    assert "sao OCOP" not in client.get(f"/codes/{world.area_a.code}").get_data(as_text=True)
    clock.set_today(dt.date(2026, 1, 5))
    ocop.revoke(db.session, actor=world.auditor, certificate_id=row.id, reason="Vi phạm", today=dt.date(2026, 1, 5))
    db.session.commit()
    assert client.get(f"/codes/{world.area_a.code}", headers=JSON).json["ocop_products"] == []


def test_an_area_lists_only_its_crop_and_its_holder_a_packing_house_every_crop(db, client, world, clock):
    tea = ProductFactory(organization=world.org_a, crop="tea", name="Chè Ô Long")
    other = ProductFactory(organization=world.org_b, crop="pomelo", name="Bưởi của HTX khác")
    db.session.commit()
    for product in (world.product_a, tea, other):
        rate(db, world, product, stars=5, decided=DECIDED)
    clock.set_today(dt.date(2026, 1, 5))
    area = client.get(f"/codes/{world.area_a.code}", headers=JSON).json
    assert [p["name"] for p in area["ocop_products"]] == [world.product_a.name]
    house = make_house(db.session, world.org_a, code="VN-25-07999-DG777")
    db.session.commit()
    listed = client.get(f"/codes/{house.code}", headers=JSON).json["ocop_products"]
    assert sorted(p["name"] for p in listed) == sorted([world.product_a.name, "Chè Ô Long"])
    assert {p["stars"] for p in listed} == {5}
