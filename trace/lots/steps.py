"""The steps after a harvest: packing, splitting, merging, transforming, shipping and receiving.

Each step records one event (trace.lots.record) and, when it makes lots, the lineage links from the lots it
used. Quantities are conserved: a step takes at most what a lot still holds. A lot under an open recall or
voided cannot be used. Session first, never commit.
"""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from registry.core import validators as v
from registry.core.auth import Actor, can_see, require_writer
from registry.core.db import utcnow
from registry.core.errors import Conflict, NotFound, ValidationError
from registry.core.fields import Fields, db_int, positive_decimal
from registry.core.i18n import _l, fmt_number
from registry.products.models import Product
from trace.lots import record
from trace.lots.events import EventKind, ItemRole
from trace.lots.models import Lot, LotOrigin
from trace.lots.services import _packing_house, _unit, unit_label

MAX_PARTS = 100
DOCUMENT_TYPES = ("invoice", "bill_of_lading", "purchase_order", "despatch_advice")


def _lot(session: Session, actor: Actor, lot_id: Any, field: str = "lot_id") -> Lot:
    """A lot the actor's organization holds (the admin: any); another's answers 404, like one that does not exist."""
    lot = session.get(Lot, db_int(lot_id)) if db_int(lot_id) is not None else None
    if lot is None or not can_see(actor, lot.organization_id):
        raise NotFound(_l("Lot not found."))
    require_writer(actor, lot.organization_id)
    return lot


def _usable(lot: Lot) -> None:
    if lot.voided_at is not None:
        raise Conflict(_l("Lot %(code)s was voided; it cannot be used.", code=lot.code))
    if lot.open_recall_id is not None:
        raise Conflict(
            _l("Lot %(code)s is under a recall; it cannot be used until the recall is closed.", code=lot.code)
        )


def _amount(f: Fields, field: str, value: Any) -> Decimal | None:
    return f.check(field, positive_decimal, value, _l("The quantity must be greater than 0."), max_digits=14, places=3)


def _within(f: Fields, field: str, lot: Lot, wanted: Decimal | None, holds: Decimal) -> None:
    if wanted is not None and wanted > holds:
        f.add(
            field,
            _l(
                "Lot %(code)s holds %(held)s %(unit)s; it cannot give %(wanted)s.",
                code=lot.code,
                held=fmt_number(holds),
                unit=unit_label(lot.unit),
                wanted=fmt_number(wanted),
            ),
        )


def _code(f: Fields, session: Session, field: str, product: Product, code: Any, taken: set[str]) -> str | None:
    """A new lot code: valid GS1 AI 10, and unused for the product even ignoring case."""
    code = f.check(field, v.lot_code, code)
    if code is None:
        return None
    key = code.upper()
    exists = session.scalar(sa.select(Lot.id).where(Lot.product_id == product.id, Lot.code_key == key))
    if exists is not None or key in taken:
        f.add(field, _l("Lot %(code)s already exists for this product.", code=code))
        return None
    taken.add(key)
    return code


def _new_lot(parent: Lot, *, code: str, quantity: Decimal, origin: LotOrigin, actor: Actor, **values: Any) -> Lot:
    fields = {
        "product_id": parent.product_id,
        "growing_area_id": parent.growing_area_id,
        "packing_house_id": parent.packing_house_id,
        "organization_id": parent.organization_id,
        "harvest_date": parent.harvest_date,
        "unit": parent.unit,
    }
    fields.update(values)
    return Lot(
        code=code,
        code_key=code.upper(),
        quantity=quantity,
        origin=origin,
        public_token=secrets.token_urlsafe(12),
        created_by_id=getattr(actor, "id", None),
        **fields,
    )


def _add(session: Session, lots: list[Lot]) -> list[Lot]:
    session.add_all(lots)
    session.flush()
    return lots


def _when(f: Fields, field: str, value: Any) -> dt.datetime | None:
    """An event time given by the caller: timezone-aware and not in the future; None means now."""
    if value in (None, ""):
        return None
    if not isinstance(value, dt.datetime) or value.tzinfo is None:
        f.add(field, _l("Give the time with its time-zone offset, e.g. 2026-11-20T08:30:00+07:00."))
        return None
    if value > utcnow() + dt.timedelta(minutes=5):
        f.add(field, _l("The time cannot be in the future."))
        return None
    return value.astimezone(dt.UTC)


