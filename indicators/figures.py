"""The registry's own figures, reported beside KT-1..3: coded areas, the key-crop share, OCOP, lots and scans."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Session

from indicators.definitions import COUNT, Indicator, define, row
from indicators.key_crops import key_crop_codes, unavailable_without_key_crops
from indicators.period import Period, Scope
from indicators.sql import area_status, in_province, local_month_of, month_of
from qr.scans.models import ScanAlert, ScanMonth
from registry.areas.models import GrowingArea
from registry.core.i18n import _l
from registry.lifecycle.models import CodeStatus
from registry.ocop.models import OcopCertificate
from registry.organizations.models import Organization
from registry.products.models import Product
from registry.units.models import Commune
from trace.lots.models import Lot
from trace.lots.tally import LotMonth

EXPIRING_DAYS = 90
NOT_REGISTERED = (CodeStatus.REFUSED, CodeStatus.WITHDRAWN)


def _organizations(scope: Scope):
    if scope.organization_id is not None:
        return [scope.organization_id]
    return sa.select(Organization.id).where(in_province(Organization.commune_code, scope))


# ---------------------------------------------------------------- growing areas


def _areas(scope: Scope, period: Period, *, measure, key_only: bool = False) -> sa.Select:
    held = area_status(period)
    status = held.c.status
    active = status == CodeStatus.ACTIVE
    stmt = (
        sa.select(
            *row(
                key=GrowingArea.id,
                label=sa.func.coalesce(GrowingArea.code, GrowingArea.claimed_code, GrowingArea.name),
                place=Commune.name,
                counted=active,
                reason=sa.case((active, None), else_=sa.cast(status, sa.String)),
                measure=measure,
                crop=GrowingArea.crop,
                commune=Commune.name,
            )
        )
        .join(held, held.c.area_id == GrowingArea.id)
        .join(Commune, Commune.code == GrowingArea.commune_code)
        .where(status.not_in(NOT_REGISTERED))
    )
    if scope.organization_id is not None:
        stmt = stmt.where(GrowingArea.organization_id == scope.organization_id)
    else:
        stmt = stmt.where(Commune.province_code == scope.province_code)
    if key_only:
        stmt = stmt.where(GrowingArea.crop.in_(key_crop_codes(scope.province_code)))
    return stmt


AREA_RULE = _l(
    "Growing areas registered in the registry (refused and withdrawn applications left out), with the status their "
    "code had on the last day of the period, or today while the period runs; counted when it was active."
)

define(
    Indicator(
        code="AREA-CODED",
        name=_l("Growing areas holding an active code"),
        rule=AREA_RULE,
        records=lambda session, scope, period: _areas(scope, period, measure=1),
        kind=COUNT,
        unit=_l("areas"),
        groups=("crop", "commune"),
        extra={"denominator_name": _l("registered growing areas")},
    )
)

define(
    Indicator(
        code="AREA-CODED-HA",
        name=_l("Hectares of growing area holding an active code"),
        rule=AREA_RULE,
        records=lambda session, scope, period: _areas(scope, period, measure=GrowingArea.area_ha),
        kind=COUNT,
        unit=_l("ha"),
        measure_unit=_l("ha"),
        groups=("crop", "commune"),
        extra={"denominator_name": _l("hectares registered")},
    )
)

define(
    Indicator(
        code="KEY-AREA-CODED",
        name=_l("Share of the key crops' registered area that holds an active code"),
        rule=_l(
            "Hectares of growing areas of the province's key products whose code was active on the last day of "
            "the period (or today), over the hectares of all such areas registered (refused and withdrawn "
            "applications left out). Plan 300 of Đồng Tháp targets all of the eligible area."
        ),
        records=lambda session, scope, period: _areas(scope, period, measure=GrowingArea.area_ha, key_only=True),
        target=100.0,
        measure_unit=_l("ha"),
        groups=("crop",),
        unavailable=unavailable_without_key_crops,
    )
)

# ---------------------------------------------------------------- OCOP


def _valid_certificates(scope: Scope, period: Period):
    day = period.as_of
    return (
        sa.select(OcopCertificate, Product)
        .join(Product, Product.id == OcopCertificate.product_id)
        .where(
            OcopCertificate.revoked_on.is_(None),
            OcopCertificate.issued_on <= day,
            OcopCertificate.expires_on >= day,
            Product.organization_id.in_(_organizations(scope)),
        )
    )


def ocop_records(session: Session, scope: Scope, period: Period) -> sa.Select:
    """Each product once, with the stars of its latest certificate valid on the day."""
    ranked = (
        _valid_certificates(scope, period)
        .with_only_columns(
            OcopCertificate.product_id,
            OcopCertificate.stars,
            Product.name,
            sa.func.row_number()
            .over(
                partition_by=OcopCertificate.product_id,
                order_by=(OcopCertificate.issued_on.desc(), OcopCertificate.id.desc()),
            )
            .label("rank"),
        )
        .subquery()
    )
    return sa.select(*row(key=ranked.c.product_id, label=ranked.c.name, counted=True, stars=ranked.c.stars)).where(
        ranked.c.rank == 1
    )


define(
    Indicator(
        code="OCOP-PRODUCTS",
        name=_l("OCOP products with a valid certificate, by stars"),
        rule=_l(
            "Products of the scope's organizations holding an OCOP certificate valid on the last day of the period "
            "(or today): issued, not expired, not revoked. A product counts once, with its latest certificate's stars."
        ),
        records=ocop_records,
        kind=COUNT,
        unit=_l("products"),
        groups=("stars",),
        record_kind="product",
    )
)


def expiring_records(session: Session, scope: Scope, period: Period) -> sa.Select:
    limit = period.as_of + dt.timedelta(days=EXPIRING_DAYS)
    return (
        _valid_certificates(scope, period)
        .with_only_columns(
            *row(
                key=OcopCertificate.id,
                label=Product.name,
                counted=True,
                stars=OcopCertificate.stars,
                expires_on=OcopCertificate.expires_on,
                product_id=Product.id,
            )
        )
        .where(OcopCertificate.expires_on <= limit)
    )


define(
    Indicator(
        code="OCOP-EXPIRING",
        name=_l("OCOP certificates expiring within 90 days"),
        rule=_l(
            "Certificates valid on the last day of the period (or today) whose validity ends within the 90 days "
            "that follow; each needs a re-evaluation before it lapses."
        ),
        records=expiring_records,
        kind=COUNT,
        unit=_l("certificates"),
        groups=("stars",),
        record_kind="certificate",
    )
)

# ---------------------------------------------------------------- lots and scans


def lot_records(session: Session, scope: Scope, period: Period) -> sa.Select:
    """Lots harvested in the period, not voided; a lot's province is its area's, else its organization's."""
    stmt = sa.select(*row(key=Lot.id, label=Lot.code, counted=True, month=month_of(Lot.harvest_date))).where(
        Lot.harvest_date >= period.start, Lot.harvest_date <= period.end, Lot.voided_at.is_(None)
    )
    if scope.organization_id is not None:
        return stmt.where(Lot.organization_id == scope.organization_id)
    areas = sa.select(GrowingArea.id).where(in_province(GrowingArea.commune_code, scope))
    return stmt.where(
        sa.or_(
            Lot.growing_area_id.in_(areas),
            sa.and_(Lot.growing_area_id.is_(None), Lot.organization_id.in_(_organizations(scope))),
        )
    )


