"""Schemas for the shared code lifecycle: status moves, history entries and inspections."""

from __future__ import annotations

from marshmallow import fields

from registry.core.people import inspector_name, public_name
from registry.core.schemas import InputSchema, OutputSchema
from registry.lifecycle.models import NEEDS_REASON
from registry.lifecycle.services import conclusion_label

PERSON = (
    "Who did it, as the reader may see it: the email for the department; for a member, a role label for the "
    "department's people, the name of a colleague, or the name of another organization."
)
CONCLUSIONS = ["pass", "corrective_action", "suspend", "revoke"]
HYGIENE = ["good", "fair", "poor"]


# A reason is text with something in it (services.transition refuses a blank one).
REASON = {"type": "string", "pattern": r"\S"}


class StatusInputSchema(InputSchema):
    class Meta(InputSchema.Meta):
        # Suspending, revoking, refusing and withdrawing need a reason; activating does not.
        openapi = {
            "oneOf": [
                {"properties": {"status": {"enum": ["active"]}}},
                {
                    "properties": {"status": {"enum": sorted(s.value for s in NEEDS_REASON)}, "reason": REASON},
                    "required": ["reason"],
                },
            ]
        }

    status = fields.String(required=True, metadata={"enum": ["active", "suspended", "revoked", "refused", "withdrawn"]})
    reason = fields.String(
        allow_none=True,
        metadata={"maxLength": 2000, "description": "Required to suspend, revoke, refuse or withdraw."},
    )


class WithdrawInputSchema(InputSchema):
    class Meta(InputSchema.Meta):
        openapi = {"allOf": [{"properties": {"reason": REASON}}]}  # not null, not blank

    reason = fields.String(
        required=True, allow_none=True, metadata={"maxLength": 2000, "description": "Why the owner withdraws."}
    )


class StatusChangeSchema(OutputSchema):
    from_status = fields.String(allow_none=True)
    to_status = fields.String()
    reason = fields.String(allow_none=True)
    actor = fields.Function(
        lambda c: public_name(c.actor),
        allow_none=True,
        metadata={"type": "string", "description": PERSON},
    )
    at = fields.DateTime()
    inspection_id = fields.Integer(allow_none=True)


class PestInputSchema(InputSchema):
    name = fields.String(required=True, metadata={"maxLength": 200, "pattern": r"\S", "example": "Rệp sáp"})
    density = fields.String(allow_none=True, metadata={"example": "5 con/cành"})


class InspectionInputSchema(InputSchema):
    class Meta(InputSchema.Meta):
        # A suspend or revoke conclusion needs its reason; corrective action needs its deadline.
        openapi = {
            "allOf": [{"properties": {"inspected_on": {"type": "string", "format": "date"}}}],
            "oneOf": [
                {"properties": {"conclusion": {"enum": ["pass"]}}},
                {
                    "properties": {"conclusion": {"enum": ["suspend", "revoke"]}, "reason": REASON},
                    "required": ["reason"],
                },
                {
                    "properties": {
                        "conclusion": {"enum": ["corrective_action"]},
                        "corrective_deadline": {"type": "string", "format": "date"},
                    },
                    "required": ["corrective_deadline"],
                },
            ],
        }

    inspected_on = fields.Date(required=True, allow_none=True)
    conclusion = fields.String(required=True, allow_none=True, metadata={"enum": CONCLUSIONS})
    reason = fields.String(
        allow_none=True,
        metadata={"maxLength": 2000, "description": "Required when the conclusion is suspend or revoke."},
    )
    corrective_deadline = fields.Date(
        allow_none=True, metadata={"description": "Required when the conclusion is corrective_action."}
    )
    inspector_name = fields.String(allow_none=True, metadata={"maxLength": 200})
    growth_stage = fields.String(allow_none=True, metadata={"maxLength": 200})
    pests = fields.List(fields.Nested(PestInputSchema), allow_none=True)
    diary_kept = fields.Boolean(allow_none=True)
    pesticides_permitted = fields.Boolean(allow_none=True)
    sampled = fields.Boolean(allow_none=True)
    sample_results = fields.String(
        allow_none=True, metadata={"maxLength": 5000, "description": "Only with `sampled` true."}
    )
    field_hygiene = fields.String(allow_none=True, metadata={"enum": HYGIENE})
    packaging_collected = fields.Boolean(allow_none=True)
    notes = fields.String(allow_none=True, metadata={"maxLength": 5000})


class PestSchema(OutputSchema):
    name = fields.String()
    density = fields.String()


class InspectionSchema(OutputSchema):
    id = fields.Integer()
    inspected_on = fields.Date()
    inspector_name = fields.Function(
        lambda i: inspector_name(i),
        metadata={"type": "string", "description": "As typed; an account's email is shown as recorded_by is"},
    )
    growth_stage = fields.String(allow_none=True)
    pests = fields.List(fields.Nested(PestSchema))
    diary_kept = fields.Boolean(allow_none=True)
    pesticides_permitted = fields.Boolean(allow_none=True)
    sampled = fields.Boolean()
    sample_results = fields.String(allow_none=True)
    field_hygiene = fields.Function(lambda i: i.field_hygiene.value if i.field_hygiene else None)
    packaging_collected = fields.Boolean(allow_none=True)
    conclusion = fields.Function(lambda i: i.conclusion.value)
    conclusion_label = fields.Function(lambda i: conclusion_label(i.conclusion))
    corrective_deadline = fields.Date(allow_none=True)
    reason = fields.String(allow_none=True)
    notes = fields.String(allow_none=True)
    recorded_by = fields.Function(
        lambda i: public_name(i.recorded_by), allow_none=True, metadata={"type": "string", "description": PERSON}
    )
    created_at = fields.DateTime()


class InspectionResultSchema(OutputSchema):
    inspection = fields.Nested(InspectionSchema)
    status = fields.String(metadata={"description": "The subject's status after the inspection."})