# ---------------------------------------------------------------- pack


def pack(session: Session, *, actor: Actor, lot_id: Any, packing_house_id: Any, packed_at: Any = None) -> Lot:
    """The lot passes through a packing house of its organization with an active code."""
    lot = _lot(session, actor, lot_id)
    _usable(lot)
    f = Fields()
    house = _packing_house(f, session, actor, packing_house_id, lot.organization_id)
    if house is None and not f.errors:
        f.add("packing_house_id", _l("Choose the packing house."))
    when = _when(f, "packed_at", packed_at)
    f.raise_if_any()
    if lot.packing_house_id is None:
        lot.packing_house_id = house.id
    record.pack_event(session, lot, house, actor, event_time=when)
    return lot


# ---------------------------------------------------------------- split


def split(session: Session, *, actor: Actor, lot_id: Any, parts: Any) -> list[Lot]:
    """Divide part or all of a lot into new lots, each with its own code and label; the rest stays."""
    lot = _lot(session, actor, lot_id)
    _usable(lot)
    f = Fields()
    if not isinstance(parts, list) or not parts:
        raise ValidationError({"parts": [_l("Give at least one part, each with a code and a quantity.")]})
    if len(parts) > MAX_PARTS:
        raise ValidationError({"parts": [_l("At most %(n)s parts at once.", n=MAX_PARTS)]})
    product = lot.product
    taken: set[str] = set()
    wanted: list[tuple[str | None, Decimal | None]] = []
    for i, part in enumerate(parts):
        part = part if isinstance(part, dict) else {}
        code = _code(f, session, f"parts.{i}.code", product, part.get("code"), taken)
        wanted.append((code, _amount(f, f"parts.{i}.quantity", part.get("quantity"))))
    total = sum((q for _, q in wanted if q is not None), Decimal(0))
    _within(f, "parts", lot, total, record.held(session, lot))
    f.raise_if_any()
    children = _add(
        session, [_new_lot(lot, code=c, quantity=q, origin=LotOrigin.SPLIT, actor=actor) for c, q in wanted]
    )
    items = [record.Item(ItemRole.INPUT, lot, total)] + [record.Item(ItemRole.OUTPUT, c, c.quantity) for c in children]
    event = record.record_event(
        session, kind=EventKind.SPLIT, items=items, actor=actor, organization_id=lot.organization_id,
        growing_area_id=lot.growing_area_id, packing_house_id=lot.packing_house_id,
    )  # fmt: skip
    record.link(session, event, [lot], children)
    return children


# ---------------------------------------------------------------- merge and transform


def _inputs(session: Session, actor: Actor, f: Fields, inputs: Any) -> list[tuple[Lot, Decimal]]:
    """[(lot, quantity)] from [{lot_id, quantity}]: lots the actor holds, each once, within what each holds.

    A missing quantity means all the lot still holds.
    """
    if not isinstance(inputs, list) or not inputs:
        raise ValidationError({"inputs": [_l("Give at least one input lot.")]})
    if len(inputs) > MAX_PARTS:
        raise ValidationError({"inputs": [_l("At most %(n)s input lots at once.", n=MAX_PARTS)]})
    chosen: list[tuple[Lot, Decimal]] = []
    seen: set[int] = set()
    for i, entry in enumerate(inputs):
        entry = entry if isinstance(entry, dict) else {"lot_id": entry}
        lot = _lot(session, actor, entry.get("lot_id"))
        _usable(lot)
        if lot.id in seen:
            f.add(f"inputs.{i}.lot_id", _l("Lot %(code)s is listed twice.", code=lot.code))
            continue
        seen.add(lot.id)
        holds = record.held(session, lot)
        if entry.get("quantity") in (None, ""):
            quantity = holds
            if holds <= 0:
                f.add(f"inputs.{i}.quantity", _l("Lot %(code)s holds nothing more.", code=lot.code))
        else:
            quantity = _amount(f, f"inputs.{i}.quantity", entry.get("quantity"))
            _within(f, f"inputs.{i}.quantity", lot, quantity, holds)
        if quantity is not None:
            chosen.append((lot, quantity))
    return chosen


def _common(values: list[Any]) -> Any:
    return values[0] if values and all(x == values[0] for x in values) else None


