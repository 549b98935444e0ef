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


def dumps(value: Any) -> str:
    """Canonical JSON text: sorted keys, no spaces, UTF-8 kept."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


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
    built from the fields' pieces in the sorted order instead of sorting a new dict for each entry."""

    VARYING = ("action", "after", "before", "prev_hash", "record_id", "record_type", "seq")

    def __init__(self, fixed: dict[str, Any]) -> None:
        fixed = {name: fixed.get(name) for name in HASHED if name not in self.VARYING}
        if isinstance(fixed["at"], dt.datetime):
            fixed["at"] = fixed["at"].astimezone(dt.UTC).isoformat()
        self.pieces = {name: f"{encode_basestring(name)}:{_json(value)}" for name, value in fixed.items()}

    def __call__(self, entry: dict[str, Any]) -> str:
        pieces = self.pieces
        parts = [
            pieces[name] if name in pieces else f"{encode_basestring(name)}:{_json(entry.get(name))}"
            for name in _SORTED
        ]
        return hashlib.sha256(("{" + ",".join(parts) + "}").encode()).hexdigest()


_SORTED = sorted(HASHED)
