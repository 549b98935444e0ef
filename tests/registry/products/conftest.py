import datetime as dt

import pytest

from trace.lots.services import create_lot


@pytest.fixture
def lot_of_product_a(db, world):
    """A harvest lot of product_a, recorded the way members record them."""
    lot = create_lot(
        db.session,
        actor=world.member_a,
        product_id=world.product_a.id,
        growing_area_id=world.area_a.id,
        code="DH-01",
        harvest_date=dt.date(2025, 9, 1),
        quantity="120",
    )
    db.session.commit()
    return lot
