"""One item for each of the department's queues, plus things that must stay out of them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from registry.core.db import utcnow
from registry.lifecycle.models import CodeStatus
from tests.factories import AreaFactory
from tests.registry.desk.rows import add_change, make_certificate, make_house, overdue_inspection


@dataclass
class Desk:
    pending_area: Any
    pending_house: Any
    overdue_area: Any
    expiring_a: Any
    expiring_b: Any
    far_cert: Any
    revoked_cert: Any
    expired_cert: Any
    change: Any


@pytest.fixture
def desk(db, world):
    s = db.session
    now = utcnow()
    pending_area = AreaFactory(
        organization=world.org_b,
        code=None,
        status=CodeStatus.PENDING,
        name="Vùng chờ duyệt",
        created_at=now - dt.timedelta(days=10),
    )
    pending_house = make_house(
        s,
        world.org_a,
        code=None,
        name="Nhà đóng gói chờ duyệt",
        status=CodeStatus.PENDING,
        created_at=now - dt.timedelta(days=20),
    )
    overdue_area = AreaFactory(organization=world.org_b, name="Vùng quá hạn khắc phục", commune_code="07996")
    overdue_inspection(s, overdue_area, actor=world.auditor)
    expiring_a = make_certificate(s, world.area_a, number="VG-SOON-A", expires_in_days=30)
    expiring_b = make_certificate(s, world.area_b, number="VG-SOON-B", expires_in_days=10)
    far_cert = make_certificate(s, world.area_a, number="VG-FAR", expires_in_days=200)
    revoked_cert = make_certificate(s, world.area_a, number="VG-REVOKED", expires_in_days=20, revoked=True)
    expired_cert = make_certificate(s, world.area_a, number="VG-EXPIRED", expires_in_days=-1, issued_days_ago=900)
    change = add_change(
        s,
        world.area_b,
        from_status=CodeStatus.ACTIVE,
        to_status=CodeStatus.SUSPENDED,
        actor=world.auditor,
        reason="Phát hiện dư lượng thuốc",
    )
    s.commit()
    return Desk(
        pending_area, pending_house, overdue_area, expiring_a, expiring_b, far_cert, revoked_cert, expired_cert, change
    )
