"""A granted area with private details (households, phones, tax code) that the public page must hide."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from registry.areas.models import AreaKind
from registry.lifecycle.models import CodeStatus
from tests.factories import AreaFactory
from tests.registry.desk.rows import add_change, make_certificate, make_house, make_household

PRIVATE_PHONE = "0912345678"
PRIVATE_HOUSEHOLD = "Hộ ông Nguyễn Văn Riêng"


@dataclass
class Public:
    area: Any
    house: Any
    suspended: Any
    pending: Any
    valid_cert: Any
    expired_cert: Any
    revoked_cert: Any


@pytest.fixture
def public(db, world):
    s = db.session
    area = world.area_a
    area.kind = AreaKind.EXPORT
    area.markets = ["CN", "US"]
    make_household(s, area, name=PRIVATE_HOUSEHOLD, phone=PRIVATE_PHONE)
    add_change(s, area, to_status=CodeStatus.ACTIVE, actor=world.auditor, reason="Lý do nội bộ")
    valid = make_certificate(s, area, number="VG-VALID-01", expires_in_days=200)
    expired = make_certificate(s, area, number="VG-EXPIRED-02", expires_in_days=-5, issued_days_ago=800)
    revoked = make_certificate(s, area, number="VG-REVOKED-03", expires_in_days=100, revoked=True)
    house = make_house(s, world.org_a, code="VN-25-07999-DG001", name="Nhà đóng gói Chí Đám", address="Xóm 3 riêng")
    suspended = AreaFactory(organization=world.org_b, status=CodeStatus.SUSPENDED, commune_code="07996")
    pending = AreaFactory(organization=world.org_b, code="VN-25-07996-555", status=CodeStatus.PENDING)
    s.commit()
    return Public(area, house, suspended, pending, valid, expired, revoked)
