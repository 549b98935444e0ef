"""A bulk INSERT whose parameters carry the keys is recorded from them: the same entries as read back."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import sqlalchemy as sa

from bulk.common import reserve_ids
from tests.registry.audit.conftest import after, entries
from trace.lots.models import Lot, Unit


def _lots(db, world, rows):
    ids = reserve_ids(db.session, Lot, len(rows))
    out = []
    for lot_id, (code, quantity) in zip(ids, rows, strict=True):
        out.append({
            "id": lot_id, "code": code, "code_key": code.upper(), "product_id": world.product_a.id,
            "growing_area_id": world.area_a.id, "organization_id": world.product_a.organization_id,
            "harvest_date": dt.date(2025, 6, 1), "quantity": quantity, "unit": Unit.KGM,
            "public_token": f"tok-{code}", "created_by_id": None,
        })  # fmt: skip
    return out


def _table_rows(db, ids):
    from registry.audit.policy import columns
    from registry.audit.values import canonical

    cols = columns(Lot.__table__)
    found = db.session.execute(sa.select(*cols).where(Lot.id.in_(ids)).order_by(Lot.id))
    return [{c.name: canonical(v, c) for c, v in zip(cols, row, strict=True)} for row in found]


@pytest.mark.parametrize("target", [Lot, Lot.__table__], ids=["orm", "core"])
def test_entries_from_parameters_match_the_stored_rows(world, db, verify, target):
    rows = _lots(db, world, [("P-1", Decimal("150.5")), ("P-2", 7), ("P-3", Decimal("0.125"))])
    statements = []
    listener = lambda conn, cur, statement, *_: statements.append(statement)  # noqa: E731
    sa.event.listen(db.engine, "before_cursor_execute", listener)
    try:
        db.session.execute(sa.insert(target), rows)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", listener)
    assert not [s for s in statements if "RETURNING" in s.upper()]  # the trail read the parameters
    db.session.commit()
    recorded = [after(e) for e in entries(db, "lot") if e.action == "create"][-3:]
    assert recorded == _table_rows(db, [r["id"] for r in rows])
    assert recorded[0]["quantity"] == "150.5" and recorded[0]["origin"] == "harvest"  # the Python default
    assert recorded[0]["created_at"] is not None  # sent with the row, so the table holds the same instant
    result = verify()
    assert result.exit_code == 0, result.output


def test_a_value_the_database_would_round_is_read_back(world, db, verify):
    """Numeric(14, 3) rounds 1.23456: the parameters would not say what is stored, so the rows are read back."""
    rows = _lots(db, world, [("R-1", Decimal("1.23456"))])
    db.session.execute(sa.insert(Lot), rows)
    db.session.commit()
    [entry] = [e for e in entries(db, "lot") if e.action == "create"][-1:]
    assert after(entry)["quantity"] == "1.235" == _table_rows(db, [rows[0]["id"]])[0]["quantity"]
    result = verify()
    assert result.exit_code == 0, result.output


def test_the_writers_hasher_gives_the_entry_hash():
    from registry.audit.values import Hasher, entry_hash

    at = dt.datetime(2026, 11, 23, 15, 0, 1, 123456, tzinfo=dt.UTC)
    for who in (
        {"actor_id": None, "actor_role": "cli", "actor_name": None, "request_id": None, "method": "CLI",
         "path": 'flask import lots --file="lô \\ mới.csv"'},
        {"actor_id": 7, "actor_role": "member", "actor_name": "Nguyễn Thị \"Hoa\"\n", "request_id": "abc-1",
         "method": "POST", "path": "/api/v1/lots"},
    ):  # fmt: skip
        hasher = Hasher({"at": at, **who})
        for seq, (old, new) in enumerate([(None, '{"a":"ư\\n"}'), ('{"x":1}', None), ("\u2028", '\t"')], 1):
            entry = {"seq": seq, "at": at, **who, "record_type": "lot", "record_id": f"{seq}/ô", "action": "update",
                     "before": old, "after": new, "prev_hash": "0" * 64}  # fmt: skip
            assert hasher(entry) == entry_hash(entry)
            assert hasher({**entry, "seq": str(seq)}) == entry_hash({**entry, "seq": str(seq)})  # the slow way
