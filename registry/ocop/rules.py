"""OCOP rules: star bands, issuing levels, 36-month validity and the checks of typed scores and dates."""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from registry.core.fields import Fields
from registry.core.i18n import _l, text
from registry.ocop.groups import GROUP_BY_CODE, SUBGROUP_BY_CODE
from registry.ocop.models import OcopLevel

VALIDITY_MONTHS = 36
# The holder is notified at least 30 days before expiry.
NOTICE_DAYS = 30
MAX_WINDOW_DAYS = 3660
CERTIFIED_STARS = (3, 4, 5)
VALIDITIES = ("valid", "expired", "revoked")

LEVEL_LABELS = {
    OcopLevel.PROVINCE: _l("province"),
    OcopLevel.MINISTRY: _l("ministry"),
}


# ---------------------------------------------------------------- rules


def stars_for(total: int) -> int:
    """5★ 90–100, 4★ 70–89, 3★ 50–69, 2★ 30–49, 1★ below 30."""
    if total >= 90:
        return 5
    if total >= 70:
        return 4
    if total >= 50:
        return 3
    if total >= 30:
        return 2
    return 1


def level_for(stars: int) -> OcopLevel:
    return OcopLevel.MINISTRY if stars == 5 else OcopLevel.PROVINCE


def stars_label(n: int | None) -> str:
    """What a screen reader reads: "4 sao OCOP" / "4-star OCOP"."""
    return str(_l("%(n)s-star OCOP", n=n)) if n else "—"


def level_label(level: Any) -> str:
    return text(LEVEL_LABELS[OcopLevel(level)]) if level else "—"


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` calendar months later; a day the month lacks becomes its last (29/2 -> 28/2)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def expiry_for(decided_on: dt.date) -> dt.date:
    return add_months(decided_on, VALIDITY_MONTHS)


# ---------------------------------------------------------------- field checks


def score_field(f: Fields, name: str, value: Any, maximum: int) -> int | None:
    message = _l("Enter a whole number of points from 0 to %(max)s.", max=maximum)
    number: int | None
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int):
        number = value
    elif isinstance(value, str) and value.strip().isascii() and value.strip().isdigit() and len(value.strip()) <= 4:
        number = int(value.strip())
    else:
        number = None
    if number is None or not 0 <= number <= maximum:
        f.add(name, message)
        return None
    return number


def date_field(f: Fields, name: str, value: Any, today: dt.date, *, missing: Any, future: Any) -> dt.date | None:
    if isinstance(value, str) and value.strip():
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            f.add(name, _l("Enter a date as YYYY-MM-DD."))
            return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        f.add(name, missing)
        return None
    if value > today:
        f.add(name, future)
        return None
    return value


def classification_fields(f: Fields, group: Any, subgroup: Any) -> tuple[str | None, str | None]:
    """The sub-group is required; the group follows from it and, when given, must match it."""
    group = (str(group).strip() if group not in (None, "") else None) or None
    code = (str(subgroup).strip().lower() if subgroup not in (None, "") else None) or None
    if group is not None and group not in GROUP_BY_CODE:
        f.add("group", _l("Choose one of the six OCOP product groups (1 to 6)."))
        return None, None
    found = SUBGROUP_BY_CODE.get(code or "")
    if found is None:
        f.add("subgroup", _l("Choose the product's OCOP sub-group, e.g. 1a."))
        return group, None
    if group is not None and found.group != group:
        f.add("subgroup", _l("Sub-group %(sub)s is not in group %(group)s.", sub=found.code, group=group))
        return group, None
    return found.group, found.code
