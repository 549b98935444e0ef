"""Schemas for OCOP evaluations and certificates: *CreateSchema for input (unknown fields refused), *Schema for output."""

from __future__ import annotations

from flask import g
from marshmallow import fields

from registry.core.db import today_in_vietnam
from registry.core.schemas import InputSchema, OutputSchema
from registry.ocop.groups import SUBGROUP_BY_CODE, group_name, subgroup_name
from registry.ocop.services import level_label, stars_label


def _today():
    """One 'today' per request, so that every row of a response agrees."""
    if "ocop_today" not in g:
        g.ocop_today = today_in_vietnam()
    return g.ocop_today


class OcopEvaluationCreateSchema(InputSchema):
    score_a = fields.Raw(required=True, metadata={"description": "Part A, 0–40", "example": 32})
    score_b = fields.Raw(required=True, metadata={"description": "Part B, 0–25", "example": 18})
    score_c = fields.Raw(required=True, metadata={"description": "Part C, 0–35", "example": 25})
    evaluated_on = fields.Date(required=True, allow_none=True)
    group = fields.String(allow_none=True, metadata={"description": "1 to 6; follows from the sub-group"})
    subgroup = fields.String(
        required=True,
        allow_none=True,
        metadata={"enum": list(SUBGROUP_BY_CODE), "description": "Required; it must lie in `group` when that is given"},
    )
    council = fields.String(allow_none=True, metadata={"maxLength": 2000})


class OcopCertificateCreateSchema(InputSchema):
    decision_number = fields.String(
        required=True, allow_none=True, metadata={"maxLength": 100, "pattern": r"\S", "example": "1234/QĐ-UBND"}
    )
    decided_on = fields.Date(required=True, allow_none=True)
    level = fields.String(required=True, allow_none=True, metadata={"enum": ["province", "ministry"]})


class OcopRevokeSchema(InputSchema):
    reason = fields.String(required=True, allow_none=True, metadata={"maxLength": 2000, "pattern": r"\S"})
    revoked_on = fields.Date(allow_none=True, metadata={"description": "Defaults to today"})


class OcopCertificateQueryArgsSchema(InputSchema):
    expiring_within = fields.String(metadata={"description": "Days: valid certificates expiring within them"})
    stars = fields.String(metadata={"enum": ["", "3", "4", "5"], "description": "Empty: any"})
    validity = fields.String(metadata={"enum": ["", "valid", "expired", "revoked"], "description": "Empty: any"})
    province = fields.String(metadata={"description": "Province code of the holder, e.g. 25 (Phú Thọ)"})
    commune = fields.String(metadata={"description": "Commune of the holder: a name, accents optional"})
    crop = fields.String(metadata={"description": "The product's crop, e.g. pomelo"})


class OcopEvaluationSchema(OutputSchema):
    id = fields.Integer()
    product_id = fields.Integer()
    group = fields.String()
    group_name = fields.Function(lambda e: group_name(e.group))
    subgroup = fields.String()
    subgroup_name = fields.Function(lambda e: subgroup_name(e.subgroup))
    score_a = fields.Integer()
    score_b = fields.Integer()
    score_c = fields.Integer()
    total = fields.Integer()
    stars = fields.Integer()
    stars_label = fields.Function(lambda e: stars_label(e.stars))
    council = fields.String(allow_none=True)
    evaluated_on = fields.Date()
    created_at = fields.DateTime()


class OcopCertificateSchema(OutputSchema):
    id = fields.Integer()
    product_id = fields.Integer()
    product = fields.Function(lambda c: c.product.name)
    organization_id = fields.Function(lambda c: c.product.organization_id)
    organization = fields.Function(lambda c: c.product.organization.name)
    evaluation_id = fields.Integer()
    stars = fields.Integer()
    stars_label = fields.Function(lambda c: stars_label(c.stars))
    group = fields.Function(lambda c: c.evaluation.group)
    subgroup = fields.Function(lambda c: c.evaluation.subgroup)
    decision_number = fields.String()
    decided_on = fields.Date()
    level = fields.Function(lambda c: c.level.value)
    level_label = fields.Function(lambda c: level_label(c.level))
    issued_on = fields.Date()
    expires_on = fields.Date()
    revoked_on = fields.Date(allow_none=True)
    revoke_reason = fields.String(allow_none=True)
    valid = fields.Function(lambda c: c.is_valid(_today()))
    validity = fields.Function(lambda c: c.validity(_today()))


class OcopStatusSchema(OutputSchema):
    """A product's OCOP status (registry.ocop.status.as_json); documents the `ocop` field of a product."""

    certificate_id = fields.Integer()
    stars = fields.Integer()
    valid = fields.Boolean()
    issued_on = fields.Date()
    expires_on = fields.Date()
    revoked_on = fields.Date(allow_none=True)
    level = fields.String(metadata={"enum": ["province", "ministry"]})
    group = fields.String()
    subgroup = fields.String()
