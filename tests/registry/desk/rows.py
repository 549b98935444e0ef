"""Rows the factories do not make: packing houses, lots, certificates, households, history, inspections."""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal

from registry.areas.models import GapCertificate, GapScheme, Household
from registry.core.db import today_in_vietnam, utcnow
from registry.lifecycle.models import CodeStatus, Conclusion, Inspection, StatusChange
from registry.packing.models import PackingHouse
from trace.lots.models import Lot, Unit


def make_house(session, organization, *, code, name="Nhà đóng gói Chí Đám", status=CodeStatus.ACTIVE, **kw):
    house = PackingHouse(
        organization_id=organization.id,
        commune_code=kw.pop("commune_code", "07999"),
        code=code,
        name=name,
        status=status,
        **kw,
    )
    session.add(house)
    session.flush()
    return house


def make_lot(session, *, product, area, code="DH-2511-001", voided=False):
    lot = Lot(
        code=code,
        code_key=code.upper(),
        product_id=product.id,
        growing_area_id=area.id,
        organization_id=product.organization_id,
        harvest_date=today_in_vietnam() - dt.timedelta(days=2),
        quantity=Decimal("1200"),
        unit=Unit.KGM,
        public_token=secrets.token_urlsafe(16)[:22],
        voided_at=utcnow() if voided else None,
        void_reason="Nhãn in sai" if voided else None,
    )
    session.add(lot)
    session.flush()
    return lot


def make_certificate(session, area, *, number, expires_in_days, issued_days_ago=300, revoked=False, scheme="vietgap"):
    today = today_in_vietnam()
    cert = GapCertificate(
        growing_area_id=area.id,
        scheme=GapScheme(scheme),
        number=number,
        issuer="Trung tâm Chứng nhận Phù hợp QUACERT",
        issued_on=today - dt.timedelta(days=issued_days_ago),
        expires_on=today + dt.timedelta(days=expires_in_days),
        revoked_on=today if revoked else None,
        revoke_reason="Vi phạm" if revoked else None,
    )
    session.add(cert)
    session.flush()
    return cert


def make_household(session, area, *, name, phone):
    row = Household(growing_area_id=area.id, name=name, plot_ha=Decimal("1.5"), phone=phone)
    session.add(row)
    session.flush()
    return row


def add_change(session, subject, *, to_status, from_status=None, reason=None, actor=None, at=None):
    change = StatusChange(
        from_status=from_status,
        to_status=to_status,
        reason=reason,
        actor_id=actor.id if actor else None,
        at=at or utcnow(),
    )
    setattr(change, subject.SUBJECT_COLUMN, subject.id)
    session.add(change)
    session.flush()
    return change


def overdue_inspection(session, subject, *, actor=None, days_late=3):
    today = today_in_vietnam()
    row = Inspection(
        inspected_on=today - dt.timedelta(days=30),
        inspector_name="Nguyễn Văn Kiểm",
        conclusion=Conclusion.CORRECTIVE_ACTION,
        corrective_deadline=today - dt.timedelta(days=days_late),
        reason="Chưa thu gom bao bì thuốc BVTV",
        recorded_by_id=actor.id if actor else None,
    )
    setattr(row, subject.SUBJECT_COLUMN, subject.id)
    session.add(row)
    session.flush()
    return row
