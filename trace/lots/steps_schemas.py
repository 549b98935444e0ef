"""Schemas for the steps after a harvest: bodies in (unknown fields refused, nested too), lots and shipments out."""

from __future__ import annotations

from marshmallow import fields

from registry.core.extensions import db
from registry.core.fields import decimal_doc
from registry.core.schemas import InputSchema, OutputSchema
from trace.lots import record
from trace.lots.schemas import LotSchema

DOC_TYPES = ["invoice", "bill_of_lading", "purchase_order", "despatch_advice"]


class StepLotSchema(LotSchema):
    held = fields.Function(
        lambda lot: str(record.held(db.session, lot)),
        metadata={"description": "What the lot still holds, after splits, merges, transformations and shipments"},
    )


class PartSchema(InputSchema):
    code = fields.String(metadata={"description": "The new lot's code (GS1 AI 10)"})
    quantity = fields.Raw(metadata=decimal_doc(max_digits=14, places=3))


class SplitSchema(InputSchema):
    parts = fields.List(
        fields.Nested(PartSchema),
        required=True,
        metadata={
            "minItems": 1,
            "maxItems": 100,
            "description": "Each part a new lot: a code not used yet, and a quantity; together at most what the lot holds.",
        },
    )


class InputLotSchema(InputSchema):
    lot_id = fields.Raw(required=True, metadata={"description": "A lot the caller holds, not voided and not recalled"})
    quantity = fields.Raw(
        metadata=decimal_doc(max_digits=14, places=3, description="Omitted: all the lot still holds.")
    )


class MergeSchema(InputSchema):
    inputs = fields.List(
        fields.Nested(InputLotSchema),
        required=True,
        metadata={
            "minItems": 2,
            "maxItems": 100,
            "description": "Two or more different lots of the caller, of one product.",
        },
    )
    code = fields.String(required=True, metadata={"description": "The merged lot's code"})


class OutputLotSchema(InputSchema):
    code = fields.String()
    product_id = fields.Raw(allow_none=True, metadata={"description": "A product of the caller's organization"})
    quantity = fields.Raw(metadata=decimal_doc(max_digits=14, places=3))
    unit = fields.String(metadata={"enum": ["KGM", "TNE", "H87"]})


class TransformationSchema(InputSchema):
    inputs = fields.List(
        fields.Nested(InputLotSchema),
        required=True,
        metadata={"minItems": 1, "maxItems": 100, "description": "Lots of the caller, each at most once."},
    )
    outputs = fields.List(fields.Nested(OutputLotSchema), required=True)
    reason = fields.String(allow_none=True, metadata={"maxLength": 2000, "example": "Sao khô chè búp tươi"})


class PackSchema(InputSchema):
    packing_house_id = fields.Raw(
        required=True, metadata={"description": "An active packing house of the lot's organization"}
    )
    packed_at = fields.AwareDateTime(allow_none=True)


class ShipSchema(InputSchema):
    quantity = fields.Raw(required=True, metadata=decimal_doc(max_digits=14, places=3))
    receiver_organization_id = fields.Raw(
        allow_none=True,
        metadata={"description": "An organization of the registry other than the sender; null for a buyer outside it"},
    )
    receiver_name = fields.String(
        allow_none=True, metadata={"maxLength": 300, "description": "An outside party, e.g. a wholesaler"}
    )
    shipped_at = fields.AwareDateTime(allow_none=True)
    document_type = fields.String(allow_none=True, metadata={"enum": DOC_TYPES})
    document_number = fields.String(allow_none=True, metadata={"maxLength": 100})


class ReceiveSchema(InputSchema):
    code = fields.String(allow_none=True, metadata={"description": "The received lot's code; default R<id>-<code>"})
    received_at = fields.AwareDateTime(allow_none=True)


class ShipmentSchema(OutputSchema):
    id = fields.Integer()
    lot_id = fields.Integer()
    lot_code = fields.Function(lambda s: s.lot.code)
    quantity = fields.Decimal(as_string=True)
    unit = fields.Function(lambda s: s.unit.value)
    sender_organization_id = fields.Integer()
    receiver_organization_id = fields.Integer(allow_none=True)
    receiver_name = fields.String(allow_none=True)
    shipped_at = fields.DateTime()
    received_at = fields.DateTime(allow_none=True)
    lot = fields.Function(
        lambda s: StepLotSchema().dump(s.received_lot) if s.received_lot is not None else None,
        metadata={"description": "The lot the receiver holds, once received"},
    )


class SplitResultSchema(OutputSchema):
    lots = fields.List(fields.Nested(StepLotSchema))


class TransformationResultSchema(OutputSchema):
    outputs = fields.List(fields.Nested(StepLotSchema))


class LineageArgsSchema(InputSchema):
    direction = fields.String(load_default="up", metadata={"enum": ["up", "down"]})
    depth = fields.Integer(load_default=1, metadata={"description": "1 to 100 steps"})


class LineageNodeSchema(OutputSchema):
    id = fields.Integer()
    code = fields.String()
    label_uri = fields.String()
    product = fields.String()
    origin = fields.String()
    organization = fields.String(allow_none=True)
    recalled = fields.Boolean()


class LineageEdgeSchema(OutputSchema):
    parent = fields.Integer()
    child = fields.Integer()
    event_id = fields.Integer()
    kind = fields.String()
    depth = fields.Integer()


class LineageSchema(OutputSchema):
    lot_id = fields.Integer()
    direction = fields.String(metadata={"enum": ["up", "down"]})
    depth = fields.Integer()
    nodes = fields.List(fields.Nested(LineageNodeSchema))
    edges = fields.List(fields.Nested(LineageEdgeSchema))
