"""Schemas for packing houses: *CreateSchema/*UpdateSchema for input (unknown fields refused), *Schema for output."""

from __future__ import annotations

from marshmallow import fields

from registry.core.fields import decimal_doc
from registry.core.schemas import InputSchema, OutputSchema
from registry.lifecycle.schemas import StatusChangeSchema
from registry.lifecycle.services import status_label
from registry.units.schemas import CommuneSchema


class PackingHouseCreateSchema(InputSchema):
    name = fields.String(required=True, metadata={"maxLength": 200, "pattern": r"\S"})
    commune_code = fields.String(
        required=True,
        metadata={
            "pattern": r"^[0-9]{5}$",
            "description": "A commune of the current map (after the 2025 reform), by its 5-digit code",
            "example": "30076",
        },
    )
    organization_id = fields.Integer(
        strict=True, metadata={"description": "Required for admins; members use their own."}
    )
    address = fields.String(allow_none=True, metadata={"maxLength": 300})
    capacity_t_per_day = fields.Raw(
        allow_none=True, metadata=decimal_doc(max_digits=10, places=2, blank=True, description="Tonnes a day.")
    )
    code = fields.String(
        allow_none=True,
        metadata={"description": "A code already issued elsewhere; provisional until the department confirms it."},
    )
    legacy_place = fields.String(allow_none=True, metadata={"maxLength": 300})


class PackingHouseUpdateSchema(InputSchema):
    name = fields.String(metadata={"maxLength": 200, "pattern": r"\S"})
    commune_code = fields.String(
        metadata={
            "pattern": r"^[0-9]{5}$",
            "description": "A commune of the current map (after the 2025 reform), by its 5-digit code",
        }
    )
    address = fields.String(allow_none=True, metadata={"maxLength": 300})
    capacity_t_per_day = fields.Raw(
        allow_none=True, metadata=decimal_doc(max_digits=10, places=2, blank=True, description="Tonnes a day.")
    )
    markets = fields.Raw(allow_none=True, metadata={"description": "ISO 3166 alpha-2 codes, or EU"})
    legacy_place = fields.String(allow_none=True, metadata={"maxLength": 300})
    # Refused with a clear message by the service: a code is kept as issued, a status moves by decision only.
    code = fields.Raw()
    status = fields.Raw()


class PackingHouseQueryArgsSchema(InputSchema):
    status = fields.String(
        metadata={
            "enum": ["", "pending", "active", "suspended", "revoked", "withdrawn", "refused"],
            "description": "Empty: any",
        }
    )


class PackingHouseSchema(OutputSchema):
    id = fields.Integer()
    code = fields.String(allow_none=True)
    claimed_code = fields.String(allow_none=True)
    name = fields.String()
    status = fields.String()
    status_label = fields.Function(lambda h: status_label(h.status))
    organization_id = fields.Integer()
    organization = fields.Function(lambda h: h.organization.name)
    commune = fields.Nested(CommuneSchema)
    address = fields.String(allow_none=True)
    legacy_place = fields.String(allow_none=True)
    capacity_t_per_day = fields.Decimal(as_string=True, allow_none=True)
    markets = fields.List(fields.String())
    created_at = fields.DateTime()
    status_changed_at = fields.DateTime()


class PackingHouseDetailSchema(PackingHouseSchema):
    history = fields.List(fields.Nested(StatusChangeSchema))
