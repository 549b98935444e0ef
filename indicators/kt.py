"""KT-1, KT-2 and KT-3: the three 2025 targets of section I.2.b of both seed plans."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from indicators.definitions import Indicator, define, row
from indicators.key_crops import key_crop_codes, unavailable_without_key_crops
from indicators.period import Period, Scope
from indicators.sql import active_during, model_in_scope, model_runs
from registry.areas.models import GrowingArea
from registry.core.i18n import _l
from registry.linkage.models import LinkageModel, linkage_area, linkage_commune
from registry.organizations.models import Organization, OrganizationKind
from registry.units.models import Commune, LegacyDistrict, legacy_district_commune
from trace.diary.models import DiaryEntry
from trace.lots.models import Lot

# ---------------------------------------------------------------- KT-1


def _cooperatives(period: Period):
    return sa.select(Organization.commune_code).where(
        Organization.kind == OrganizationKind.COOPERATIVE,
        sa.or_(Organization.dissolved_on.is_(None), Organization.dissolved_on > period.as_of),
    )


def kt1_records(session: Session, scope: Scope, period: Period) -> sa.Select:
    has = Commune.code.in_(_cooperatives(period))
    return sa.select(
        *row(key=Commune.code, label=Commune.name, counted=has, reason=sa.case((has, None), else_="no_cooperative"))
    ).where(Commune.province_code == scope.province_code)


define(
    Indicator(
        code="KT-1",
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


def _covering(period: Period, scope: Scope, *, key_only: bool):
    """Communes covered by a linkage model running in the period: the communes it names and its areas' communes."""
    models = sa.select(LinkageModel.id).where(model_runs(period))
    if key_only:
        models = models.where(LinkageModel.crop.in_(key_crop_codes(scope.province_code)))
    named = sa.select(linkage_commune.c.commune_code).where(linkage_commune.c.model_id.in_(models))
    supplied = (
        sa.select(GrowingArea.commune_code)
        .join(linkage_area, linkage_area.c.growing_area_id == GrowingArea.id)
        .where(linkage_area.c.model_id.in_(models))
    )
    return sa.union(named, supplied)


def kt2_records(session: Session, scope: Scope, period: Period) -> sa.Select:
    covered = Commune.code.in_(_covering(period, scope, key_only=True))
    any_model = Commune.code.in_(_covering(period, scope, key_only=False))
    reason = sa.case((covered, None), (any_model, "model_not_key_product"), else_="no_model")
    return sa.select(*row(key=Commune.code, label=Commune.name, counted=covered, reason=reason)).where(
        Commune.province_code == scope.province_code
    )


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
        trend="months",
        record_kind="district",
        unavailable=_legacy_or_key_crops_missing,
    )
)

# ---------------------------------------------------------------- KT-3


def _tied(period: Period):
    """Models with a supplying area whose code was active at some time in the period."""
    return (
        sa.select(linkage_area.c.model_id)
        .join(GrowingArea, GrowingArea.id == linkage_area.c.growing_area_id)
        .where(active_during(GrowingArea, period))
    )


def _traced(period: Period):
    """Models with a lot harvested in the period from one of their areas, recorded with its QR label."""
    return (
        sa.select(linkage_area.c.model_id)
        .join(Lot, Lot.growing_area_id == linkage_area.c.growing_area_id)
        .where(Lot.harvest_date >= period.start, Lot.harvest_date <= period.end, Lot.voided_at.is_(None))
    )


def _diary(period: Period):
    """Models with a diary entry, kept in the registry, for one of their areas in the period."""
    return (
        sa.select(linkage_area.c.model_id)
        .join(DiaryEntry, DiaryEntry.growing_area_id == linkage_area.c.growing_area_id)
        .where(DiaryEntry.done_on >= period.start, DiaryEntry.done_on <= period.end)
    )


def kt3_records(session: Session, scope: Scope, period: Period) -> sa.Select:
    traced = LinkageModel.id.in_(_traced(period))
    diary = LinkageModel.id.in_(_diary(period))
    digital = sa.or_(traced, diary)
    return sa.select(
        *row(
            key=LinkageModel.id,
            label=LinkageModel.name,
            counted=digital,
            reason=sa.case((digital, None), else_="not_digital"),
            traced=sa.case((traced, 1), else_=0),
            diary=sa.case((diary, 1), else_=0),
        )
    ).where(model_runs(period), model_in_scope(scope), LinkageModel.id.in_(_tied(period)))


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
    ).where(model_runs(period), model_in_scope(scope), LinkageModel.id.not_in(_tied(period)))


define(
    Indicator(
        code="KT-3",
        outside=kt3_outside,
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
