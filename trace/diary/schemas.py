"""Diary entries in and out. The API calls the day of the work `date`."""

from __future__ import annotations

from marshmallow import fields

from registry.core.people import public_name
from registry.core.schemas import InputSchema, OutputSchema

KINDS = ["spray", "fertilize", "irrigate", "prune", "bag", "other"]


class DiaryEntryCreateSchema(InputSchema):
    kind = fields.String(required=True, metadata={"enum": KINDS})
    date = fields.Raw(required=True, metadata={"description": "YYYY-MM-DD, not in the future", "example": "2026-11-10"})
    performed_by = fields.String(allow_none=True, metadata={"maxLength": 200, "example": "Tổ phun thuốc HTX"})
    input_name = fields.String(allow_none=True, metadata={"maxLength": 200, "example": "Anvil 5SC"})
    active_ingredient = fields.String(allow_none=True, metadata={"maxLength": 200, "example": "Hexaconazole"})
    dose = fields.String(allow_none=True, metadata={"maxLength": 100, "example": "20 ml/16 lít nước"})
    phi_days = fields.Raw(allow_none=True, metadata={"description": "Sprays only: the pre-harvest interval, 0–365"})
    notes = fields.String(allow_none=True, metadata={"maxLength": 4000})


class DiaryArgsSchema(InputSchema):
    kind = fields.String(metadata={"enum": KINDS})


class DiaryEntrySchema(OutputSchema):
    id = fields.Integer()
    growing_area_id = fields.Integer()
    kind = fields.Function(lambda e: e.kind.value)
    date = fields.Date(attribute="done_on")
    performed_by = fields.String(allow_none=True)
    input_name = fields.String(allow_none=True)
    active_ingredient = fields.String(allow_none=True)
    dose = fields.String(allow_none=True)
    phi_days = fields.Integer(allow_none=True)
    safe_from = fields.Date(allow_none=True, metadata={"description": "Sprays: the first safe harvest day"})
    notes = fields.String(allow_none=True)
    recorded_by = fields.Function(
        lambda e: public_name(e.recorded_by),
        allow_none=True,
        metadata={"type": "string", "description": "The department's email, or a role or a name for a member"},
    )
    created_at = fields.DateTime()
