"""KT-1, KT-2 and KT-3: the three 2025 targets of section I.2.b of both seed plans."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from indicators.definitions import Indicator, define, row
from indicators.key_crops import key_crop_codes, unavailable_without_key_crops
from indicators.period import Period, Scope
from indicators.sql import active_areas, intervals, model_in_scope, model_runs, month_of, months_table
from registry.areas.models import GrowingArea
from registry.core.i18n import _l
from registry.lifecycle.models import CodeStatus
from registry.linkage.models import LinkageModel, linkage_area, linkage_commune
from registry.organizations.models import Organization, OrganizationKind
from registry.units.models import Commune, LegacyDistrict, legacy_district_commune
from trace.diary.models import DiaryEntry
from trace.lots.models import Lot
from trace.lots.tally import LotMonth

# ---------------------------------------------------------------- KT-1


def _active_cooperative(as_of: Any) -> Any:
    """A cooperative not dissolved by ``as_of`` (a date, or a trend's month column)."""
    return sa.and_(
        Organization.kind == OrganizationKind.COOPERATIVE,
        sa.or_(Organization.dissolved_on.is_(None), Organization.dissolved_on > as_of),
    )


def kt1_records(session: Session, scope: Scope, period: Period) -> sa.Select:
    has = Commune.code.in_(sa.select(Organization.commune_code).where(_active_cooperative(period.as_of)))
    return sa.select(
        *row(key=Commune.code, label=Commune.name, counted=has, reason=sa.case((has, None), else_="no_cooperative"))
    ).where(Commune.province_code == scope.province_code)


def _communes(scope: Scope) -> Any:
    return sa.select(Commune.code).where(Commune.province_code == scope.province_code)


def _share_by_month(m: Any, counted: Any, scope: Scope) -> sa.Select:
    """(month, communes counted, all communes) for every month of ``m``; ``counted`` has columns key and code."""
    everyone = sa.select(sa.func.count()).select_from(_communes(scope).subquery()).scalar_subquery()
    return (
        sa.select(m.c.key, sa.func.count(sa.distinct(counted.c.code)), everyone)
        .select_from(m)
        .outerjoin(counted, counted.c.key == m.c.key)
        .group_by(m.c.key)
    )


def kt1_trend(session: Session, scope: Scope, period: Period) -> sa.Select | None:
    """KT-1 for every month in one pass, by kt1_records' rule for each month alone (the tests hold them equal)."""
    months = period.months()
    if not months:
        return None
    m = months_table(months)
    with_coop = (
        sa.select(m.c.key, Organization.commune_code.label("code"))
        .join(Organization, _active_cooperative(m.c.as_of))
        .where(Organization.commune_code.in_(_communes(scope)))
        .subquery("with_cooperative")
    )
    return _share_by_month(m, with_coop, scope)


define(
    Indicator(
        code="KT-1",
        trend_query=kt1_trend,
        name=_l("Share of communes with at least one cooperative"),
        rule=_l(
            "Communes, wards and special zones of the province (after the July 2025 reform) where at least one "
            "cooperative registered in the registry is based and was not dissolved by the last day of the period "
            "(or today, while the period runs), over all of the province's communes."
        ),
        records=kt1_records,
        target=70.0,
        province_only=True,
        trend="months",
        record_kind="commune",
    )
)

# ---------------------------------------------------------------- KT-2


def _covered(models: Any, *keys: Any) -> Any:
    """The communes linkage models cover, the communes they name and their supplying areas' communes, as rows
    (keys..., code); ``models`` is a subquery with an ``id`` column and the ``keys``."""
    named = (
        sa.select(*keys, linkage_commune.c.commune_code.label("code"))
        .select_from(models)
        .join(linkage_commune, linkage_commune.c.model_id == models.c.id)
    )
    supplied = (
        sa.select(*keys, GrowingArea.commune_code.label("code"))
        .select_from(models)
        .join(linkage_area, linkage_area.c.model_id == models.c.id)
        .join(GrowingArea, GrowingArea.id == linkage_area.c.growing_area_id)
    )
    return sa.union(named, supplied)


def _covering(period: Period, scope: Scope, *, key_only: bool):
    """Communes covered by a linkage model running in the period (for a key product only, if ``key_only``)."""
    models = sa.select(LinkageModel.id).where(model_runs(period.start, period.end))
    if key_only:
        models = models.where(LinkageModel.crop.in_(key_crop_codes(scope.province_code)))
    return _covered(models.subquery("running"))


def kt2_records(session: Session, scope: Scope, period: Period) -> sa.Select:
    key_models = _covering(period, scope, key_only=True).subquery("key_covered")
    any_models = _covering(period, scope, key_only=False).subquery("any_covered")
    covered = key_models.c.code.is_not(None)
    reason = sa.case((covered, None), (any_models.c.code.is_not(None), "model_not_key_product"), else_="no_model")
    return (
        sa.select(*row(key=Commune.code, label=Commune.name, counted=covered, reason=reason))
        .outerjoin(key_models, key_models.c.code == Commune.code)
        .outerjoin(any_models, any_models.c.code == Commune.code)
        .where(Commune.province_code == scope.province_code)
    )


def kt2_trend(session: Session, scope: Scope, period: Period) -> sa.Select | None:
    """KT-2 for every month in one pass, by kt2_records' rule for each month alone (the tests hold them equal)."""
    months = period.months()
    if not months:
        return None
    m = months_table(months)
    models = (
        sa.select(LinkageModel.id, m.c.key)
        .join(m, model_runs(m.c.first, m.c.last))
        .where(LinkageModel.crop.in_(key_crop_codes(scope.province_code)))
        .subquery("models_by_month")
    )
    covered = _covered(models, models.c.key).subquery("covered_by_month")
    inside = sa.select(covered.c.key, covered.c.code).where(covered.c.code.in_(_communes(scope))).subquery("inside")
    return _share_by_month(m, inside, scope)


KT2_NAME = _l("Share of communes with a production-linkage model tied to selling a key product")
KT2_RULE = _l(
    "Since July 2025 there are no districts, so KT-2 is reported by commune: communes of the province named by, "
    "or holding a growing area that supplies, a production-linkage model that ran in the period and buys one of "
    "the province's key products, over all of the province's communes."
)

define(
    Indicator(
        code="KT-2",
        name=KT2_NAME,
        trend_query=kt2_trend,
        rule=KT2_RULE,
        records=kt2_records,
        target=70.0,
        province_only=True,
        trend="months",
        record_kind="commune",
        unavailable=unavailable_without_key_crops,
        note=_l(
            "The 2025 target speaks of districts; there have been none since July 2025. See KT-2D for the old way."
        ),
    )
)


def kt2d_records(session: Session, scope: Scope, period: Period) -> sa.Select:
    covered_communes = _covering(period, scope, key_only=True)
    links = legacy_district_commune.c
    covered = LegacyDistrict.code.in_(sa.select(links.district_code).where(links.commune_code.in_(covered_communes)))
    reason = sa.case((covered, None), else_="no_commune_covered")
    return sa.select(*row(key=LegacyDistrict.code, label=LegacyDistrict.name, counted=covered, reason=reason)).where(
        LegacyDistrict.province_code == scope.province_code
    )


def _legacy_or_key_crops_missing(session: Session, scope: Scope):
    missing = unavailable_without_key_crops(session, scope)
    if missing is not None:
        return missing
    loaded = session.scalar(sa.select(sa.func.count()).where(LegacyDistrict.province_code == scope.province_code))
    if not loaded:
        return _l(
            "No mapping of this province's communes to its pre-2025 districts is loaded, so KT-2 is not reported by "
            "district. The department loads one with: flask --app wsgi units load-legacy FILE."
        )
    return None


define(
    Indicator(
        code="KT-2D",
        name=_l("Share of pre-2025 districts with a production-linkage model tied to selling a key product"),
        rule=_l(
            "KT-2 the way the 2025 target was written: a pre-2025 district counts when at least one of today's "
            "communes mapped to it counts for KT-2. Reported only where the department loaded that mapping."
        ),
        records=kt2d_records,
        target=70.0,
        province_only=True,
        record_kind="district",
        note=_l("No monthly trend here: KT-2's trend follows the same communes month by month."),
        unavailable=_legacy_or_key_crops_missing,
    )
)

# ---------------------------------------------------------------- KT-3


def _tied(period: Period):
    """Models with a supplying area whose code was active at some time in the period."""
    linked = sa.select(linkage_area.c.growing_area_id)
    return sa.select(linkage_area.c.model_id).where(linkage_area.c.growing_area_id.in_(active_areas(period, linked)))


def _traced(period: Period):
    """Models with a lot harvested in the period from one of their areas, recorded with its QR label: for each
    supplying area, one probe of the lots' (area, harvest date) index."""
    if period.whole_months:  # the roll-up the lot triggers keep answers exactly (trace.lots.tally)
        lot = sa.exists().where(
            LotMonth.area_key == linkage_area.c.growing_area_id,
            LotMonth.month >= period.start,
            LotMonth.month <= period.end,
            LotMonth.lots > 0,
        )
    else:
        lot = sa.exists().where(
            Lot.growing_area_id == linkage_area.c.growing_area_id,
            Lot.harvest_date >= period.start,
            Lot.harvest_date <= period.end,
            Lot.voided_at.is_(None),
        )
    return sa.select(linkage_area.c.model_id).where(lot)


def _diary(period: Period):
    """Models with a diary entry, kept in the registry, for one of their areas in the period."""
    entry = sa.exists().where(
        DiaryEntry.growing_area_id == linkage_area.c.growing_area_id,
        DiaryEntry.done_on >= period.start,
        DiaryEntry.done_on <= period.end,
    )
    return sa.select(linkage_area.c.model_id).where(entry)


def kt3_records(session: Session, scope: Scope, period: Period) -> sa.Select:
    tied = _tied(period).distinct().subquery("tied")
    traced_models = _traced(period).distinct().subquery("traced")
    diary_models = _diary(period).distinct().subquery("diary")
    traced, diary = traced_models.c.model_id.is_not(None), diary_models.c.model_id.is_not(None)
    digital = sa.or_(traced, diary)
    return (
        sa.select(
            *row(
                key=LinkageModel.id,
                label=LinkageModel.name,
                counted=digital,
                reason=sa.case((digital, None), else_="not_digital"),
                traced=sa.case((traced, 1), else_=0),
                diary=sa.case((diary, 1), else_=0),
            )
        )
        .join(tied, tied.c.model_id == LinkageModel.id)
        .outerjoin(traced_models, traced_models.c.model_id == LinkageModel.id)
        .outerjoin(diary_models, diary_models.c.model_id == LinkageModel.id)
        .where(model_runs(period.start, period.end), model_in_scope(scope))
    )


def kt3_trend(session: Session, scope: Scope, period: Period) -> sa.Select | None:
    """KT-3 for every month of the period in one pass: (month, counted, records) per month, by the same rule as
    kt3_records for each month alone (the tests hold the two equal). Only for whole months."""
    months = period.months()
    if not period.whole_months or not months:
        return None
    m = months_table(months)
    iv = intervals(sa.select(linkage_area.c.growing_area_id))
    tied = (
        sa.select(linkage_area.c.model_id, m.c.key)
        .join(iv, iv.c.area_id == linkage_area.c.growing_area_id)
        .join(m, sa.and_(iv.c.since < m.c.ends, sa.or_(iv.c.until.is_(None), iv.c.until >= m.c.begins)))
        .where(iv.c.status == CodeStatus.ACTIVE)
        .distinct()
        .subquery("tied_month")
    )
    traced = (
        sa.select(linkage_area.c.model_id, month_of(LotMonth.month).label("key"))
        .join(LotMonth, LotMonth.area_key == linkage_area.c.growing_area_id)
        .where(LotMonth.month >= period.start, LotMonth.month <= period.end, LotMonth.lots > 0)
        .distinct()
        .subquery("traced_month")
    )
    diary = (
        sa.select(linkage_area.c.model_id, month_of(DiaryEntry.done_on).label("key"))
        .join(DiaryEntry, DiaryEntry.growing_area_id == linkage_area.c.growing_area_id)
        .where(DiaryEntry.done_on >= period.start, DiaryEntry.done_on <= period.end)
        .distinct()
        .subquery("diary_month")
    )
    digital = sa.or_(traced.c.model_id.is_not(None), diary.c.model_id.is_not(None))
    return (
        sa.select(m.c.key, sa.func.sum(sa.case((digital, 1), else_=0)), sa.func.count())
        .select_from(m)
        .join(LinkageModel, model_runs(m.c.first, m.c.last))
        .join(tied, sa.and_(tied.c.model_id == LinkageModel.id, tied.c.key == m.c.key))
        .outerjoin(traced, sa.and_(traced.c.model_id == LinkageModel.id, traced.c.key == m.c.key))
        .outerjoin(diary, sa.and_(diary.c.model_id == LinkageModel.id, diary.c.key == m.c.key))
        .where(model_in_scope(scope))
        .group_by(m.c.key)
    )


def kt3_outside(session: Session, scope: Scope, period: Period) -> sa.Select:
    """Models that ran in the period but are not tied to a raw-material area, and why."""
    has_area = LinkageModel.id.in_(sa.select(linkage_area.c.model_id))
    return sa.select(
        *row(
            key=LinkageModel.id,
            label=LinkageModel.name,
            counted=False,
            reason=sa.case((has_area, "not_tied"), else_="no_area"),
        )
    ).where(model_runs(period.start, period.end), model_in_scope(scope), LinkageModel.id.not_in(_tied(period)))


define(
    Indicator(
        code="KT-3",
        outside=kt3_outside,
        trend_query=kt3_trend,
        name=_l("Share of linkage models tied to a raw-material area that apply digital technology"),
        rule=_l(
            "Derived, never declared. The denominator: production-linkage models that ran in the period with at "
            "least one supplying growing area whose code was active at some time in the period (tied to a "
            "raw-material area). The numerator: those of them that, in the period, had a lot harvested from one "
            "of their areas recorded with its QR label (not voided), or kept a diary entry in the registry for "
            "one of their areas."
        ),
        records=kt3_records,
        target=50.0,
        trend="months",
        record_kind="model",
    )
)
