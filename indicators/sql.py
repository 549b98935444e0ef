"""SQL pieces the definitions share: a month's key, a code's status at a moment, a model's place and period."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement

from indicators.period import Period, Scope
from registry.areas.models import GrowingArea
from registry.core.db import UTCDateTime
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


def intervals(among: Any = None) -> Any:
    """Each status an area's code held: from the change that set it until the next change (NULL: it still does).

    One window over the status history, so a figure reads every area's status in one pass, not area by area."""
    sc = StatusChange
    return (
        sa.select(
            sc.growing_area_id.label("area_id"),
            sc.to_status.label("status"),
            sc.at.label("since"),
            sa.func.lead(sc.at).over(partition_by=sc.growing_area_id, order_by=(sc.at, sc.id)).label("until"),
        )
        .where(sc.growing_area_id.is_not(None) if among is None else sc.growing_area_id.in_(among))
        .subquery("status_interval")
    )


def area_status(period: Period) -> Any:
    """Every registered area's code status on the period's as-of day, as a subquery (area_id, status).

    While the period reaches today, the present status. Before that, the status set by the last change before
    the end of that day. Every area has a history from its registration (the services start it; migration 0008
    gave one to any area that had none), so an area not registered yet has no row."""
    if period.reaches_today:
        return sa.select(GrowingArea.id.label("area_id"), GrowingArea.status.label("status")).subquery("area_status")
    moment = period.ends
    iv = intervals()
    return (
        sa.select(iv.c.area_id, iv.c.status)
        .where(iv.c.since < moment, sa.or_(iv.c.until.is_(None), iv.c.until >= moment))
        .subquery("area_status")
    )


def active_areas(period: Period, among: Any = None) -> Any:
    """The areas (``among`` a subquery of area ids, if given) whose code was active at some time in the period:
    the rule of registry.linkage.tied, read from the status history."""
    iv = intervals(among)
    return sa.select(iv.c.area_id).where(
        iv.c.status == CodeStatus.ACTIVE,
        iv.c.since < period.moment(period.end),
        sa.or_(iv.c.until.is_(None), iv.c.until >= period.begins),
    )


def months_table(months: list[Period]) -> Any:
    """The months of a trend as a small table: key 'YYYY-MM', first and last day, as-of day, and the first and
    last instants (Viet Nam's days) for the status history."""
    return sa.union_all(
        *(
            sa.select(
                sa.literal(p.start.strftime("%Y-%m"), sa.String).label("key"),
                sa.literal(p.start, sa.Date).label("first"),
                sa.literal(p.end, sa.Date).label("last"),
                sa.literal(p.as_of, sa.Date).label("as_of"),
                sa.literal(p.begins, UTCDateTime).label("begins"),
                sa.literal(p.moment(p.end), UTCDateTime).label("ends"),
            )
            for p in months
        )
    ).subquery("months")


def model_runs(first: Any, last: Any) -> Any:
    """A linkage model that ran at some time between two days (dates, or a trend's month columns)."""
    return sa.and_(
        LinkageModel.started_on <= last,
        sa.or_(LinkageModel.ended_on.is_(None), LinkageModel.ended_on >= first),
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
