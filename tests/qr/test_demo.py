import sqlalchemy as sa

from registry.accounts.models import User
from registry.areas.models import GrowingArea
from registry.lifecycle.models import CodeStatus as AreaStatus
from registry.organizations.models import Organization
from registry.products.models import Product
from tests.qr.helpers import decode_png, path_of
from trace.lots.models import Lot

TABLES = (Organization, GrowingArea, Product, Lot, User)


def counts(db):
    return {t.__tablename__: db.session.scalar(sa.select(sa.func.count()).select_from(t)) for t in TABLES}


def test_demo_load_is_idempotent_and_prints_accounts(runner, db, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "demo-password-1")
    first = runner.invoke(args=["demo", "load"])
    assert first.exit_code == 0, first.output
    after_first = counts(db)
    second = runner.invoke(args=["demo", "load"])
    assert second.exit_code == 0, second.output
    assert counts(db) == after_first
    assert after_first["organization"] >= 2 and after_first["lot"] >= 4
    for email in ("admin@demo.example", "sonn@demo.example", "pomelo@demo.example"):
        assert email in first.output
    assert "demo-password-1" in first.output


def test_demo_content_is_real_places_and_crops(runner, db, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "demo-password-1")
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    areas = db.session.scalars(sa.select(GrowingArea)).all()
    communes = {a.commune.name for a in areas}
    assert {"Xã Chí Đám", "Xã Bằng Luân"} <= communes
    assert {a.crop for a in areas} >= {"tea", "pomelo", "banana", "mango"}
    assert {a.commune.province.name for a in areas} == {"Phú Thọ", "Đồng Tháp"}
    assert {a.status for a in areas} >= {AreaStatus.ACTIVE, AreaStatus.PENDING, AreaStatus.SUSPENDED}
    products = db.session.scalars(sa.select(Product)).all()
    assert any(p.gtin for p in products) and any(p.gtin is None for p in products)
    # Every demo product shows the Circular 02/2024 items a cooperative fills in: a photo and a shelf life.
    assert all(p.image_key and p.shelf_life_days and p.description for p in products)
    assert len({o.id for o in db.session.scalars(sa.select(Organization))}) >= 2


def test_every_demo_label_scans_to_its_page(runner, client, db, monkeypatch, login):
    monkeypatch.setenv("DEMO_PASSWORD", "demo-password-1")
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    login("admin@demo.example", "demo-password-1")
    lots = db.session.scalars(sa.select(Lot)).all()
    for lot in lots:
        uri = decode_png(client.get(f"/lots/{lot.id}/label.png").data)
        page = client.get(path_of(uri))
        assert page.status_code == 200, uri
        html = page.get_data(as_text=True)
        assert lot.code in html and lot.growing_area.code in html
        assert "chưa được cấp mã" not in html  # every demo area was coded before its lots' harvests
        photo = html.split('data-item="image" src="')[1].split('"')[0]
        assert client.get(photo).mimetype == "image/webp"
