from __future__ import annotations

from marshmallow import Schema, fields


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
    q = fields.String(metadata={"description": "Part of the name, with or without diacritics"})
