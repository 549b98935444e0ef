"""Marshmallow schemas: *CreateSchema for input (unknown fields are refused), *Schema for output."""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields

from registry.crops import crop_name
from registry.services import status_label


class InputSchema(Schema):
    class Meta:
        unknown = RAISE


class CommuneSchema(Schema):
    code = fields.String()
    name = fields.String()
    division_type = fields.String()
    province_code = fields.String()
    province_name = fields.Function(lambda c: c.province.name)


class ProvinceSchema(Schema):
    code = fields.String()
    name = fields.String()
    division_type = fields.String()


class CommuneQueryArgsSchema(Schema):
    province_code = fields.String()


class OrganizationCreateSchema(InputSchema):
    name = fields.String(required=True)
    kind = fields.String(required=True, metadata={"enum": ["cooperative", "enterprise"]})
    tax_code = fields.String(required=True, metadata={"example": "2600123456"})
    commune_code = fields.String(required=True, metadata={"example": "07999"})
    address = fields.String(allow_none=True)


class OrganizationSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    kind = fields.String()
    tax_code = fields.String()
    commune = fields.Nested(CommuneSchema)
    address = fields.String(allow_none=True)
    created_at = fields.DateTime()


class AreaCreateSchema(InputSchema):
    name = fields.String(required=True)
    kind = fields.String(required=True, metadata={"enum": ["domestic", "export"]})
    crop = fields.String(required=True, metadata={"example": "pomelo"})
    variety = fields.String(allow_none=True)
    area_ha = fields.Decimal(required=True, as_string=True, metadata={"example": "12.5"})
    commune_code = fields.String(required=True)
    organization_id = fields.Integer(metadata={"description": "Required for admins; members use their own."})
    code = fields.String(
        allow_none=True, metadata={"description": "A code already issued, recorded exactly as issued."}
    )
    legacy_place = fields.String(allow_none=True, metadata={"description": "Place as written before the 2025 reform."})


class AreaStatusChangeSchema(Schema):
    from_status = fields.String(allow_none=True)
    to_status = fields.String()
    reason = fields.String(allow_none=True)
    actor = fields.Function(lambda c: c.actor.email if c.actor else None)
    at = fields.DateTime()


class AreaSchema(Schema):
    id = fields.Integer()
    code = fields.String(allow_none=True)
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
    history = fields.List(fields.Nested(AreaStatusChangeSchema))


class AreaStatusInputSchema(InputSchema):
    status = fields.String(required=True, metadata={"enum": ["active", "suspended", "revoked"]})
    reason = fields.String(allow_none=True)


class AreaQueryArgsSchema(Schema):
    status = fields.String(metadata={"enum": ["pending", "active", "suspended", "revoked"]})


class ProductCreateSchema(InputSchema):
    name = fields.String(required=True)
    crop = fields.String(required=True)
    organization_id = fields.Integer()
    gtin = fields.String(
        allow_none=True, metadata={"description": "GTIN-8/12/13/14; stored as GTIN-14.", "example": "08935049500018"}
    )
    description = fields.String(allow_none=True)


class ProductSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    crop = fields.String()
    crop_name = fields.Function(lambda p: crop_name(p.crop))
    organization_id = fields.Integer()
    gtin = fields.String(allow_none=True)
    description = fields.String(allow_none=True)
    created_at = fields.DateTime()
