from __future__ import annotations

from flask import url_for
from marshmallow import fields, post_dump

from registry.core.extensions import db
from registry.core.schemas import InputSchema, OutputSchema
from registry.products import facets
from registry.products.crops import CROPS, crop_name


class ProductCreateSchema(InputSchema):
    name = fields.String(required=True, metadata={"maxLength": 200, "pattern": r"\S"})
    crop = fields.String(required=True, metadata={"enum": list(CROPS)})
    organization_id = fields.Integer(
        strict=True,
        metadata={"description": "An organization of the registry: required for admins; members use their own."},
    )
    gtin = fields.String(
        allow_none=True, metadata={"description": "GTIN-8/12/13/14; stored as GTIN-14.", "example": "08935049500018"}
    )
    description = fields.String(allow_none=True, metadata={"maxLength": 5000})
    brand = fields.String(
        allow_none=True, metadata={"maxLength": 100, "description": "Trade name on the pack (nhãn hiệu)."}
    )
    shelf_life_days = fields.Raw(allow_none=True, metadata={"description": "Days a lot keeps from harvest, 1-3650."})


class ProductUpdateSchema(InputSchema):
    """Every field optional; only those sent change. The GTIN is fixed once a lot of the product exists."""

    name = fields.String(metadata={"maxLength": 200, "pattern": r"\S"})
    crop = fields.String(metadata={"enum": list(CROPS)})
    gtin = fields.String(allow_none=True, metadata={"description": "GTIN-8/12/13/14; null removes it."})
    description = fields.String(allow_none=True, metadata={"maxLength": 5000})
    brand = fields.String(allow_none=True, metadata={"maxLength": 100})
    shelf_life_days = fields.Raw(allow_none=True, metadata={"description": "Days a lot keeps from harvest, 1-3650."})


class ProductSchema(OutputSchema):
    id = fields.Integer()
    name = fields.String()
    crop = fields.String()
    crop_name = fields.Function(lambda p: crop_name(p.crop))
    organization_id = fields.Integer()
    gtin = fields.String(allow_none=True)
    description = fields.String(allow_none=True)
    brand = fields.String(allow_none=True)
    shelf_life_days = fields.Integer(allow_none=True)
    image_url = fields.Method("_image_url", allow_none=True)
    created_at = fields.DateTime()
    updated_at = fields.DateTime(allow_none=True)
    # Filled by the loader the OCOP domain registers (registry.products.facets), in one query per response.
    ocop = fields.Dict(
        dump_only=True,
        allow_none=True,
        metadata={
            "description": "null if never certified; else the current certificate, or the latest one with valid "
            "false: stars, valid, issued_on, expires_on, revoked_on, level, group, subgroup, certificate_id."
        },
    )

    def _image_url(self, product):
        if not product.image_key:
            return None
        return url_for("products.product_image", product_id=product.id, key=product.image_key, _external=True)

    @post_dump(pass_collection=True)
    def _add_facets(self, data, many, **kwargs):
        rows = data if many else [data]
        loaded = facets.load(db.session, (row["id"] for row in rows))
        for name, values in loaded.items():
            for row in rows:
                row[name] = values.get(row["id"])
        return data
