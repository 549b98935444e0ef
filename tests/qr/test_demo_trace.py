"""The demo's traceability: a diary whose fresh spray refuses a harvest today, a packed, split and shipped
pomelo lot, dried tea made from fresh leaves, and a closed recall."""

import datetime as dt

import sqlalchemy as sa

from registry.accounts.models import User
from registry.areas.models import GrowingArea
from registry.core.db import today_in_vietnam
from registry.products.models import Product
from trace.diary.models import DiaryEntry
from trace.lots.events import Shipment, TraceEvent
from trace.lots.models import Lot
from trace.recall.models import Recall


def _load(runner, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "demo-password-1")
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output


def test_the_demo_chain(runner, db, monkeypatch, make_api):
    _load(runner, monkeypatch)
    counts = [
        db.session.scalar(sa.select(sa.func.count()).select_from(t)) for t in (DiaryEntry, TraceEvent, Recall, Lot)
    ]
    _load(runner, monkeypatch)
    assert [
        db.session.scalar(sa.select(sa.func.count()).select_from(t)) for t in (DiaryEntry, TraceEvent, Recall, Lot)
    ] == counts

    lot = db.session.scalar(sa.select(Lot).where(Lot.code == "DH-2511-001"))
    kinds = [k.value for (k,) in db.session.execute(
        sa.select(TraceEvent.kind).where(TraceEvent.items.any(lot_id=lot.id)).order_by(TraceEvent.id)
    )]  # fmt: skip
    assert kinds == ["harvest", "pack", "split"]
    shipment = db.session.scalars(sa.select(Shipment)).one()
    assert shipment.lot.code == "DH-2511-001A" and shipment.receiver_name.startswith("Công ty TNHH Nông sản Long Biên")
    dried = db.session.scalar(sa.select(Lot).where(Lot.code == "CTB-D2511-01"))
    assert dried.origin.value == "transform" and dried.product.name == "Chè búp khô Thanh Ba"
    recall = db.session.scalars(sa.select(Recall)).one()
    assert recall.closed_at is not None and recall.lot.code == "CHH-2511-07"
    assert db.session.scalar(sa.select(Lot).where(Lot.code == "CHH-2511-07")).open_recall_id is None

    # A lot refused inside the pre-harvest interval: tried, never stored.
    area = db.session.scalars(sa.select(GrowingArea).where(GrowingArea.name == "Vùng bưởi Chí Đám")).one()
    pomelo = db.session.scalars(sa.select(Product).where(Product.name == "Bưởi Đoan Hùng")).one()
    member = db.session.scalars(sa.select(User).where(User.email == "pomelo@demo.example")).one()
    before = db.session.scalar(sa.select(sa.func.count()).select_from(Lot))
    body = {"product_id": pomelo.id, "growing_area_id": area.id, "code": "DH-PHI-01", "quantity": "300", "unit": "H87",
            "harvest_date": today_in_vietnam().isoformat()}  # fmt: skip
    refused = make_api(member).post("/api/v1/lots", json=body)
    assert refused.status_code == 422
    first_safe = (today_in_vietnam() + dt.timedelta(days=11)).strftime("%d/%m/%Y")
    assert (
        "Score 250EC" in refused.json["errors"]["harvest_date"][0]
        and first_safe in refused.json["errors"]["harvest_date"][0]
    )
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Lot)) == before
