"""Reading scans: per-day counts for a lot, a product or a province, and the alerts. Session first, never commit.

Owners see their own organization's scans; the department sees every organization's, and by province. A lot or
product of another organization is "not found" to a member, as everywhere in the registry.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from qr.scans.models import AlertKind, ScanAlert, ScanDay
from registry.core.auth import Actor
from registry.core.db import Page, paginate, today_in_vietnam
from registry.core.errors import ValidationError
from registry.core.fields import Fields, db_int
from registry.core.i18n import _l
from registry.products.services import get_product
from registry.units.models import Province
from trace.lots.models import Lot
from trace.lots.services import get_lot

DEFAULT_DAYS = 30
MAX_DAYS = 366


@dataclass(frozen=True)
class Summary:
    scope: dict[str, Any]
    date_from: dt.date
    date_to: dt.date
    days: list[tuple[dt.date, int]]  # every day of the period, zeros included
    total: int
    lots: list[tuple[int, str, int]]  # the most scanned lots: id, code, scans


def _date(errors: Fields, name: str, value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        errors.add(name, _l("Use a date as YYYY-MM-DD."))
        return None


def period(errors: Fields, date_from: Any, date_to: Any) -> tuple[dt.date, dt.date]:
    end = _date(errors, "to", date_to) or today_in_vietnam()
    start = _date(errors, "from", date_from) or end - dt.timedelta(days=DEFAULT_DAYS - 1)
    if start > end:
        errors.add("from", _l("The start date is after the end date."))
    elif (end - start).days >= MAX_DAYS:
        errors.add("from", _l("Choose a period of at most %(n)s days.", n=MAX_DAYS))
    return start, end


def summary(
    session: Session,
    *,
    actor: Actor,
    lot_id: Any = None,
    product_id: Any = None,
    province: Any = None,
    date_from: Any = None,
    date_to: Any = None,
) -> Summary:
    """Scans per day in the period (the last 30 days by default) for one lot, one product or one province; with
    none of them, all the scans the caller may see."""
    errors = Fields()
    chosen = [name for name, value in (("lot_id", lot_id), ("product_id", product_id), ("province", province))
              if value not in (None, "")]  # fmt: skip
    if len(chosen) > 1:
        errors.add(chosen[1], _l("Choose one of lot_id, product_id and province."))
    start, end = period(errors, date_from, date_to)
    errors.raise_if_any()
    where = [ScanDay.day >= start, ScanDay.day <= end]
    scope: dict[str, Any] = {}
    if lot_id not in (None, ""):
        lot = get_lot(session, actor=actor, lot_id=db_int(lot_id) or 0)
        where.append(ScanDay.lot_id == lot.id)
        scope = {"lot_id": lot.id, "lot_code": lot.code, "quantity": str(lot.quantity), "unit": lot.unit.value}
    elif product_id not in (None, ""):
        product = get_product(session, actor=actor, product_id=db_int(product_id) or 0)
        where.append(ScanDay.product_id == product.id)
        scope = {"product_id": product.id, "product_name": product.name}
    elif province not in (None, ""):
        name = session.scalar(sa.select(Province.name).where(Province.code == str(province)))
        if name is None:
            raise ValidationError({"province": [_l("Unknown province code.")]})
        where.append(ScanDay.province_code == str(province))
        scope = {"province": str(province), "province_name": name}
    if not actor.is_department:
        where.append(ScanDay.organization_id == actor.organization_id)
    per_day = dict(
        session.execute(sa.select(ScanDay.day, sa.func.sum(ScanDay.scans)).where(*where).group_by(ScanDay.day)).all()
    )
    days = [(start + dt.timedelta(days=i), int(per_day.get(start + dt.timedelta(days=i), 0)))
            for i in range((end - start).days + 1)]  # fmt: skip
    top = session.execute(
        sa.select(ScanDay.lot_id, Lot.code, sa.func.sum(ScanDay.scans).label("n"))
        .join(Lot, Lot.id == ScanDay.lot_id)
        .where(*where)
        .group_by(ScanDay.lot_id, Lot.code)
        .order_by(sa.desc("n"), ScanDay.lot_id)
        .limit(10)
    ).all()
    return Summary(scope, start, end, days, sum(n for _, n in days), [(a, b, int(c)) for a, b, c in top])


def list_alerts(
    session: Session,
    *,
    actor: Actor,
    lot_id: Any = None,
    province: Any = None,
    kind: Any = None,
    page: int = 1,
    per_page: int = 25,
) -> Page:
    """Alerts, newest first: the owner's own, or any for the department."""
    errors = Fields()
    stmt = sa.select(ScanAlert)
    if kind not in (None, ""):
        if kind not in {k.value for k in AlertKind}:
            errors.add("kind", _l("Unknown alert kind: %(value)s.", value=kind))
        else:
            stmt = stmt.where(ScanAlert.kind == AlertKind(kind))
    if province not in (None, ""):
        if session.scalar(sa.select(Province.code).where(Province.code == str(province))) is None:
            errors.add("province", _l("Unknown province code."))
        stmt = stmt.where(ScanAlert.province_code == str(province))
    errors.raise_if_any()
    if lot_id not in (None, ""):
        lot = get_lot(session, actor=actor, lot_id=db_int(lot_id) or 0)
        stmt = stmt.where(ScanAlert.lot_id == lot.id)
    if not actor.is_department:
        stmt = stmt.where(ScanAlert.organization_id == actor.organization_id)
    stmt = stmt.order_by(ScanAlert.detected_at.desc(), ScanAlert.id.desc())
    return paginate(session, stmt, page=page, per_page=per_page)
