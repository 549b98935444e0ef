"""SQL pieces the definitions share: a month's key, a code's status at a moment, a model's place and period."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement

from indicators.period import Period, Scope
from registry.areas.models import GrowingArea
from registry.lifecycle.models import CodeStatus, StatusChange
from registry.linkage.models import LinkageModel, linkage_area, linkage_commune, linkage_partner
from registry.organizations.models import Organization
from registry.units.models import Commune


class month_of(FunctionElement):  # noqa: N801  (reads as a SQL function)
    """'YYYY-MM' of a date column, in either database."""

    type = sa.String()
    inherit_cache = True


@compiles(month_of)
def _month_sqlite(element, compiler, **kw):
    return f"strftime('%Y-%m', {compiler.process(element.clauses, **kw)})"


@compiles(month_of, "postgresql")
def _month_pg(element, compiler, **kw):
    return f"to_char({compiler.process(element.clauses, **kw)}, 'YYYY-MM')"


def in_province(commune_column: Any, scope: Scope) -> Any:
    return commune_column.in_(sa.select(Commune.code).where(Commune.province_code == scope.province_code))


def status_at(area: Any, moment: dt.datetime) -> Any:
    """The code status an area had at ``moment``: the last change before it; an area with no history at all
    (loaded before histories were kept) has held its present status since it was registered; NULL if the area
    was not registered yet."""
    last = (
        sa.select(StatusChange.to_status)
        .where(StatusChange.growing_area_id == area.id, StatusChange.at < moment)
        .order_by(StatusChange.at.desc(), StatusChange.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    no_history = ~sa.exists().where(StatusChange.growing_area_id == area.id)
    return sa.func.coalesce(last, sa.case((sa.and_(no_history, area.created_at < moment), area.status)))


def status_on(area: Any, period: Period) -> Any:
    """The status on the period's as-of day: the present status while the period reaches today."""
    return area.status if period.reaches_today else status_at(area, period.ends)


def active_during(area: Any, period: Period) -> Any:
    """Whether an area's code was active at any time in the period (the same rule as registry.linkage.tied)."""
    became_active = sa.exists().where(
        StatusChange.growing_area_id == area.id,
        StatusChange.to_status == CodeStatus.ACTIVE,
        StatusChange.at >= period.begins,
        StatusChange.at < period.moment(period.end),
    )
    clauses = [status_at(area, period.begins) == CodeStatus.ACTIVE, became_active]
    if period.reaches_today:
        clauses.insert(0, area.status == CodeStatus.ACTIVE)
    return sa.or_(*clauses)


def model_runs(period: Period) -> Any:
    return sa.and_(
        LinkageModel.started_on <= period.end,
        sa.or_(LinkageModel.ended_on.is_(None), LinkageModel.ended_on >= period.start),
    )


def model_in_scope(scope: Scope) -> Any:
    """A model belongs to a province when its lead organization, one of its communes or one of its areas is
    there; to an organization when it leads the model or is a partner in it."""
    if scope.organization_id is not None:
        partner = sa.select(linkage_partner.c.model_id).where(
            linkage_partner.c.organization_id == scope.organization_id
        )
        return sa.or_(LinkageModel.lead_organization_id == scope.organization_id, LinkageModel.id.in_(partner))
    communes = sa.select(Commune.code).where(Commune.province_code == scope.province_code)
    leads = sa.select(Organization.id).where(Organization.commune_code.in_(communes))
    by_commune = sa.select(linkage_commune.c.model_id).where(linkage_commune.c.commune_code.in_(communes))
    by_area = (
        sa.select(linkage_area.c.model_id)
        .join(GrowingArea, GrowingArea.id == linkage_area.c.growing_area_id)
        .where(GrowingArea.commune_code.in_(communes))
    )
    return sa.or_(
        LinkageModel.lead_organization_id.in_(leads), LinkageModel.id.in_(by_commune), LinkageModel.id.in_(by_area)
    )


class local_month_of(FunctionElement):  # noqa: N801
    """'YYYY-MM' of a UTC timestamp, in Viet Nam's time (UTC+7 all year)."""

    type = sa.String()
    inherit_cache = True


@compiles(local_month_of)
def _local_month_sqlite(element, compiler, **kw):
    return f"strftime('%Y-%m', {compiler.process(element.clauses, **kw)}, '+7 hours')"


@compiles(local_month_of, "postgresql")
def _local_month_pg(element, compiler, **kw):
    return f"to_char({compiler.process(element.clauses, **kw)} AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM')"
