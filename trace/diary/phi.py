"""Pre-harvest intervals (thời gian cách ly): a spray makes the area's harvest unsafe until its PHI has passed.

Lots stand above the diary, so lot creation asks here; the diary never imports lots.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Session

from registry.core.i18n import _l, fmt_date
from trace.diary.models import DiaryEntry, DiaryKind


def blocking_spray(session: Session, area_id: int, harvest_date: dt.date) -> DiaryEntry | None:
    """The spray on or before the harvest day whose interval ends last after it, or None if the harvest is safe.

    Harvest on day D + PHI is safe; on any earlier day it is not.
    """
    sprays = session.scalars(
        sa.select(DiaryEntry).where(
            DiaryEntry.growing_area_id == area_id,
            DiaryEntry.kind == DiaryKind.SPRAY,
            DiaryEntry.done_on <= harvest_date,
            DiaryEntry.done_on >= harvest_date - dt.timedelta(days=366),
        )
    )
    unsafe = [s for s in sprays if s.safe_from is not None and harvest_date < s.safe_from]
    return max(unsafe, key=lambda s: (s.safe_from, s.id)) if unsafe else None


def refusal(spray: DiaryEntry):
    return _l(
        "Inside the pre-harvest interval: %(product)s (%(ingredient)s) was sprayed on %(sprayed)s with an interval "
        "of %(days)s days, so the first safe harvest day is %(safe)s.",
        product=spray.input_name,
        ingredient=spray.active_ingredient or "—",
        sprayed=fmt_date(spray.done_on),
        days=spray.phi_days,
        safe=fmt_date(spray.safe_from),
    )
