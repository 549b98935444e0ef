"""The demo's OCOP ratings and linkage models: what the issue asks for, made through the real services."""

import sqlalchemy as sa

from registry.linkage.models import LinkageModel
from registry.linkage.tied import tied_to_raw_material_area
from registry.ocop import services as ocop
from registry.ocop.models import OcopCertificate, OcopEvaluation
from registry.products.models import Product

TABLES = (OcopEvaluation, OcopCertificate, LinkageModel)


def _load(runner, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "demo-password-1")
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    return result.output


def _product(db, name):
    return db.session.scalars(sa.select(Product).where(Product.name == name)).one()


def test_ratings_certificates_and_alerts(runner, db, monkeypatch, world):
    output = _load(runner, monkeypatch)
    current = {}
    for name in ("Chè xanh Thanh Ba", "Bưởi Đoan Hùng", "Xoài cát Hòa Lộc Cao Lãnh", "Chuối tiêu hồng Hạ Hòa"):
        row = ocop.current_certificate(db.session, _product(db, name).id)
        current[name] = (row.stars, row.level.value) if row else None
    assert current == {
        "Chè xanh Thanh Ba": (4, "province"),
        "Bưởi Đoan Hùng": (4, "province"),
        "Xoài cát Hòa Lộc Cao Lãnh": (5, "ministry"),
        "Chuối tiêu hồng Hạ Hòa": None,  # its 3★ certificate expired
    }
    banana = _product(db, "Chuối tiêu hồng Hạ Hòa")
    [lapsed] = ocop.certificates(db.session, actor=world.auditor, product_id=banana.id)
    assert lapsed.stars == 3 and not lapsed.is_valid(ocop.today_in_vietnam())
    expiring = ocop.expiring(db.session, actor=world.auditor, within_days=30)
    assert [c.product.name for c in expiring] == ["Bưởi Đoan Hùng"]
    assert "Chuối tiêu hồng Hạ Hòa: 3★ province, expired" in output and "Bưởi Đoan Hùng: 4★ province, valid" in output


def test_two_linkage_models_one_tied(runner, db, monkeypatch):
    _load(runner, monkeypatch)
    models = db.session.scalars(sa.select(LinkageModel).order_by(LinkageModel.name)).all()
    assert {m.name: tied_to_raw_material_area(m, session=db.session) for m in models} == {
        "Liên kết bưởi Chí Đám mở rộng": False,  # its only area still awaits its code
        "Liên kết xoài xuất khẩu Mỹ Xương": True,
    }


def test_loading_twice_adds_nothing_and_the_api_reads_the_stars(runner, db, monkeypatch, world, make_api):
    _load(runner, monkeypatch)

    def counts():
        return [db.session.scalar(sa.select(sa.func.count()).select_from(t)) for t in TABLES]

    first = counts()
    _load(runner, monkeypatch)
    assert counts() == first == [4, 4, 2]
    tea = _product(db, "Chè xanh Thanh Ba")
    body = make_api(world.auditor).get(f"/api/v1/products/{tea.id}").json
    assert (body["ocop"]["stars"], body["ocop"]["valid"], body["ocop"]["subgroup"]) == (4, True, "1g")