def lot_tally(session: Session, scope: Scope, period: Period) -> sa.Select | None:
    """The same lots from lot_month, the roll-up the lot triggers keep (trace.lots.tally), for whole months."""
    if not period.whole_months:
        return None
    stmt = sa.select(
        *row(key=LotMonth.id, label=sa.literal(""), counted=True, measure=LotMonth.lots, weight=LotMonth.lots,
             month=month_of(LotMonth.month))
    ).where(LotMonth.month >= period.start, LotMonth.month <= period.end)  # fmt: skip
    if scope.organization_id is not None:
        return stmt.where(LotMonth.organization_id == scope.organization_id)
    areas = sa.select(GrowingArea.id).where(in_province(GrowingArea.commune_code, scope))
    return stmt.where(
        sa.or_(
            LotMonth.area_key.in_(areas),
            sa.and_(LotMonth.area_key == 0, LotMonth.organization_id.in_(_organizations(scope))),
        )
    )


define(
    Indicator(
        code="LOTS",
        tally=lot_tally,
        name=_l("Lots traced, by month of harvest"),
        rule=_l(
            "Harvest lots and the lots made from them (splits, merges, transformations, receipts) recorded with "
            "a QR label and harvested in the period, voided lots left out. A lot belongs to its growing area's "
            "province, or to its organization's when it has no single area."
        ),
        records=lot_records,
        kind=COUNT,
        unit=_l("lots"),
        groups=("month",),
        trend="group",
        record_kind="lot",
    )
)


def _of_scope(stmt: sa.Select, scope: Scope, model: type) -> sa.Select:
    """Rows of a scan table (organization_id, province_code): the organization's own, or the province's."""
    if scope.organization_id is not None:
        return stmt.where(model.organization_id == scope.organization_id)
    return stmt.where(model.province_code == scope.province_code)


def scan_records(session: Session, scope: Scope, period: Period) -> sa.Select:
    stmt = (
        sa.select(
            *row(
                key=ScanMonth.id,
                label=Organization.name,
                counted=True,
                measure=ScanMonth.scans,
                month=month_of(ScanMonth.month),
                organization_id=ScanMonth.organization_id,
            )
        )
        .join(Organization, Organization.id == ScanMonth.organization_id)
        .where(ScanMonth.month >= period.start.replace(day=1), ScanMonth.month <= period.end)
    )
    return _of_scope(stmt, scope, ScanMonth)


define(
    Indicator(
        code="SCANS",
        name=_l("QR scans by consumers, by month"),
        rule=_l(
            "Opens of the public provenance and product pages from a QR label, by whole Vietnam months that the "
            "period touches; link previews and crawlers are left out. A scan belongs to its lot's growing area's "
            "province, or to the producer's."
        ),
        records=scan_records,
        kind=COUNT,
        unit=_l("scans"),
        measure_unit=_l("scans"),
        groups=("month",),
        trend="group",
        record_kind="scans",
    )
)


def alert_records(session: Session, scope: Scope, period: Period) -> sa.Select:
    stmt = (
        sa.select(
            *row(
                key=ScanAlert.id,
                label=Lot.code,
                counted=True,
                month=local_month_of(ScanAlert.detected_at),
                kind=sa.cast(ScanAlert.kind, sa.String),
                lot_id=ScanAlert.lot_id,
            )
        )
        .join(Lot, Lot.id == ScanAlert.lot_id)
        .where(ScanAlert.detected_at >= period.begins, ScanAlert.detected_at < period.moment(period.end))
    )
    return _of_scope(stmt, scope, ScanAlert)


define(
    Indicator(
        code="SCAN-ALERTS",
        name=_l("Scan alerts, by month"),
        rule=_l(
            "Alerts raised by scans in the period: more scans of a lot than it has units, bursts, scans from many "
            "places at once, and serial stamps that are unknown, voided or scanned too often."
        ),
        records=alert_records,
        kind=COUNT,
        unit=_l("alerts"),
        groups=("month", "kind"),
        trend="group",
        record_kind="alert",
    )
)
