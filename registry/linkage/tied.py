"""'Tied to a raw-material area' (gắn với vùng nguyên liệu): derived from the supplying areas' codes, never declared."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, object_session

from registry.areas.models import GrowingArea
from registry.core.db import VN_TZ, today_in_vietnam
from registry.core.i18n import _l
from registry.lifecycle.models import CodeStatus, StatusChange
from registry.linkage.models import LinkageModel, linkage_area

TIED_RULE = _l(
    "Tied to a raw-material area: at least one growing area supplying the model holds an active code — today, "
    "or, for a reporting period, at any time in that period according to the code's status history. "
    "Derived from the registry, never declared."
)

Period = tuple[dt.date, dt.date]


def _day_start(day: dt.date) -> dt.datetime:
    """Midnight in Viet Nam, as an aware datetime: 'a day' means a Vietnamese calendar day."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=VN_TZ)


def _area_active_in(area: GrowingArea, changes: list[StatusChange], start: dt.date, end: dt.date) -> bool:
    today = today_in_vietnam()
    if end >= today and area.status == CodeStatus.ACTIVE:
        return True  # active now, and the period reaches today
    begin, finish = _day_start(start), _day_start(end + dt.timedelta(days=1))
    before = [c for c in changes if c.at < begin]
    if before and before[-1].to_status == CodeStatus.ACTIVE:
        return True  # already active when the period began
    return any(c.to_status == CodeStatus.ACTIVE and begin <= c.at < finish for c in changes)


def tied_to_raw_material_area(
    model: LinkageModel, on: dt.date | Period | None = None, *, session: Session | None = None
) -> bool:
    """Whether the model is tied to a raw-material area (gắn với vùng nguyên liệu). DERIVED, never a checkbox.

    Rule: the model has at least one supplying growing area whose code is active
    (registry.lifecycle.models.CodeStatus.ACTIVE).

    - ``on`` omitted, or today or later: an area whose code is active now.
    - ``on`` a past date: an area whose code was active on that day (Viet Nam calendar day).
    - ``on`` a period ``(first_day, last_day)``: an area whose code was active at any time in the period.

    The past is read from the status history (registry.lifecycle.models.StatusChange rows naming the area):
    the status an area had at a moment is the one its last change before that moment set. An area whose
    code is active now counts for any period that reaches today, even without a history row.
    No areas means not tied. Whether the model itself ran in the period is a separate question.
    """
    if not model.areas:
        return False
    if on is None:
        start = end = today_in_vietnam()
    elif isinstance(on, tuple):
        start, end = on
    else:
        start = end = on
    if end < start:
        raise ValueError("a period ends on or after its first day")
    session = session or object_session(model)
    ids = [a.id for a in model.areas]
    history: dict[int, list[StatusChange]] = {i: [] for i in ids}
    if session is not None and start < today_in_vietnam():
        stmt = (
            sa.select(StatusChange)
            .where(StatusChange.growing_area_id.in_(ids))
            .order_by(StatusChange.at, StatusChange.id)
        )
        for change in session.scalars(stmt):
            history[change.growing_area_id].append(change)
    return any(_area_active_in(area, history[area.id], start, end) for area in model.areas)


def tied_now_clause() -> Any:
    """SQL for 'tied today': some supplying area's code is active now."""
    return sa.exists(
        sa.select(linkage_area.c.model_id)
        .join(GrowingArea, GrowingArea.id == linkage_area.c.growing_area_id)
        .where(linkage_area.c.model_id == LinkageModel.id, GrowingArea.status == CodeStatus.ACTIVE)
    )
