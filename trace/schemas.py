from __future__ import annotations

from flask import current_app
from marshmallow import Schema, fields

from registry.core.schemas import InputSchema
from trace.identifiers import label_uri


class LotProductSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    crop = fields.String()
    gtin = fields.String(allow_none=True)


class LotAreaSchema(Schema):
    id = fields.Integer()
    code = fields.String()
    name = fields.String()
    status = fields.String()


class LotCreateSchema(InputSchema):
    product_id = fields.Integer(required=True)
    growing_area_id = fields.Integer(required=True)
    code = fields.String(
        required=True,
        metadata={"description": "GS1 AI 10: up to 20 characters, no spaces or diacritics", "example": "DH-2025-001"},
    )
    harvest_date = fields.Date(required=True)
    quantity = fields.Decimal(required=True, as_string=True, metadata={"example": "1200"})
    unit = fields.String(
        load_default="KGM",
        metadata={"enum": ["KGM", "TNE", "H87"], "description": "UN/ECE rec 20; kg, t and pcs are accepted too"},
    )


class LotSchema(Schema):
    id = fields.Integer()
    code = fields.String()
    product = fields.Nested(LotProductSchema)
    growing_area = fields.Nested(LotAreaSchema)
    organization_id = fields.Integer()
    harvest_date = fields.Date()
    quantity = fields.Decimal(as_string=True)
    unit = fields.String()
    label_uri = fields.Function(
        lambda lot: label_uri(lot, current_app.config["PUBLIC_BASE_URL"]),
        metadata={"description": "The exact text the lot's QR label encodes"},
    )
    created_at = fields.DateTime()
