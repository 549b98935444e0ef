"""Marshmallow schemas for growing areas: *CreateSchema for input (unknown fields refused), *Schema for output.

Households are private: outside the households endpoint they appear only as a count (`households`).
"""

from __future__ import annotations

from marshmallow import fields

from registry.areas.services import household_total
from registry.core.db import today_in_vietnam
from registry.core.fields import decimal_doc
from registry.core.schemas import InputSchema, OutputSchema
from registry.lifecycle.schemas import StatusChangeSchema
from registry.lifecycle.services import status_label
from registry.products.crops import CROPS, crop_name
from registry.units.schemas import CommuneSchema

COMMUNE_CODE = {
    "pattern": r"^[0-9]{5}$",
    "description": "A commune of the current map (after the 2025 reform), by its 5-digit code",
    "example": "07999",
}
STATUSES = ["pending", "active", "suspended", "revoked", "withdrawn", "refused"]


class GpsSchema(InputSchema):
    lat = fields.Raw(required=True, metadata={"example": 21.6012, "description": "Latitude, degrees (WGS 84)"})
    lon = fields.Raw(required=True, metadata={"example": 105.2034, "description": "Longitude, degrees (WGS 84)"})


class _RecordFields(InputSchema):
    variety = fields.String(allow_none=True, metadata={"maxLength": 100})
    legacy_place = fields.String(
        allow_none=True, metadata={"maxLength": 300, "description": "Place as written before the 2025 reform."}
    )
    household_count = fields.Raw(allow_none=True, metadata={"description": "Households declared", "example": 24})
    planting_year = fields.Raw(
        allow_none=True, metadata={"description": "A whole year from 1900 to this year", "example": 2012}
    )
    seed_origin = fields.String(allow_none=True, metadata={"maxLength": 300})
    average_yield_t = fields.Raw(
        allow_none=True,
        metadata=decimal_doc(
            max_digits=12, places=3, positive=False, description="Average yield over the last 3–5 years, tonnes."
        ),
    )
    expected_yield_t = fields.Raw(
        allow_none=True,
        metadata=decimal_doc(
            max_digits=12, places=3, positive=False, blank=True, description="Expected yield, tonnes."
        ),
    )
    geometry = fields.Raw(
        allow_none=True, metadata={"description": "GeoJSON Polygon or MultiPolygon, WGS 84 [longitude, latitude]"}
    )
    gps = fields.Nested(GpsSchema, allow_none=True)
    markets = fields.Raw(
        allow_none=True,
        metadata={"description": "Export codes only: ISO 3166 alpha-2 codes or EU", "example": ["CN", "US"]},
    )


class AreaCreateSchema(_RecordFields):
    name = fields.String(required=True, metadata={"maxLength": 200, "pattern": r"\S"})
    kind = fields.String(required=True, metadata={"enum": ["domestic", "export"]})
    crop = fields.String(required=True, metadata={"enum": list(CROPS), "example": "pomelo"})
    area_ha = fields.Raw(required=True, metadata=decimal_doc(max_digits=12, places=4, description="Hectares."))
    commune_code = fields.String(required=True, metadata=COMMUNE_CODE)
    organization_id = fields.Integer(
        strict=True, metadata={"description": "Required for admins; members use their own."}
    )
    code = fields.String(
        allow_none=True,
        metadata={"description": "A code already issued elsewhere; provisional until the department confirms it."},
    )


class AreaUpdateSchema(_RecordFields):
    """Only the fields sent change. `code` (once issued) and `status` are refused with a message."""

    name = fields.String(metadata={"maxLength": 200, "pattern": r"\S"})
    kind = fields.String(metadata={"enum": ["domestic", "export"]})
    area_ha = fields.Raw(metadata=decimal_doc(max_digits=12, places=4, description="Hectares."))
    commune_code = fields.String(metadata=COMMUNE_CODE)
    code = fields.String(
        allow_none=True,
        metadata={"description": "Refused once issued; while pending it corrects the code claimed as issued."},
    )
    status = fields.Raw(allow_none=True, metadata={"description": "Refused: use …/status or …/withdraw."})


