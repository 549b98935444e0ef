"""Capture: a partner system sends an EPCIS 2.0 document (or one event); its events are stored all or none.

Validation is the official JSON Schema with a format checker, then what the schema leaves open: a known event
type, an eventTime with its offset, eventIDs not seen before, and numbers the database can hold exactly.
Events naming the registry's lots (by Digital Link on any host, or short link) find them; a transformation
between two of the registry's lots joins their lineage, unless it would make a lot its own ancestor.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal, InvalidOperation
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from registry.core.auth import Actor, can_write, require_registrar
from registry.core.errors import Conflict, ValidationError
from registry.core.i18n import _l
from trace.epcis.query import bare_step
from trace.epcis.schema import EVENT_TYPES, problems
from trace.lots import lineage, record
from trace.lots.events import EventItem, EventKind, ItemRole, LotLink, TraceEvent

MAX_EVENTS = 1000
MAX_QUANTITY = Decimal("99999999999")  # Numeric(14, 3)
LISTS = (
    ("epcList", ItemRole.OBJECT, False),
    ("quantityList", ItemRole.OBJECT, True),
    ("childEPCs", ItemRole.OBJECT, False),
    ("childQuantityList", ItemRole.OBJECT, True),
    ("inputEPCList", ItemRole.INPUT, False),
    ("inputQuantityList", ItemRole.INPUT, True),
    ("outputEPCList", ItemRole.OUTPUT, False),
    ("outputQuantityList", ItemRole.OUTPUT, True),
)
DISPOSITION_PREFIXES = ("https://ref.gs1.org/cbv/Disp-", "urn:epcglobal:cbv:disp:")


def _events(document: dict[str, Any]) -> tuple[list[dict[str, Any]], str]:
    """The events and the path prefix of each, from a document or a single event."""
    if document.get("type") == "EPCISDocument":
        return list(document.get("epcisBody", {}).get("eventList", [])), "epcisBody.eventList"
    return [document], ""


def _path(prefix: str, i: int, field: str) -> str:
    return f"{prefix}.{i}.{field}" if prefix else field


def _when(value: str) -> dt.datetime | None:
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except (TypeError, ValueError, AttributeError):
        return None
    return parsed if parsed.tzinfo is not None else None


def _offset(when: dt.datetime) -> str:
    minutes = int(when.utcoffset().total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _check(session: Session, document: Any) -> list[tuple[dict[str, Any], str]]:
    if not isinstance(document, dict):
        raise ValidationError({"document": [_l("Send an EPCIS 2.0 document or event as a JSON object.")]})
    errors: dict[str, list] = {}
    kind = document.get("type")
    if kind != "EPCISDocument" and kind not in EVENT_TYPES:
        errors["type"] = [
            _l("Unknown EPCIS type %(type)s: send an EPCISDocument or one of the five event types.", type=kind)
        ]
        raise ValidationError(errors, _l("The EPCIS document is not valid."))
    errors.update(problems(document))
    events, prefix = _events(document)
    if len(events) > MAX_EVENTS:
        errors["epcisBody.eventList"] = [_l("At most %(n)s events in one capture.", n=MAX_EVENTS)]
    seen: set[str] = set()
    checked = []
    for i, event in enumerate(events if isinstance(events, list) else []):
        if not isinstance(event, dict):
            continue
        if event.get("type") not in EVENT_TYPES:
            errors.setdefault(_path(prefix, i, "type"), []).append(
                _l("Unknown event type %(type)s.", type=event.get("type"))
            )
        if _when(event.get("eventTime")) is None:
            errors.setdefault(_path(prefix, i, "eventTime"), []).append(
                _l("eventTime needs a date, a time and a time-zone offset, e.g. 2026-11-20T08:30:00+07:00.")
            )
        event_id = event.get("eventID")
        if isinstance(event_id, str):
            if event_id in seen:
                errors.setdefault(_path(prefix, i, "eventID"), []).append(
                    _l("This eventID appears twice in the document.")
                )
            seen.add(event_id)
        for name, _role, counted in LISTS:
            for j, element in enumerate(event.get(name) or []):
                if counted and isinstance(element, dict) and "quantity" in element:
                    try:
                        q = Decimal(str(element["quantity"]))
                    except InvalidOperation:
                        continue  # the schema has said so
                    if q.is_finite() and (abs(q) > MAX_QUANTITY or q != q.quantize(Decimal("0.001"))):
                        errors.setdefault(f"{_path(prefix, i, name)}.{j}.quantity", []).append(
                            _l("The registry keeps quantities up to 99,999,999,999 with at most 3 decimals.")
                        )
                klass = element.get("epcClass") if isinstance(element, dict) else element
                if isinstance(klass, str) and len(klass) > 500:
                    errors.setdefault(f"{_path(prefix, i, name)}.{j}", []).append(_l("At most 500 characters."))
        checked.append((event, _path(prefix, i, "eventID")))
    if errors:
        raise ValidationError(errors, _l("The EPCIS document is not valid."))
    if seen:
        taken = set(session.scalars(sa.select(TraceEvent.epcis_id).where(TraceEvent.epcis_id.in_(seen))))
        if taken:
            raise Conflict(_l("Already captured: %(ids)s.", ids=", ".join(sorted(taken)[:5])))
    return checked


def _disposition(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    for prefix in DISPOSITION_PREFIXES:
        if value.startswith(prefix):
            return value[len(prefix) :]
    return value


def capture(session: Session, *, actor: Actor, document: Any) -> list[TraceEvent]:
    """Store every event of the document, or none. Never commits.

    Inspectors only read. An event joins only the lots the actor's organization may change (the admin: any); a
    lot of another organization is recorded by its class alone, as one the registry does not hold, so that nobody
    writes into another cooperative's history or lineage.
    """
    require_registrar(actor)
    checked = _check(session, document)
    context = document.get("@context") if isinstance(document, dict) else None
    stored = []
    for event, path in checked:
        when = _when(event["eventTime"])
        body = dict(event)
        if "@context" not in body and context is not None:
            body = {"@context": context, **body}
        row = TraceEvent(
            kind=EventKind.CAPTURED,
            epcis_id=event.get("eventID") or f"urn:uuid:{uuid.uuid4()}",
            epcis_type=event["type"],
            biz_step=bare_step(event["bizStep"])[:200] if isinstance(event.get("bizStep"), str) else None,
            disposition=(_disposition(event.get("disposition")) or "")[:200] or None,
            event_time=when.astimezone(dt.UTC),
            time_zone_offset=str(event.get("eventTimeZoneOffset") or _offset(when))[:6],
            organization_id=actor.organization_id,
            recorded_by_id=getattr(actor, "id", None),
            captured=body,
        )
        for name, role, counted in LISTS:
            for element in event.get(name) or []:
                klass = element.get("epcClass") if counted else element
                lot = record.lot_for_class(session, klass)
                if lot is not None and not can_write(actor, lot.organization_id):
                    lot = None
                row.items.append(
                    EventItem(
                        role=role,
                        lot_id=lot.id if lot is not None else None,
                        epc_class=klass,
                        quantity=Decimal(str(element["quantity"])) if counted and "quantity" in element else None,
                        uom=element.get("uom") if counted else None,
                    )
                )
        session.add(row)
        session.flush()
        _join_lineage(session, row, path)
        stored.append(row)
    return stored


def _join_lineage(session: Session, event: TraceEvent, path: str) -> None:
    """A captured transformation between the registry's own lots links them, as the registry's own would."""
    parents = {i.lot_id for i in event.items if i.role == ItemRole.INPUT and i.lot_id}
    children = {i.lot_id for i in event.items if i.role == ItemRole.OUTPUT and i.lot_id}
    for child in children:
        if lineage.would_cycle(session, parents, child):
            raise ValidationError(
                {path: [_l("This transformation would make a lot its own ancestor.")]},
                _l("The EPCIS document is not valid."),
            )
        for parent in parents:
            session.add(LotLink(parent_lot_id=parent, child_lot_id=child, event_id=event.id))
    session.flush()
