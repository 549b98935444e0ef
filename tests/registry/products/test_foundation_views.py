import datetime as dt

import sqlalchemy as sa

from registry.products.models import Product
from tests.conftest import csrf_token
from trace.lots.models import Lot


def test_form_errors_show_beside_fields_in_vietnamese(client, db, world, login):
    login(world.member_a.email)
    form = client.get("/products/new")
    response = client.post(
        "/products/new",
        data={
            "csrf_token": csrf_token(form),
            "name": "Bưởi",
            "crop": "pomelo",
            "organization_id": world.org_a.id,
            "gtin": "09506000134353",
        },
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'class="field-error"' in html and "số kiểm tra" in html.lower()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Product)) == 3


def test_member_records_a_lot_in_the_browser_form(client, db, world, login):
    login(world.member_a.email)
    form = client.get("/lots/new")
    data = {
        "csrf_token": csrf_token(form), "product_id": world.product_a.id, "growing_area_id": world.area_a.id,
        "code": "Lô 1", "harvest_date": (dt.date.today() - dt.timedelta(days=1)).isoformat(), "quantity": "10", "unit": "KGM",
    }  # fmt: skip
    bad = client.post("/lots/new", data=data)
    assert bad.status_code == 422 and "dấu" in bad.get_data(as_text=True)
    data["code"] = "LO-1"
    good = client.post("/lots/new", data=data)
    assert good.status_code == 302
    lot = db.session.scalar(sa.select(Lot).where(Lot.code == "LO-1"))
    assert good.headers["Location"].endswith(f"/lots/{lot.id}")
