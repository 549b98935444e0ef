"""Schemas for the shared code lifecycle: status moves, history entries and inspections."""

from __future__ import annotations

from marshmallow import fields

from registry.core.schemas import InputSchema, OutputSchema


class StatusInputSchema(InputSchema):
    status = fields.String(required=True, metadata={"enum": ["active", "suspended", "revoked", "refused", "withdrawn"]})
    reason = fields.String(allow_none=True)


class StatusChangeSchema(OutputSchema):
    from_status = fields.String(allow_none=True)
    to_status = fields.String()
    reason = fields.String(allow_none=True)
    actor = fields.Function(lambda c: c.actor.email if c.actor else None)
    at = fields.DateTime()
    inspection_id = fields.Integer(allow_none=True)
