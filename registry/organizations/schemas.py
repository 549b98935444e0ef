from __future__ import annotations

from marshmallow import fields

from registry.core.schemas import InputSchema, OutputSchema
from registry.units.schemas import CommuneSchema


class OrganizationCreateSchema(InputSchema):
    name = fields.String(required=True, metadata={"maxLength": 200, "pattern": r"\S"})
    kind = fields.String(required=True, metadata={"enum": ["cooperative", "enterprise"]})
    tax_code = fields.String(
        required=True,
        metadata={
            "pattern": r"^\s*[0-9]{10}(-[0-9]{3})?\s*$",
            "description": "10 digits, or 10 digits, a dash and 3 digits for a branch",
            "example": "2600123456",
        },
    )
    commune_code = fields.String(
        required=True,
        metadata={
            "pattern": r"^[0-9]{5}$",
            "description": "A commune of the current map (after the 2025 reform), by its 5-digit code",
            "example": "07999",
        },
    )
    address = fields.String(allow_none=True, metadata={"maxLength": 300})
    phone = fields.String(allow_none=True, metadata={"maxLength": 20})


class OrganizationUpdateSchema(InputSchema):
    """Every field optional; only those sent change. Members may send name, address and phone."""

    name = fields.String(metadata={"maxLength": 200, "pattern": r"\S"})
    kind = fields.String(metadata={"enum": ["cooperative", "enterprise"]})
    tax_code = fields.String(
        metadata={
            "pattern": r"^\s*[0-9]{10}(-[0-9]{3})?\s*$",
            "description": "10 digits, or 10 digits, a dash and 3 digits for a branch. Admin only.",
        }
    )
    commune_code = fields.String(
        metadata={
            "pattern": r"^[0-9]{5}$",
            "description": "A commune of the current map (after the 2025 reform), by its 5-digit code. Admin only.",
        }
    )
    address = fields.String(allow_none=True, metadata={"maxLength": 300})
    phone = fields.String(allow_none=True, metadata={"maxLength": 20})
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
