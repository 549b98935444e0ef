"""Splitting, shipping and receiving on the pages, as a cooperative's member does it on a phone."""

from __future__ import annotations

import sqlalchemy as sa

from tests.conftest import csrf_token
from tests.trace.conftest import lot_body
from trace.lots.events import Shipment
from trace.lots.models import Lot


def test_split_ship_and_receive_on_the_pages(db, make_api, world, login, client):
    lot = make_api(world.member_a).post("/api/v1/lots", json=lot_body(world, code="DH-PG-1")).json
    a = login(world.member_a.email)
    page = a.get(f"/lots/{lot['id']}/split")
    assert page.status_code == 200 and "1.200" in page.get_data(as_text=True)
    token = csrf_token(page)
    too_much = a.post(f"/lots/{lot['id']}/split", data={"csrf_token": token, "code0": "PG-A", "quantity0": "1300"})
    assert too_much.status_code == 422 and "còn 1.200" in too_much.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Lot)) == 1
    done = a.post(
        f"/lots/{lot['id']}/split",
        data={"csrf_token": token, "code0": "PG-A", "quantity0": "700", "code1": "PG-B", "quantity1": "300"},
    )
    assert done.status_code == 302
    part = db.session.scalar(sa.select(Lot).where(Lot.code == "PG-A"))
    shipped = a.post(
        f"/lots/{part.id}/ship",
        data={"csrf_token": token, "quantity": "500", "receiver_organization_id": str(world.org_b.id),
              "document_type": "invoice", "document_number": "HD-77"},
    )  # fmt: skip
    assert shipped.status_code == 302
    shipment = db.session.scalars(sa.select(Shipment)).one()
    a.post("/logout", data={"csrf_token": token})

    b = login(world.member_b.email)
    incoming = b.get("/shipments")
    html = incoming.get_data(as_text=True)
    assert "PG-A" in html and "Nhận hàng" in html
    received = b.post(f"/shipments/{shipment.id}/receive", data={"csrf_token": csrf_token(incoming), "code": "BL-PG-1"})
    assert received.status_code == 302
    held = db.session.scalar(sa.select(Lot).where(Lot.code == "BL-PG-1"))
    assert held.organization_id == world.org_b.id and held.quantity == 500
    assert "Không có lô hàng nào chờ nhận." in b.get("/shipments").get_data(as_text=True)
