"""Schemas for linkage models: *CreateSchema/*UpdateSchema for input (unknown fields refused), *Schema for output."""

from __future__ import annotations

from marshmallow import fields

from registry.core.schemas import InputSchema, OutputSchema
from registry.lifecycle.services import status_label
from registry.linkage.services import TIED_RULE, tied_to_raw_material_area
from registry.products.crops import CROPS, crop_name
from registry.units.schemas import CommuneSchema

ID = {"description": "An id; ids beyond 2147483647 are refused with 422."}
PARTNERS = {"description": "Organizations of the registry other than the lead, each once. " + ID["description"]}
COMMUNES = {"description": "Communes of the current map (after the 2025 reform), by their 5-digit codes, each once"}
AREAS = {
    "description": "Growing areas of the lead or of a partner organization, for the model's crop. " + ID["description"]
}


class LinkageModelCreateSchema(InputSchema):
    name = fields.String(required=True, metadata={"maxLength": 200, "pattern": r"\S"})
    lead_organization_id = fields.Integer(
        strict=True, allow_none=True, metadata={"description": "Required for admins; members lead for their own."}
    )
    partner_organization_ids = fields.List(fields.Integer(strict=True), load_default=list, metadata=PARTNERS)
    crop = fields.String(required=True, metadata={"enum": list(CROPS), "example": "pomelo"})
    commune_codes = fields.List(fields.String(), load_default=list, metadata={**COMMUNES, "example": ["07999"]})
    area_ids = fields.List(fields.Integer(strict=True), load_default=list, metadata=AREAS)
    partner_households = fields.Integer(
        strict=True,
        allow_none=True,
        metadata={"minimum": 0, "maximum": 2147483647, "description": "Households supplying under the model"},
    )
    started_on = fields.Date(required=True)
    ended_on = fields.Date(allow_none=True)
    notes = fields.String(allow_none=True, metadata={"maxLength": 4000})


class LinkageModelUpdateSchema(InputSchema):
    name = fields.String(metadata={"maxLength": 200, "pattern": r"\S"})
    lead_organization_id = fields.Integer(strict=True, metadata={"description": "Admins only."})
    partner_organization_ids = fields.List(fields.Integer(strict=True), metadata=PARTNERS)
    crop = fields.String(metadata={"enum": list(CROPS)})
    commune_codes = fields.List(fields.String(), metadata=COMMUNES)
    area_ids = fields.List(fields.Integer(strict=True), metadata=AREAS)
    partner_households = fields.Integer(
        strict=True,
        allow_none=True,
        metadata={"minimum": 0, "maximum": 2147483647, "description": "Households supplying under the model"},
    )
    started_on = fields.Date()
    ended_on = fields.Date(allow_none=True)
    notes = fields.String(allow_none=True, metadata={"maxLength": 4000})
    # Refused with a clear message by the service: it is derived from the supplying areas' codes.
    tied_to_raw_material_area = fields.Raw(
        metadata={"description": "Refused: derived from the codes of the supplying growing areas."}
    )


class LinkageModelQueryArgsSchema(InputSchema):
    province = fields.String(metadata={"description": "Province code of a covered commune", "example": "25"})
    commune = fields.String(metadata={"description": "Code or name of a covered commune"})
    crop = fields.String(metadata={"enum": ["", *CROPS], "description": "Empty: any"})
    tied = fields.String(
        metadata={
            "enum": ["", "yes", "true", "1", "no", "false", "0"],
            "description": "Tied to a raw-material area today; empty: any",
        }
    )


class OrganizationRefSchema(OutputSchema):
    id = fields.Integer()
    name = fields.String()


class SupplyingAreaSchema(OutputSchema):
    id = fields.Integer()
    code = fields.String(allow_none=True)
    name = fields.String()
    organization_id = fields.Integer()
    status = fields.String()
    status_label = fields.Function(lambda a: status_label(a.status))


class LinkageModelSchema(OutputSchema):
    id = fields.Integer()
    name = fields.String()
    lead_organization_id = fields.Integer()
    lead_organization = fields.Nested(OrganizationRefSchema)
    partner_organization_ids = fields.List(fields.Integer())
    partner_organizations = fields.List(fields.Nested(OrganizationRefSchema), attribute="partners")
    crop = fields.String()
    crop_name = fields.Function(lambda m: crop_name(m.crop))
    commune_codes = fields.List(fields.String())
    communes = fields.List(fields.Nested(CommuneSchema))
    area_ids = fields.List(fields.Integer())
    areas = fields.List(fields.Nested(SupplyingAreaSchema))
    partner_households = fields.Integer(allow_none=True)
    started_on = fields.Date()
    ended_on = fields.Date(allow_none=True)
    notes = fields.String(allow_none=True)
    tied_to_raw_material_area = fields.Function(
        lambda m: tied_to_raw_material_area(m), metadata={"description": "Derived, read only"}
    )
    tied_rule = fields.Function(lambda m: str(TIED_RULE), metadata={"description": "The rule the flag follows"})
    created_at = fields.DateTime()
    updated_at = fields.DateTime(allow_none=True)
