"""The public code lookup's JSON: public facts only."""

from __future__ import annotations

from marshmallow import fields

from registry.core.schemas import OutputSchema


class PublicCertificateSchema(OutputSchema):
    scheme = fields.String(metadata={"enum": ["vietgap", "globalgap", "organic"]})
    number = fields.String()
    issuer = fields.String()
    expires_on = fields.Date()


class PublicOcopSchema(OutputSchema):
    """An OCOP product of the code's holder (of the area's crop), listed only while its certificate is valid."""

    name = fields.String()
    stars = fields.Integer()
    group = fields.String()
    subgroup = fields.String()
    level = fields.String(metadata={"enum": ["province", "ministry"]})
    issued_on = fields.Date()
    expires_on = fields.Date()


class PublicCodeSchema(OutputSchema):
    subject = fields.String(metadata={"enum": ["growing_area", "packing_house"]})
    code = fields.String()
    name = fields.String()
    status = fields.String(metadata={"enum": ["active", "suspended", "revoked"]})
    status_label = fields.String()
    status_since = fields.DateTime()
    kind = fields.String(allow_none=True, metadata={"enum": ["domestic", "export"]})
    markets = fields.List(fields.String())
    crop = fields.String(allow_none=True)
    crop_name = fields.String(allow_none=True)
    variety = fields.String(allow_none=True)
    area_ha = fields.Decimal(allow_none=True, as_string=True)
    commune = fields.String()
    province = fields.String()
    legacy_place = fields.String(allow_none=True)
    organization = fields.String()
    certificates = fields.List(fields.Nested(PublicCertificateSchema))
    ocop_products = fields.List(fields.Nested(PublicOcopSchema))
