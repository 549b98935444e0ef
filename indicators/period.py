"""The reporting period (a year, or a range of dates) and who the figures are for (a province, an organization)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from registry.core.auth import Actor
from registry.core.db import VN_TZ, today_in_vietnam
from registry.core.errors import NotFound
from registry.core.fields import Fields, db_int
from registry.core.i18n import _l
from registry.core.validators import date_value
from registry.organizations.models import Organization
from registry.units.models import Province
from registry.units.services import get_province

FIRST_YEAR = 2000
MAX_DAYS = 3 * 366


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    @property
    def label(self) -> str:
        if self.start == dt.date(self.start.year, 1, 1) and self.end == dt.date(self.start.year, 12, 31):
            return str(self.start.year)
        return f"{self.start.isoformat()}/{self.end.isoformat()}"

    @property
    def as_of(self) -> dt.date:
        """The day a stock figure is read on: the period's last day, or today while the period is running."""
        return min(self.end, today_in_vietnam())

    @property
    def whole_months(self) -> bool:
        """Whether the period starts on a month's first day and ends on a month's last: a monthly roll-up then
        answers for it exactly."""
        return self.start.day == 1 and (self.end + dt.timedelta(days=1)).day == 1

    @property
    def reaches_today(self) -> bool:
        return self.end >= today_in_vietnam()

    def moment(self, day: dt.date) -> dt.datetime:
        """The end of a Vietnam calendar day, as an aware datetime (the first instant of the next day)."""
        return dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=VN_TZ)

    @property
    def begins(self) -> dt.datetime:
        return dt.datetime.combine(self.start, dt.time.min, tzinfo=VN_TZ)

    @property
    def ends(self) -> dt.datetime:
        return self.moment(self.as_of)

    def months(self) -> list[Period]:
        """The calendar months the period touches, each cut to the period; months after today are left out."""
        out, first = [], self.start.replace(day=1)
        last = min(self.end, today_in_vietnam())
        while first <= last:
            following = (first + dt.timedelta(days=32)).replace(day=1)
            out.append(Period(max(first, self.start), min(following - dt.timedelta(days=1), self.end)))
            first = following
        return out


def parse_period(errors: Fields, period: Any = None, date_from: Any = None, date_to: Any = None) -> Period | None:
    """``period=YYYY`` or ``from``/``to`` dates; neither means this year. Problems go to ``errors``."""
    given = period not in (None, "")
    if given and (date_from not in (None, "") or date_to not in (None, "")):
        errors.add("period", _l("Give either a year or from/to dates, not both."))
        return None
    if given:
        text = str(period).strip()
        year = int(text) if re.fullmatch(r"\d{4}", text) else None
        if year is None or not FIRST_YEAR <= year <= today_in_vietnam().year + 1:
            errors.add(
                "period",
                _l("The period is a year from %(first)s to %(last)s, such as 2025.", first=FIRST_YEAR,
                   last=today_in_vietnam().year + 1),
            )  # fmt: skip
            return None
        return Period(dt.date(year, 1, 1), dt.date(year, 12, 31))
    if date_from in (None, "") and date_to in (None, ""):
        year = today_in_vietnam().year
        return Period(dt.date(year, 1, 1), dt.date(year, 12, 31))
    if date_from in (None, "") or date_to in (None, ""):
        errors.add("from" if date_from in (None, "") else "to", _l("Give both from and to dates."))
        return None
    start = errors.check("from", date_value, date_from, required=True)
    end = errors.check("to", date_value, date_to, required=True)
    if start is None or end is None:
        return None
    if end < start:
        errors.add("to", _l("The end date is before the start date."))
        return None
    if (end - start).days >= MAX_DAYS or start.year < FIRST_YEAR:
        errors.add("from", _l("Choose a period of at most three years, from %(first)s on.", first=FIRST_YEAR))
        return None
    return Period(start, end)


@dataclass(frozen=True)
class Scope:
    """Whose figures: a province, and within it one organization's own when ``organization`` is set."""

    province: Province
    organization: Organization | None = None

    @property
    def province_code(self) -> str:
        return self.province.code

    @property
    def organization_id(self) -> int | None:
        return self.organization.id if self.organization else None


def resolve_scope(
    session: Session, errors: Fields, actor: Actor, *, province: Any = None, organization: Any = None
) -> Scope | None:
    """The department reads any province, or one organization in it; a member reads its own organization only.

    A member who names another organization gets 404, as everywhere in the registry."""
    org = None
    if organization not in (None, ""):
        org_id = db_int(organization)
        org = session.get(Organization, org_id) if org_id else None
        if org is None or not (actor.is_department or actor.organization_id == org.id):
            raise NotFound(_l("Organization not found."))
    elif not actor.is_department:
        org = session.get(Organization, actor.organization_id) if actor.organization_id else None
        if org is None:
            raise NotFound(_l("Organization not found."))
    if province in (None, ""):
        if org is None:
            errors.add("province", _l("Choose the province."))
            return None
        return Scope(org.commune.province, org)
    row = get_province(session, str(province))
    if row is None:
        errors.add("province", _l("There is no province with code %(code)s.", code=province))
        return None
    if org is not None and org.commune.province_code != row.code:
        if not actor.is_department:
            raise NotFound(_l("Organization not found."))
        errors.add("organization", _l("This organization is not in province %(code)s.", code=row.code))
        return None
    return Scope(row, org)
