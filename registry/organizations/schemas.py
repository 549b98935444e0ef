from __future__ import annotations

from marshmallow import fields

from registry.core.schemas import InputSchema, OutputSchema
from registry.units.schemas import CommuneSchema


class OrganizationCreateSchema(InputSchema):
    name = fields.String(required=True)
    kind = fields.String(required=True, metadata={"enum": ["cooperative", "enterprise"]})
    tax_code = fields.String(required=True, metadata={"example": "2600123456"})
    commune_code = fields.String(required=True, metadata={"example": "07999"})
    address = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)


class OrganizationUpdateSchema(InputSchema):
    """Every field optional; only those sent change. Members may send name, address and phone."""

    name = fields.String()
    kind = fields.String(metadata={"enum": ["cooperative", "enterprise"]})
    tax_code = fields.String(metadata={"description": "Admin only."})
    commune_code = fields.String(metadata={"description": "Admin only."})
    address = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)
    dissolved_on = fields.String(
        allow_none=True,
        metadata={"description": "YYYY-MM-DD, department only: the day it was dissolved; null if it is active."},
    )


class OrganizationSchema(OutputSchema):
    id = fields.Integer()
    name = fields.String()
    kind = fields.String()
    tax_code = fields.String()
    commune = fields.Nested(CommuneSchema)
    address = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)
    dissolved_on = fields.Date(allow_none=True)
    created_at = fields.DateTime()
    updated_at = fields.DateTime(allow_none=True)
