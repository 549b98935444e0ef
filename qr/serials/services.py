"""Issuing, listing and voiding serials. Session first, never commit.

A serial is 10 characters from a 30-letter alphabet without look-alikes (no 0/O, 1/I/L, U): about 49 bits,
so guessing one that a cooperative issued is hopeless, and it fits GS1's AI 21 (up to 20 characters of CSET 82).
A lot counted in pieces gets at most one serial per piece; a lot weighed in kg or tonnes gets at most as many
as the packs the cooperative says it packs the lot into.
"""

from __future__ import annotations

import secrets
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from qr.serials.models import Serial
from registry.areas.geometry import whole_number
from registry.core.auth import Actor, require_writer
from registry.core.db import Page, paginate, utcnow
from registry.core.errors import ValidationError
from registry.core.fields import Fields
from registry.core.i18n import _l
from registry.core.validators import optional_text
from trace.lots.identifiers import digital_link_path, short_link_path
from trace.lots.models import Lot, Unit
from trace.lots.services import get_lot

ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base 32 without 0 and 1: none reads as another
LENGTH = 10
MAX_PER_REQUEST = 100_000
INSERT_CHUNK = 5_000


def new_serial() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def _whole(value: Any, name: str, f: Fields, *, low: int, high: int) -> int | None:
    """A required whole number in range (the registry's whole_number check), its error on ``name``."""
    message = _l("A whole number from %(low)s to %(high)s.", low=low, high=high)
    number = f.check(name, whole_number, value, message, low=low, high=high)
    if number is None and not f.has(name):
        f.add(name, message)
    return number


def serial_path(lot: Lot, serial: str) -> str:
    """The label of one stamp: the lot's Digital Link with /21/{serial}, or its short link with the serial."""
    if lot.product.gtin:
        return f"{digital_link_path(lot.product.gtin, lot.code)}/21/{serial}"
    return f"{short_link_path(lot.public_token)}/{serial}"


def issued_count(session: Session, lot_id: int) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(Serial).where(Serial.lot_id == lot_id)) or 0


def issue_serials(
    session: Session, *, actor: Actor, lot_id: int, count: Any, packs: Any = None
) -> tuple[Lot, list[str]]:
    """New serials for the lot, in the order they were made; all of them stored, or none."""
    lot = get_lot(session, actor=actor, lot_id=lot_id)
    require_writer(actor, lot.organization_id)
    f = Fields()
    if lot.voided_at is not None:
        f.add("lot_id", _l("This lot was voided: it gets no new stamps."))
    count = _whole(count, "count", f, low=1, high=MAX_PER_REQUEST)
    issued = issued_count(session, lot.id)
    if lot.unit == Unit.H87:
        limit, unit_name = int(lot.quantity), _l("pieces")
    else:
        packs = _whole(packs, "packs", f, low=1, high=10_000_000)
        limit, unit_name = packs, _l("packs")
    if count is not None and limit is not None and issued + count > limit:
        f.add("count", _l("This lot has %(limit)s %(unit)s and %(issued)s stamps already: at most %(left)s more.",
                          limit=limit, unit=unit_name, issued=issued, left=max(0, limit - issued)))  # fmt: skip
    f.raise_if_any()
    existing = set(session.scalars(sa.select(Serial.serial).where(Serial.lot_id == lot.id)))
    fresh: list[str] = []
    while len(fresh) < count:
        candidate = new_serial()
        if candidate not in existing:
            existing.add(candidate)
            fresh.append(candidate)
    now = utcnow()
    rows = [{"lot_id": lot.id, "serial": s, "issued_at": now, "issued_by_id": actor.id, "scans": 0} for s in fresh]
    for start in range(0, len(rows), INSERT_CHUNK):
        session.execute(sa.insert(Serial), rows[start : start + INSERT_CHUNK])
    session.flush()
    return lot, fresh


def list_serials(session: Session, *, actor: Actor, lot_id: int, page: int = 1, per_page: int = 25) -> Page:
    lot = get_lot(session, actor=actor, lot_id=lot_id)
    stmt = sa.select(Serial).where(Serial.lot_id == lot.id).order_by(Serial.id)
    return paginate(session, stmt, page=page, per_page=per_page)


def void_serials(session: Session, *, actor: Actor, lot_id: int, serials: Any, reason: Any) -> list[Serial]:
    """Void stamps of one lot (a damaged roll): all of them or none, if one is not the lot's."""
    lot = get_lot(session, actor=actor, lot_id=lot_id)
    require_writer(actor, lot.organization_id)
    f = Fields()
    reason = f.check("reason", optional_text, reason, max_length=500)
    if not reason:
        f.add("reason", _l("Say why the stamps are voided."))
    wanted = [str(s).strip().upper() for s in serials or [] if str(s).strip()] if isinstance(serials, list) else []
    if not wanted:
        f.add("serials", _l("List the serials to void."))
    f.raise_if_any()
    rows = list(session.scalars(sa.select(Serial).where(Serial.lot_id == lot.id, Serial.serial.in_(wanted))))
    unknown = sorted(set(wanted) - {r.serial for r in rows})
    if unknown:
        raise ValidationError(
            {"serials": [_l("Not stamps of this lot: %(serials)s.", serials=", ".join(unknown[:20]))]}
        )
    now = utcnow()
    for row in rows:
        if row.voided_at is None:
            row.voided_at, row.void_reason = now, reason
    session.flush()
    return rows


def stamp_state(conn: sa.Connection, lot_id: int, serial: str) -> Any:
    """What a scan of a stamp shows: its voiding and its scans so far; None if the lot has no such serial."""
    stmt = sa.select(Serial.voided_at, Serial.void_reason, Serial.first_scanned_at, Serial.scans).where(
        Serial.lot_id == lot_id, Serial.serial == serial
    )
    return conn.execute(stmt).first()


MAX_LABELS = 10_000


def sheet_serials(session: Session, *, actor: Actor, lot_id: int, first: Any, last: Any) -> tuple[Lot, list[str]]:
    """The lot and the serials a sheet prints: the ``from``-th to the ``to``-th stamp (1-based, in the order they
    were issued), all of them by default; at most 10,000 at once. No serials: an empty list (the lot's label)."""
    lot = get_lot(session, actor=actor, lot_id=lot_id)
    total = issued_count(session, lot.id)
    f = Fields()
    start = _whole(first, "from", f, low=1, high=max(total, 1)) if first not in (None, "") else 1
    end = _whole(last, "to", f, low=1, high=max(total, 1)) if last not in (None, "") else total
    f.raise_if_any()
    if total and start > end:
        raise ValidationError({"from": [_l("The first stamp comes after the last.")]})
    if total and end - start + 1 > MAX_LABELS:
        raise ValidationError({"to": [_l("At most %(n)s labels in one file: choose a range.", n=MAX_LABELS)]})
    if not total:
        return lot, []
    stmt = sa.select(Serial.serial).where(Serial.lot_id == lot.id).order_by(Serial.id).offset(start - 1)
    return lot, list(session.scalars(stmt.limit(end - start + 1)))
