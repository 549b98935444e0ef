"""The EPCIS query subset the registry needs, with the standard parameter names (GS1 EPCIS 2.0 REST)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from registry.core.auth import Actor
from registry.core.errors import ValidationError
from registry.core.i18n import _l
from trace.lots import lineage
from trace.lots.events import EventItem, ItemRole, TraceEvent
from trace.lots.models import Lot
from trace.lots.record import lot_for_class

CBV_PREFIXES = ("https://ref.gs1.org/cbv/BizStep-", "urn:epcglobal:cbv:bizstep:")
MAX_VALUES = 50


def bare_step(value: str) -> str:
    for prefix in CBV_PREFIXES:
        if value.startswith(prefix):
            return value[len(prefix) :]
    return value


def _list(value: Any) -> list[str]:
    values = [v.strip() for v in str(value).split(",") if v.strip()]
    return values[:MAX_VALUES]


def _time(errors: dict, name: str, value: Any) -> dt.datetime | None:
    if value in (None, ""):
        return None
    try:
        parsed = dt.datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
    except ValueError:
        parsed = None
    if parsed is None or parsed.tzinfo is None:
        errors[name] = [_l("Give a date and time with its time-zone offset, e.g. 2026-11-20T00:00:00+07:00.")]
        return None
    return parsed.astimezone(dt.UTC)


def _class_clause(session: Session, values: list[str], roles: tuple[ItemRole, ...]) -> Any:
    """Events with an item of one of the classes, in the given roles; a registry lot matches on any host."""
    lot_ids = [lot.id for lot in (lot_for_class(session, v) for v in values) if lot is not None]
    match = EventItem.epc_class.in_(values)
    if lot_ids:
        match = sa.or_(match, EventItem.lot_id.in_(lot_ids))
    return TraceEvent.id.in_(sa.select(EventItem.event_id).where(match, EventItem.role.in_(roles)))


def visible(stmt: sa.Select, actor: Actor) -> sa.Select:
    """The department sees every event; a member, its organization's and those touching its lots."""
    if actor.is_department:
        return stmt
    own_lots = (
        sa.select(EventItem.event_id)
        .join(Lot, Lot.id == EventItem.lot_id)
        .where(Lot.organization_id == actor.organization_id)
    )
    return stmt.where(sa.or_(TraceEvent.organization_id == actor.organization_id, TraceEvent.id.in_(own_lots)))


def events_stmt(session: Session, actor: Actor, args: dict[str, Any]) -> sa.Select:
    errors: dict[str, list] = {}
    stmt = sa.select(TraceEvent).order_by(TraceEvent.event_time, TraceEvent.id)
    if args.get("EQ_bizStep"):
        stmt = stmt.where(TraceEvent.biz_step.in_([bare_step(v) for v in _list(args["EQ_bizStep"])]))
    since = _time(errors, "GE_eventTime", args.get("GE_eventTime"))
    until = _time(errors, "LT_eventTime", args.get("LT_eventTime"))
    if errors:
        raise ValidationError(errors)
    if since is not None:
        stmt = stmt.where(TraceEvent.event_time >= since)
    if until is not None:
        stmt = stmt.where(TraceEvent.event_time < until)
    if args.get("MATCH_epcClass"):
        stmt = stmt.where(_class_clause(session, _list(args["MATCH_epcClass"]), (ItemRole.OBJECT,)))
    if args.get("MATCH_anyEPCClass"):
        stmt = stmt.where(_class_clause(session, _list(args["MATCH_anyEPCClass"]), tuple(ItemRole)))
    return visible(stmt, actor)


lot_history_stmt = lineage.history_stmt