def merge(session: Session, *, actor: Actor, inputs: Any, code: Any) -> Lot:
    """Put lots of one product together into a new lot; its area is theirs if they share one."""
    f = Fields()
    chosen = _inputs(session, actor, f, inputs)
    if len(inputs) < 2:
        f.add("inputs", _l("A merge needs at least two lots."))
    lots = [lot for lot, _ in chosen]
    if len({lot.product_id for lot in lots}) > 1:
        f.add("inputs", _l("Only lots of the same product can be merged; transform them instead."))
    if len({lot.unit for lot in lots}) > 1:
        f.add("inputs", _l("Only lots counted in the same unit can be merged."))
    if len({lot.organization_id for lot in lots}) > 1:
        f.add("inputs", _l("Only lots your organization holds can be merged."))
    new_code = _code(f, session, "code", lots[0].product, code, set()) if lots else None
    f.raise_if_any()
    total = sum((q for _, q in chosen), Decimal(0))
    merged = _new_lot(
        lots[0], code=new_code, quantity=total, origin=LotOrigin.MERGE, actor=actor,
        growing_area_id=_common([x.growing_area_id for x in lots]),
        packing_house_id=_common([x.packing_house_id for x in lots]),
        harvest_date=min(x.harvest_date for x in lots),
    )  # fmt: skip
    _add(session, [merged])
    items = [record.Item(ItemRole.INPUT, lot, q) for lot, q in chosen] + [record.Item(ItemRole.OUTPUT, merged, total)]
    event = record.record_event(
        session, kind=EventKind.MERGE, items=items, actor=actor, organization_id=merged.organization_id,
        growing_area_id=merged.growing_area_id,
    )  # fmt: skip
    record.link(session, event, lots, [merged])
    return merged


def transform(session: Session, *, actor: Actor, inputs: Any, outputs: Any, reason: Any = None) -> list[Lot]:
    """Make new lots of the organization's products from input lots (fresh tea leaves into dried tea)."""
    f = Fields()
    chosen = _inputs(session, actor, f, inputs)
    lots = [lot for lot, _ in chosen]
    if len({lot.organization_id for lot in lots}) > 1:
        f.add("inputs", _l("Only lots your organization holds can be transformed together."))
    owner = lots[0].organization_id if lots else None
    if not isinstance(outputs, list) or not outputs:
        f.add("outputs", _l("Give at least one output, with a code, a product, a quantity and a unit."))
        outputs = []
    if len(outputs) > MAX_PARTS:
        raise ValidationError({"outputs": [_l("At most %(n)s outputs at once.", n=MAX_PARTS)]})
    reason = f.check("reason", v.optional_text, reason, max_length=2000)
    planned = []
    taken: dict[int, set[str]] = {}
    for i, out in enumerate(outputs):
        out = out if isinstance(out, dict) else {}
        product = session.get(Product, db_int(out.get("product_id"))) if db_int(out.get("product_id")) else None
        if product is None or not can_see(actor, product.organization_id) or product.organization_id != owner:
            f.add(f"outputs.{i}.product_id", _l("Product not found."))
            product = None
        code = (
            _code(f, session, f"outputs.{i}.code", product, out.get("code"), taken.setdefault(product.id, set()))
            if product
            else None
        )  # noqa: E501
        quantity = _amount(f, f"outputs.{i}.quantity", out.get("quantity"))
        unit = f.check(f"outputs.{i}.unit", _unit, out.get("unit"))
        planned.append((product, code, quantity, unit))
    f.raise_if_any()
    made = _add(
        session,
        [
            _new_lot(
                lots[0],
                code=code,
                quantity=quantity,
                origin=LotOrigin.TRANSFORM,
                actor=actor,
                product_id=product.id,
                unit=unit,
                growing_area_id=_common([x.growing_area_id for x in lots]),
                packing_house_id=None,
                harvest_date=min(x.harvest_date for x in lots),
            )  # fmt: skip
            for product, code, quantity, unit in planned
        ],
    )
    items = [record.Item(ItemRole.INPUT, lot, q) for lot, q in chosen]
    items += [record.Item(ItemRole.OUTPUT, lot, lot.quantity) for lot in made]
    event = record.record_event(
        session, kind=EventKind.TRANSFORM, items=items, actor=actor, organization_id=owner, reason=reason
    )
    record.link(session, event, lots, made)
    return made
