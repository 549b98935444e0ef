"""Recall bodies in, recalls out."""

from __future__ import annotations

from flask import current_app
from marshmallow import fields

from registry.core.extensions import db
from registry.core.schemas import InputSchema, OutputSchema
from trace.lots.identifiers import label_uri
from trace.recall import services


class RecallCreateSchema(InputSchema):
    lot_id = fields.Raw(required=True, metadata={"description": "A lot of the registry with no open recall"})
    reason = fields.String(
        required=True, metadata={"maxLength": 2000, "pattern": r"\S", "example": "Dư lượng Carbendazim vượt MRL"}
    )


class RecallCloseSchema(InputSchema):
    note = fields.String(
        required=True,
        metadata={
            "maxLength": 2000,
            "pattern": r"\S",
            "example": "Đã thu hồi đủ 1.200 kg, tiêu hủy theo biên bản số 12",
        },
    )


class RecallArgsSchema(InputSchema):
    status = fields.String(metadata={"enum": ["", "open", "closed"], "description": "Empty: any"})


class RecallSchema(OutputSchema):
    id = fields.Integer()
    lot_id = fields.Integer()
    lot_code = fields.Function(lambda r: r.lot.code)
    reason = fields.String()
    opened_at = fields.DateTime()
    closed_at = fields.DateTime(allow_none=True)
    close_note = fields.String(allow_none=True)
    open = fields.Function(lambda r: r.closed_at is None)


def _lots(recall):
    base = current_app.config["PUBLIC_BASE_URL"]
    return [
        {
            "id": lot.id,
            "code": lot.code,
            "label_uri": label_uri(lot, base),
            "depth": depth,
            "organization_id": lot.organization_id,
            "quantity": str(lot.quantity),
            "unit": lot.unit.value,
        }
        for lot, depth in services.affected_lots(db.session, recall)
    ]


def _parties(recall):
    return [
        {
            "name": p.name,
            "organization_id": p.organization_id,
            "holds": [{"lot": c, "quantity": str(q), "unit": u} for c, q, u in p.lots],
            "received": [{"lot": c, "quantity": str(q), "unit": u} for c, q, u in p.received],
        }
        for p in services.affected_parties(db.session, recall)
    ]


class RecallDetailSchema(RecallSchema):
    lots = fields.Function(_lots, metadata={"description": "Every lot the recall reaches; depth 0 is the recalled lot"})
    parties = fields.Function(
        _parties, metadata={"description": "Organizations holding affected lots, and whoever received some"}
    )
