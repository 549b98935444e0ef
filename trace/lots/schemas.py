from __future__ import annotations

from flask import current_app
from marshmallow import Schema, fields

from registry.core.fields import decimal_doc
from registry.core.people import public_name
from registry.core.schemas import InputSchema
from trace.lots.identifiers import label_uri


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


class LotPackingHouseSchema(Schema):
    id = fields.Integer()
    code = fields.String(allow_none=True)
    name = fields.String()


class LotCreateSchema(InputSchema):
    product_id = fields.Integer(
        required=True, strict=True, metadata={"description": "A product of the caller's organization"}
    )
    growing_area_id = fields.Integer(
        required=True,
        strict=True,
        metadata={"description": "An area of the caller's organization, with its code issued, for the product's crop"},
    )
    code = fields.String(
        required=True,
        metadata={"description": "GS1 AI 10: up to 20 characters, no spaces or diacritics", "example": "DH-2025-001"},
    )
    harvest_date = fields.Date(required=True)
    quantity = fields.Decimal(required=True, as_string=True, metadata=decimal_doc(max_digits=14, places=3, comma=False))
    unit = fields.String(
        load_default="KGM",
        metadata={"enum": ["KGM", "TNE", "H87"], "description": "UN/ECE rec 20; kg, t and pcs are accepted too"},
    )
    packing_house_id = fields.Integer(
        strict=True, allow_none=True, metadata={"description": "An active packing house of the product's organization"}
    )
    phi_override_reason = fields.String(
        allow_none=True,
        metadata={
            "maxLength": 2000,
            "description": "Department only: record a harvest inside a spray's pre-harvest interval anyway; "
            "the lot is flagged wherever it shows",
        },
    )


ON_THE_LABEL = {"description": "Refused: it is printed on the label; void the lot and record a new one."}


class LotUpdateSchema(InputSchema):
    """Every field optional; only those sent change. Code, product and area are on the label: void instead."""

    harvest_date = fields.Date()
    quantity = fields.Decimal(as_string=True, metadata=decimal_doc(max_digits=14, places=3, comma=False))
    unit = fields.String(metadata={"enum": ["KGM", "TNE", "H87"]})
    packing_house_id = fields.Integer(strict=True, allow_none=True, metadata={"description": "null removes it"})
    # Accepted only so that changing them is refused with a message that says to void the lot.
    code = fields.String(metadata=ON_THE_LABEL)
    product_id = fields.Integer(strict=True, metadata=ON_THE_LABEL)
    growing_area_id = fields.Integer(strict=True, metadata=ON_THE_LABEL)


class LotVoidSchema(InputSchema):
    reason = fields.String(
        required=True,
        metadata={"maxLength": 1000, "pattern": r"\S", "description": "Why the lot is withdrawn; shown publicly"},
    )


class LotSchema(Schema):
    id = fields.Integer()
    code = fields.String()
    product = fields.Nested(LotProductSchema)
    growing_area = fields.Nested(LotAreaSchema)
    packing_house = fields.Nested(LotPackingHouseSchema, allow_none=True)
    organization_id = fields.Integer()
    harvest_date = fields.Date()
    quantity = fields.Decimal(as_string=True)
    unit = fields.String()
    label_uri = fields.Function(
        lambda lot: label_uri(lot, current_app.config["PUBLIC_BASE_URL"]),
        metadata={"description": "The exact text the lot's QR label encodes"},
    )
    created_at = fields.DateTime()
    updated_at = fields.DateTime(allow_none=True)
    recalled = fields.Boolean(metadata={"description": "An open recall reaches this lot"})
    phi_override = fields.Function(
        lambda lot: (
            {"reason": lot.phi_override_reason, "by": public_name(lot.phi_override_by)}
            if lot.phi_override_reason
            else None
        ),
        metadata={
            "description": "null, or the department's reason for allowing a harvest inside a pre-harvest interval"
        },
    )
    origin = fields.Function(
        lambda lot: lot.origin.value, metadata={"enum": ["harvest", "split", "merge", "transform", "receive"]}
    )
    voided = fields.Function(lambda lot: lot.voided_at is not None)
    voided_at = fields.DateTime(allow_none=True)
    void_reason = fields.String(allow_none=True)
