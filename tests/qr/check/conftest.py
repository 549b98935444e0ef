"""Data for "check a code": a packing house, lots with and without a GTIN, history and a pending claim."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from registry.lifecycle.models import CodeStatus
from tests.factories import AreaFactory
from tests.registry.desk.rows import add_change, make_house, make_lot

CATALOGUE = Path(__file__).resolve().parents[3] / "translations" / "vi" / "LC_MESSAGES" / "messages.po"


def needs_translation(msgid: str) -> None:
    """Vietnamese strings new in this feature reach the catalogue when the lead merges translations."""
    if f'msgid "{msgid}"' not in CATALOGUE.read_text(encoding="utf-8"):
        pytest.xfail(f"not yet in the Vietnamese catalogue: {msgid}")


@dataclass
class Data:
    house: Any
    lot: Any
    short_lot: Any
    claim: Any


@pytest.fixture
def data(db, world):
    session = db.session
    add_change(session, world.area_a, to_status=CodeStatus.PENDING, actor=world.member_a)
    add_change(
        session,
        world.area_a,
        from_status=CodeStatus.PENDING,
        to_status=CodeStatus.ACTIVE,
        actor=world.auditor,
        reason="Đủ điều kiện",
    )
    house = make_house(session, world.org_a, code="VN-25-07999-DG001", name="Nhà đóng gói Chí Đám")
    lot = make_lot(session, product=world.product_a, area=world.area_a, code="DH/2511-a")
    short_lot = make_lot(session, product=world.product_a_no_gtin, area=world.area_a, code="KG-01")
    claim = AreaFactory(
        organization=world.org_b,
        code=None,
        claimed_code="VN-25-07996-777",
        status=CodeStatus.PENDING,
        name="Vùng xin cấp",
    )
    session.commit()
    return Data(house=house, lot=lot, short_lot=short_lot, claim=claim)
