import sqlalchemy as sa

from registry.units import services
from registry.units.models import Commune, Province


def test_units_are_the_2025_reform(db):
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Province)) == 34
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Commune)) == 3321
    phu_tho = db.session.get(Province, "25")
    assert phu_tho.name == "Phú Thọ"
    assert db.session.scalar(sa.select(sa.func.count()).where(Commune.province_code == "25")) == 148
    assert db.session.scalar(sa.select(sa.func.count()).where(Commune.province_code == "82")) == 102
    assert db.session.get(Commune, "07999").name == "Xã Chí Đám"


def test_units_load_is_idempotent(db):
    assert services.load_units(db.session) == (34, 3321)
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Commune)) == 3321
