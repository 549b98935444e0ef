"""The production diary of a growing area. Session first, never commit.

Members keep their own areas' diaries; the admin may write any; the department reads all.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from registry.areas.models import GrowingArea
from registry.core import validators as v
from registry.core.auth import Actor, get_visible, require_writer
from registry.core.db import Page, paginate, today_in_vietnam
from registry.core.errors import ValidationError
from registry.core.fields import Fields
from registry.core.i18n import _l
from trace.diary.models import MAX_PHI_DAYS, DiaryEntry, DiaryKind

KIND_LABELS = {
    DiaryKind.SPRAY: _l("Pesticide spray"),
    DiaryKind.FERTILIZE: _l("Fertilising"),
    DiaryKind.IRRIGATE: _l("Irrigation"),
    DiaryKind.PRUNE: _l("Pruning"),
    DiaryKind.BAG: _l("Bagging fruit"),
    DiaryKind.OTHER: _l("Other work"),
}


def kind_label(kind: Any) -> str:
    try:
        return str(KIND_LABELS[DiaryKind(getattr(kind, "value", kind))])
    except ValueError:
        return str(kind)


def get_area(session: Session, *, actor: Actor, area_id: Any) -> GrowingArea:
    return get_visible(session, GrowingArea, area_id, actor=actor, not_found=_l("Growing area not found."))


def _kind(value: Any) -> DiaryKind:
    try:
        return DiaryKind(str(value).strip().lower())
    except ValueError:
        raise v.FieldError(_l("Choose spray, fertilize, irrigate, prune, bag or other.")) from None


def _day(value: Any, today: dt.date) -> dt.date:
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            raise v.FieldError(_l("Give the date as YYYY-MM-DD.")) from None
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise v.FieldError(_l("Enter the date of the work."))
    if value > today:
        raise v.FieldError(_l("The date cannot be in the future."))
    return value


def _phi(value: Any) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool) or not (
        isinstance(value, int) or (isinstance(value, str) and value.strip().isascii() and value.strip().isdigit())
    ):
        raise v.FieldError(
            _l("The pre-harvest interval is a whole number of days from 0 to %(max)s.", max=MAX_PHI_DAYS)
        )
    days = int(value)
    if not 0 <= days <= MAX_PHI_DAYS:
        raise v.FieldError(
            _l("The pre-harvest interval is a whole number of days from 0 to %(max)s.", max=MAX_PHI_DAYS)
        )
    return days


def add_entry(
    session: Session,
    *,
    actor: Actor,
    area_id: Any,
    kind: Any,
    date: Any,
    performed_by: Any = None,
    input_name: Any = None,
    active_ingredient: Any = None,
    dose: Any = None,
    phi_days: Any = None,
    notes: Any = None,
) -> DiaryEntry:
    area = get_area(session, actor=actor, area_id=area_id)
    require_writer(actor, area.organization_id)
    f = Fields()
    kind = f.check("kind", _kind, kind)
    done_on = f.check("date", _day, date, today_in_vietnam())
    performed_by = f.check("performed_by", v.optional_text, performed_by, max_length=200)
    input_name = f.check("input_name", v.optional_text, input_name, max_length=200)
    active_ingredient = f.check("active_ingredient", v.optional_text, active_ingredient, max_length=200)
    dose = f.check("dose", v.optional_text, dose, max_length=100)
    phi = f.check("phi_days", _phi, phi_days)
    notes = f.check("notes", v.optional_text, notes, max_length=4000)
    if kind == DiaryKind.SPRAY:
        if not input_name and not f.has("input_name"):
            f.add("input_name", _l("Name the product sprayed, as on its label."))
        if not active_ingredient and not f.has("active_ingredient"):
            f.add("active_ingredient", _l("Name the active ingredient: it decides the pre-harvest interval."))
        if phi is None and not f.has("phi_days"):
            f.add("phi_days", _l("Give the pre-harvest interval in days, from the product's label."))
    elif kind is not None and phi is not None:
        f.add("phi_days", _l("Only a spray has a pre-harvest interval; leave it empty."))
    f.raise_if_any()
    entry = DiaryEntry(
        growing_area_id=area.id, kind=kind, done_on=done_on, performed_by=performed_by, input_name=input_name,
        active_ingredient=active_ingredient, dose=dose, phi_days=phi, notes=notes,
        recorded_by_id=getattr(actor, "id", None),
    )  # fmt: skip
    session.add(entry)
    session.flush()
    return entry


def list_entries(
    session: Session, *, actor: Actor, area_id: Any, kind: Any = None, page: int = 1, per_page: int = 25
) -> Page[DiaryEntry]:
    area = get_area(session, actor=actor, area_id=area_id)
    stmt = (
        sa.select(DiaryEntry)
        .where(DiaryEntry.growing_area_id == area.id)
        .order_by(DiaryEntry.done_on.desc(), DiaryEntry.id.desc())
    )
    if kind not in (None, ""):
        try:
            stmt = stmt.where(DiaryEntry.kind == DiaryKind(kind))
        except ValueError:
            raise ValidationError({"kind": [_l("Choose spray, fertilize, irrigate, prune, bag or other.")]}) from None
    return paginate(session, stmt, page=page, per_page=per_page)