class AreaSchema(OutputSchema):
    id = fields.Integer()
    code = fields.String(allow_none=True)
    claimed_code = fields.String(allow_none=True)
    name = fields.String()
    kind = fields.String()
    markets = fields.Function(lambda a: list(a.markets or []))
    status = fields.String()
    status_label = fields.Function(lambda a: status_label(a.status))
    crop = fields.String()
    crop_name = fields.Function(lambda a: crop_name(a.crop))
    variety = fields.String(allow_none=True)
    area_ha = fields.Decimal(as_string=True)
    commune = fields.Nested(CommuneSchema)
    legacy_place = fields.String(allow_none=True)
    organization_id = fields.Integer()
    organization_name = fields.Function(lambda a: a.organization.name)
    created_at = fields.DateTime()
    status_changed_at = fields.DateTime()


class CertificateSchema(OutputSchema):
    id = fields.Integer()
    scheme = fields.String()
    number = fields.String()
    issuer = fields.String()
    issued_on = fields.Date()
    expires_on = fields.Date()
    revoked_on = fields.Date(allow_none=True)
    valid = fields.Function(lambda c: c.is_valid(today_in_vietnam()))
    validity = fields.Function(lambda c: c.validity(today_in_vietnam()))


class SeasonSchema(OutputSchema):
    id = fields.Integer()
    name = fields.String()
    harvest_from = fields.Date()
    harvest_to = fields.Date()
    target_market = fields.String(allow_none=True)
    actual_yield_t = fields.Decimal(as_string=True, allow_none=True)


class HouseholdSchema(OutputSchema):
    """Private to the owner and the department; only served by /areas/<id>/households."""

    id = fields.Integer()
    name = fields.String()
    plot_ha = fields.Decimal(as_string=True)
    phone = fields.String(allow_none=True)
    created_at = fields.DateTime()


def _gps(area):
    if area.gps_lat is None or area.gps_lon is None:
        return None
    return {"lat": float(area.gps_lat), "lon": float(area.gps_lon)}


class AreaDetailSchema(AreaSchema):
    # A count, never the list: the households listed, or the declared household_count when none are listed.
    households = fields.Function(household_total)
    household_count = fields.Integer(allow_none=True)
    planting_year = fields.Integer(allow_none=True)
    seed_origin = fields.String(allow_none=True)
    average_yield_t = fields.Decimal(as_string=True, allow_none=True)
    expected_yield_t = fields.Decimal(as_string=True, allow_none=True)
    geometry = fields.Raw(allow_none=True)
    geometry_ha = fields.Decimal(as_string=True, allow_none=True)
    gps = fields.Function(_gps)
    certificates = fields.List(fields.Nested(CertificateSchema))
    seasons = fields.List(fields.Nested(SeasonSchema))
    history = fields.List(fields.Nested(StatusChangeSchema))


class HouseholdInputSchema(InputSchema):
    name = fields.String(required=True, metadata={"maxLength": 200, "pattern": r"\S"})
    plot_ha = fields.Raw(required=True, metadata=decimal_doc(max_digits=12, places=4, description="Hectares."))
    phone = fields.String(allow_none=True, metadata={"maxLength": 20, "example": "0912 345 678"})


class CertificateInputSchema(InputSchema):
    scheme = fields.String(required=True, metadata={"enum": ["vietgap", "globalgap", "organic"]})
    number = fields.String(required=True, metadata={"maxLength": 100, "pattern": r"\S"})
    issuer = fields.String(required=True, metadata={"maxLength": 200, "pattern": r"\S"})
    issued_on = fields.Date(required=True)
    expires_on = fields.Date(required=True)


class SeasonInputSchema(InputSchema):
    name = fields.String(required=True, metadata={"maxLength": 100, "pattern": r"\S", "example": "Vụ 2025"})
    harvest_from = fields.Date(required=True)
    harvest_to = fields.Date(required=True)
    target_market = fields.String(allow_none=True, metadata={"maxLength": 100})
    actual_yield_t = fields.Raw(
        allow_none=True,
        metadata=decimal_doc(max_digits=12, places=3, positive=False, blank=True, description="Tonnes."),
    )


class AreaQueryArgsSchema(InputSchema):
    status = fields.String(metadata={"enum": ["", *STATUSES], "description": "Empty: any"})
    province = fields.String(metadata={"description": "Province code, e.g. 25"})
    commune = fields.String(metadata={"description": "Part of the commune's name, with or without diacritics"})
    crop = fields.String(metadata={"enum": ["", *CROPS], "description": "Empty: any"})
    organization_id = fields.String(metadata={"description": "Organization id"})
