"""The trail as the API shows it."""

from __future__ import annotations

import json

from marshmallow import fields, validate

from registry.core.schemas import InputSchema, OutputSchema


class AuditQueryArgsSchema(InputSchema):
    record_type = fields.String(
        validate=validate.Length(max=200), metadata={"description": "Table name, e.g. growing_area, lot"}
    )
    record_id = fields.String(
        validate=validate.Length(max=200), metadata={"description": "The record's id ('a/b' for a composite key)"}
    )


def _values(name):
    def read(entry):
        text = getattr(entry, name)
        return json.loads(text) if text else None

    return read


class AuditEntrySchema(OutputSchema):
    seq = fields.Integer(metadata={"description": "Position in the chain, from 1, without gaps"})
    at = fields.DateTime(metadata={"description": "When it was committed (UTC)"})
    actor_id = fields.Integer(allow_none=True, metadata={"description": "The user's id; null for the CLI"})
    actor_role = fields.String(metadata={"description": "member, auditor, admin, anonymous, cli or system"})
    actor_name = fields.String(allow_none=True)
    record_type = fields.String()
    record_id = fields.String()
    action = fields.String(metadata={"description": "create, update, delete or baseline"})
    before = fields.Function(
        _values("before"),
        metadata={"type": "object", "nullable": True, "description": "Values before (the changed columns)"},
    )
    after = fields.Function(
        _values("after"),
        metadata={"type": "object", "nullable": True, "description": "Values after (the changed columns)"},
    )
    request_id = fields.String(allow_none=True)
    method = fields.String(allow_none=True, metadata={"description": "HTTP method, or CLI"})
    path = fields.String(allow_none=True, metadata={"description": "Request path, or the command line"})
    prev_hash = fields.String()
    hash = fields.String(metadata={"description": "SHA-256 of the entry's fields and prev_hash"})
