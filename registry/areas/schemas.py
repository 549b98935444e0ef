"""Marshmallow schemas for growing areas: *CreateSchema for input (unknown fields refused), *Schema for output."""

from __future__ import annotations

from marshmallow import fields

from registry.core.schemas import InputSchema, OutputSchema
from registry.lifecycle.schemas import StatusChangeSchema
from registry.lifecycle.services import status_label
from registry.products.crops import crop_name
from registry.units.schemas import CommuneSchema


class AreaCreateSchema(InputSchema):
    name = fields.String(required=True)
    kind = fields.String(required=True, metadata={"enum": ["domestic", "export"]})
    crop = fields.String(required=True, metadata={"example": "pomelo"})
    variety = fields.String(allow_none=True)
    area_ha = fields.Decimal(required=True, as_string=True, metadata={"example": "12.5"})
    commune_code = fields.String(required=True)
    organization_id = fields.Integer(metadata={"description": "Required for admins; members use their own."})
    code = fields.String(
        allow_none=True,
        metadata={"description": "A code already issued elsewhere; provisional until the department confirms it."},
    )
    legacy_place = fields.String(allow_none=True, metadata={"description": "Place as written before the 2025 reform."})


class AreaSchema(OutputSchema):
    id = fields.Integer()
    code = fields.String(allow_none=True)
    claimed_code = fields.String(allow_none=True)
    name = fields.String()
    kind = fields.String()
    status = fields.String()
    status_label = fields.Function(lambda a: status_label(a.status))
    crop = fields.String()
    crop_name = fields.Function(lambda a: crop_name(a.crop))
    variety = fields.String(allow_none=True)
    area_ha = fields.Decimal(as_string=True)
    commune = fields.Nested(CommuneSchema)
    legacy_place = fields.String(allow_none=True)
    organization_id = fields.Integer()
    created_at = fields.DateTime()
    status_changed_at = fields.DateTime()


class AreaDetailSchema(AreaSchema):
    history = fields.List(fields.Nested(StatusChangeSchema))


class AreaQueryArgsSchema(InputSchema):
    status = fields.String(metadata={"enum": ["pending", "active", "suspended", "revoked", "withdrawn", "refused"]})
