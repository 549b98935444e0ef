"""Canonical values and the entry hash: the same record reads the same whether the ORM or the database says it."""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import json
from decimal import Decimal
from json.encoder import encode_basestring
from typing import Any

import sqlalchemy as sa

from registry.audit.policy import REDACTED, REDACTED_COLUMNS

GENESIS = "0" * 64


def _decimal(value: Decimal) -> str:
    if not value.is_finite():
        return str(value)
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


def canonical(value: Any, column: sa.Column | None = None) -> Any:
    """A JSON value: enums by value, decimals as exact text without trailing zeros, datetimes in UTC ISO 8601,
    binary data as its SHA-256, secrets as a marker."""
    if value is None:
        return None
    if column is not None and column.name in REDACTED_COLUMNS:
        return REDACTED
    if isinstance(value, enum.Enum):
        value = value.value
    if isinstance(value, bool):
        return value
    if column is not None and isinstance(column.type, sa.Float) and isinstance(value, Decimal | int):
        return float(value)
    if column is not None and isinstance(column.type, sa.String) and not isinstance(value, str):
        value = str(value)  # what the column gives back
    numeric = column is not None and isinstance(column.type, sa.Numeric) and not isinstance(column.type, sa.Float)
    if isinstance(value, Decimal) or (numeric and isinstance(value, int | float)):
        return _decimal(Decimal(str(value)))
    if isinstance(value, dt.datetime):
        value = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, bytes | bytearray | memoryview):
        return "sha256:" + hashlib.sha256(bytes(value)).hexdigest()
    if isinstance(value, int | float | str):
        return value
    if isinstance(value, list | tuple | dict):
        return json.loads(dumps(value))
    return str(value)


_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def dumps(value: Any) -> str:
    """Canonical JSON text: sorted keys, no spaces, UTF-8 kept (json.dumps with these options, whose encoder is
    made once here rather than at every call)."""
    return _ENCODER.encode(value)


def record_key(table: sa.Table, values: dict[str, Any]) -> str:
    """The record's id in the trail: its primary key, parts joined by '/'."""
    return "/".join(str(canonical(values[c.name], c)) for c in table.primary_key)


HASHED = ("seq", "at", "actor_id", "actor_role", "actor_name", "record_type", "record_id", "action", "before",
          "after", "request_id", "method", "path", "prev_hash")  # fmt: skip


def entry_hash(entry: dict[str, Any]) -> str:
    """SHA-256 over the canonical JSON of every field but the hash itself (prev_hash included)."""
    fields = {name: entry.get(name) for name in HASHED}
    at = fields["at"]
    if isinstance(at, dt.datetime):
        fields["at"] = at.astimezone(dt.UTC).isoformat()
    return hashlib.sha256(dumps(fields).encode()).hexdigest()


def _json(value: Any) -> str:
    if value is None:
        return "null"
    if type(value) is str:
        return encode_basestring(value)  # what dumps uses for a string (ensure_ascii=False)
    return dumps(value)


class Hasher:
    """``entry_hash`` for many entries written together (same ``at``, same who): the same canonical JSON text,
    written out in the sorted order of the fields instead of sorting a new dict for each entry. An entry whose
    fields are not of the usual types (text, an int ``seq``) is hashed by ``entry_hash`` itself."""

    def __init__(self, fixed: dict[str, Any]) -> None:
        at = fixed.get("at")
        fixed = {name: fixed.get(name) for name in ("actor_id", "actor_name", "actor_role", "method", "path",
                                                    "request_id")}  # fmt: skip
        fixed["at"] = at.astimezone(dt.UTC).isoformat() if isinstance(at, dt.datetime) else at
        self.at = at
        p = {name: f"{encode_basestring(name)}:{_json(value)}" for name, value in fixed.items()}
        self.parts = (
            f"{p['actor_id']},{p['actor_name']},{p['actor_role']},",
            f",{p['at']},",
            f",{p['method']},{p['path']},",
            f",{p['request_id']},",
        )

    def __call__(self, e: dict[str, Any]) -> str:
        action, after, before, prev, rid, rtype, seq = (e["action"], e["after"], e["before"], e["prev_hash"],
                                                        e["record_id"], e["record_type"], e["seq"])  # fmt: skip
        if not (
            type(action) is str and type(prev) is str and type(rid) is str and type(rtype) is str
            and type(seq) is int and (after is None or type(after) is str) and (before is None or type(before) is str)
            and e.get("at") is self.at
        ):  # fmt: skip
            return entry_hash(e)
        a, b, c, d = self.parts
        text = (
            f'{{"action":{encode_basestring(action)},{a}"after":{"null" if after is None else encode_basestring(after)}'
            f'{b}"before":{"null" if before is None else encode_basestring(before)}{c}"prev_hash":'
            f'{encode_basestring(prev)},"record_id":{encode_basestring(rid)},"record_type":{encode_basestring(rtype)}'
            f'{d}"seq":{seq}}}'
        )
        return hashlib.sha256(text.encode()).hexdigest()
