"""A province built for the indicators: six communes, cooperatives, linkage models, areas with their status
history, lots, diary entries, OCOP certificates and scans, each placed to count or not for a known reason.

The reporting period is 2026, read on 2027-02-01, so that every figure comes from the status history.

Communes C1..C6 (99001..99006). Key products: pomelo and tea.

- KT-1: C1 (two cooperatives) and C4 count; C2's cooperative was dissolved on 2026-06-30; C3 has only an
  enterprise; C5 and C6 have none. 2 of 6.
- KT-2: M1 (pomelo) names C1 and is supplied from A1 in C2; M3 (tea, Feb-Aug 2026) names C4; M4 (tea) is
  supplied from A4 in C5; M2 buys mango (not a key product) in C3; M5 (pomelo) ended in 2025 and named C6.
  C1, C2, C4, C5: 4 of 6.
- KT-2D: districts D1 = {C1, C3}, D2 = {C3, C6}, D3 = {C6}; only D1 holds a counted commune. 1 of 3.
- KT-3: tied in 2026 are M1 (A1 active), M2 (A2 active), M4 (A4 active from April); M3's only area A3 was
  suspended all year; M5 did not run. Digital: M1 (a lot from A1), M2 (a diary entry on A2); M4 neither. 2 of 3.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest
import sqlalchemy as sa

from indicators.models import KeyCrop
from qr.scans.models import AlertKind, Device, ScanAlert, ScanLink
from registry.areas.models import AreaKind, GrowingArea
from registry.core.db import VN_TZ
from registry.lifecycle.models import CodeStatus, StatusChange
from registry.linkage.models import LinkageModel
from registry.ocop.models import OcopCertificate, OcopEvaluation, OcopLevel
from registry.organizations.models import OrganizationKind
from registry.units.models import Commune, LegacyDistrict, Province, legacy_district_commune
from tests.conftest import UNIT_TABLES
from tests.factories import OrganizationFactory, ProductFactory, UserFactory
from trace.diary.models import DiaryEntry, DiaryKind
from trace.lots.models import Lot, LotOrigin, Unit

P = "99"
C = {i: f"990{i:02d}" for i in range(1, 7)}
READ_ON = dt.date(2027, 2, 1)


def at(day: str) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(9), tzinfo=VN_TZ)


@dataclass
class Province99:
    orgs: dict
    areas: dict
    models: dict
    lots: dict
    products: dict
    member: object
    other_member: object
    auditor: object


def _area(db, key, org, commune, crop, ha, history, *, created="2024-12-01", status=None):
    area = GrowingArea(
        name=f"Vùng {key}", kind=AreaKind.DOMESTIC, crop=crop, area_ha=Decimal(ha), commune_code=C[commune],
        organization_id=org.id, code=f"VN-99-{C[commune]}-{key}", status=status or history[-1][1],
        created_at=at(created), markets=[],
    )  # fmt: skip
    db.session.add(area)
    db.session.flush()
    previous = None
    for day, to in history:
        db.session.add(StatusChange(growing_area_id=area.id, from_status=previous, to_status=to, at=at(day)))
        previous = to
    return area


def _model(db, name, lead, crop, started, ended=None, communes=(), areas=()):
    model = LinkageModel(
        name=name, lead_organization_id=lead.id, crop=crop, started_on=dt.date.fromisoformat(started),
        ended_on=dt.date.fromisoformat(ended) if ended else None,
    )  # fmt: skip
    model.communes = [db.session.get(Commune, C[c]) for c in communes]
    model.areas = list(areas)
    db.session.add(model)
    return model


def _lot(db, code, product, area, harvested, *, voided=False, origin=LotOrigin.HARVEST):
    lot = Lot(
        code=code, code_key=code.upper(), product_id=product.id, growing_area_id=area.id if area else None,
        organization_id=product.organization_id, harvest_date=dt.date.fromisoformat(harvested),
        quantity=Decimal("100"), unit=Unit.KGM, public_token=f"tok-{code}", origin=origin,
        voided_at=at(harvested) if voided else None, void_reason="in" if voided else None,
    )  # fmt: skip
    db.session.add(lot)
    return lot


def _certificate(db, product, stars, issued, expires, *, revoked=None):
    evaluation = OcopEvaluation(
        product_id=product.id, group="01", subgroup="0101", score_a=30, score_b=20, score_c=25, total=75,
        stars=stars, evaluated_on=dt.date.fromisoformat(issued),
    )  # fmt: skip
    db.session.add(evaluation)
    db.session.flush()
    db.session.add(
        OcopCertificate(
            product_id=product.id, evaluation_id=evaluation.id, stars=stars, decision_number=f"QĐ-{product.id}",
            level=OcopLevel.MINISTRY if stars == 5 else OcopLevel.PROVINCE, issued_on=dt.date.fromisoformat(issued),
            expires_on=dt.date.fromisoformat(expires), revoked_on=dt.date.fromisoformat(revoked) if revoked else None,
        )
    )  # fmt: skip


@pytest.fixture
def province99(app, db, clock):
    db.session.add(Province(code=P, name="Tỉnh Thử Nghiệm", division_type="tỉnh"))
    db.session.add_all(
        Commune(code=code, name=f"Xã Thử {i}", division_type="xã", province_code=P) for i, code in C.items()
    )
    db.session.flush()
    clock.set_today(READ_ON)
    coop = OrganizationKind.COOPERATIVE
    orgs = {
        "coop1": OrganizationFactory(name="HTX Một", commune_code=C[1], kind=coop),
        "coop2": OrganizationFactory(name="HTX Hai", commune_code=C[1], kind=coop),
        "coop3": OrganizationFactory(name="HTX Ba", commune_code=C[2], kind=coop, dissolved_on=dt.date(2026, 6, 30)),
        "firm": OrganizationFactory(name="Công ty Bốn", commune_code=C[3], kind=OrganizationKind.ENTERPRISE),
        "coop4": OrganizationFactory(name="HTX Năm", commune_code=C[4], kind=coop),
    }
    pending, active, suspended = CodeStatus.PENDING, CodeStatus.ACTIVE, CodeStatus.SUSPENDED
    areas = {
        "A1": _area(db, "A1", orgs["coop1"], 2, "pomelo", "10", [("2024-12-01", pending), ("2025-01-05", active)]),
        "A2": _area(db, "A2", orgs["firm"], 3, "mango", "5", [("2025-05-01", pending), ("2025-06-01", active)]),
        "A3": _area(db, "A3", orgs["coop4"], 4, "tea", "8",
                    [("2024-12-01", pending), ("2025-01-05", active), ("2025-12-01", suspended)]),
        "A4": _area(db, "A4", orgs["coop1"], 5, "tea", "4", [("2026-01-10", pending), ("2026-04-01", active)],
                    created="2026-01-10"),
        "A5": _area(db, "A5", orgs["coop1"], 6, "pomelo", "2", [("2026-10-01", pending)], created="2026-10-01"),
        "A6": _area(db, "A6", orgs["coop4"], 6, "tea", "3",
                    [("2026-02-01", pending), ("2026-03-01", CodeStatus.REFUSED)], created="2026-02-01"),
        "A7": _area(db, "A7", orgs["coop4"], 6, "tea", "6", [("2027-01-15", pending), ("2027-01-20", active)],
                    created="2027-01-15"),
    }  # fmt: skip
    models = {
        "M1": _model(db, "M1 bưởi", orgs["coop1"], "pomelo", "2025-01-01", communes=[1], areas=[areas["A1"]]),
        "M2": _model(db, "M2 xoài", orgs["coop4"], "mango", "2026-01-01", communes=[3], areas=[areas["A2"]]),
        "M3": _model(db, "M3 chè", orgs["coop4"], "tea", "2026-02-01", "2026-08-31", communes=[4], areas=[areas["A3"]]),
        "M4": _model(db, "M4 chè", orgs["coop1"], "tea", "2026-01-01", areas=[areas["A4"]]),
        "M5": _model(db, "M5 bưởi cũ", orgs["coop1"], "pomelo", "2024-01-01", "2025-06-30", communes=[6]),
    }  # fmt: skip
    products = {
        "P1": ProductFactory(organization=orgs["coop1"], name="Bưởi Một"),
        "P2": ProductFactory(organization=orgs["coop4"], name="Chè Năm", crop="tea"),
        "P3": ProductFactory(organization=orgs["coop4"], name="Chè thu hồi", crop="tea"),
    }
    db.session.flush()
    lots = {
        "L1": _lot(db, "L1", products["P1"], areas["A1"], "2026-05-10"),
        "L2": _lot(db, "L2", products["P1"], areas["A1"], "2026-07-01", voided=True),
        "L3": _lot(db, "L3", products["P2"], areas["A2"], "2025-12-31"),
        "L4": _lot(db, "L4", products["P2"], None, "2026-09-09", origin=LotOrigin.MERGE),
    }
    db.session.add(DiaryEntry(growing_area_id=areas["A2"].id, kind=DiaryKind.FERTILIZE, done_on=dt.date(2026, 3, 1)))
    db.session.add(DiaryEntry(growing_area_id=areas["A4"].id, kind=DiaryKind.FERTILIZE, done_on=dt.date(2025, 3, 1)))
    _certificate(db, products["P1"], 4, "2024-01-10", "2027-01-10")
    _certificate(db, products["P2"], 5, "2025-03-01", "2028-03-01")
    _certificate(db, products["P3"], 3, "2025-03-01", "2028-03-01", revoked="2026-05-01")
    db.session.add_all(KeyCrop(province_code=P, crop=c) for c in ("pomelo", "tea"))
    db.session.add_all(
        LegacyDistrict(code=code, name=f"Huyện cũ {code}", province_code=P) for code in ("901", "902", "903")
    )
    db.session.flush()
    db.session.execute(
        sa.insert(legacy_district_commune),
        [{"district_code": d, "commune_code": C[c]} for d, c in (("901", 1), ("901", 3), ("902", 3), ("902", 6),
                                                                   ("903", 6))],
    )  # fmt: skip
    member = UserFactory(organization=orgs["coop1"], email="coop1@test.example")
    other = UserFactory(organization=orgs["coop4"], email="coop4@test.example")
    from registry.core.auth import Role

    auditor = UserFactory(role=Role.AUDITOR, organization=None, email="auditor99@test.example")
    db.session.commit()
    _scans(app, db, lots, products, orgs)
    db.session.add(
        ScanAlert(kind=AlertKind.BURST, lot_id=lots["L1"].id, product_id=products["P1"].id,
                  organization_id=orgs["coop1"].id, province_code=P, window_key="w1", scans=30, threshold=20,
                  detected_at=at("2026-06-01"))
    )  # fmt: skip
    db.session.commit()
    yield Province99(orgs, areas, models, lots, products, member, other, auditor)
    db.session.rollback()
    tables = [t for t in reversed(db.metadata.sorted_tables) if t.name not in UNIT_TABLES]
    with db.engine.begin() as conn:
        for table in tables:
            conn.execute(table.delete())
        conn.execute(sa.delete(Commune.__table__).where(Commune.province_code == P))
        conn.execute(sa.delete(Province.__table__).where(Province.code == P))


def _scans(app, db, lots, products, orgs):
    """Three scans of L1 in May 2026 (and a link preview, not counted), two in September, through the recorder."""
    from qr.scans.recorder import write

    def row(day, device=Device.MOBILE):
        return (at(day), ScanLink.DIGITAL_LINK, lots["L1"].id, products["P1"].id, orgs["coop1"].id, P, "vi", device,
                "abc", None)  # fmt: skip

    batch = [row("2026-05-11"), row("2026-05-12"), row("2026-05-31"), row("2026-05-12", Device.BOT),
             row("2026-09-01"), row("2026-09-02")]  # fmt: skip
    with db.engine.begin() as conn:
        write(conn, batch, app.config)
