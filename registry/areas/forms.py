"""Forms for growing areas. They carry raw text and CSRF; registry.areas.services does the validating.

Numbers are plain text inputs so that the service's messages (in the page's language) explain what is wrong.
"""

from __future__ import annotations

from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import Optional

from registry.core.forms import BaseForm, choices
from registry.core.i18n import _l
from registry.products.crops import crop_choices

DECIMAL = {"inputmode": "decimal", "autocomplete": "off"}


def kind_choices():
    return choices([("domestic", _l("Domestic")), ("export", _l("Export"))])


class AreaEditForm(BaseForm):
    """The record as the owner corrects it; the crop, the issued code and the status are not here."""

    name = StringField(_l("Area name"))
    kind = SelectField(_l("Kind of code"), choices=kind_choices, validate_choice=False)
    variety = StringField(_l("Variety"), validators=[Optional()])
    area_ha = StringField(_l("Area (ha)"), render_kw=DECIMAL)
    province = SelectField(_l("Province"), validate_choice=False)
    commune_code = SelectField(_l("Commune"), validate_choice=False)
    legacy_place = StringField(_l("Place as written on the old code"), validators=[Optional()])
    household_count = StringField(_l("Number of households"), render_kw={"inputmode": "numeric"})
    planting_year = StringField(_l("Planting year"), render_kw={"inputmode": "numeric", "placeholder": "2012"})
    seed_origin = StringField(_l("Seed origin"), validators=[Optional()])
    average_yield_t = StringField(_l("Average yield over the last 3–5 years (tonnes)"), render_kw=DECIMAL)
    expected_yield_t = StringField(_l("Expected yield (tonnes)"), render_kw=DECIMAL)
    geometry = TextAreaField(
        _l("Map: GeoJSON Polygon or MultiPolygon, [longitude, latitude] in WGS 84"),
        render_kw={
            "rows": 5,
            "spellcheck": "false",
            "placeholder": '{"type": "Polygon", "coordinates": [[[105.2, 21.6], …]]}',
        },
    )
    gps_lat = StringField(_l("GPS latitude"), render_kw={"inputmode": "decimal", "placeholder": "21.6012"})
    gps_lon = StringField(_l("GPS longitude"), render_kw={"inputmode": "decimal", "placeholder": "105.2034"})
    markets = StringField(
        _l("Export markets (ISO country codes, e.g. CN US JP, or EU)"), render_kw={"autocapitalize": "characters"}
    )


class AreaForm(AreaEditForm):
    organization_id = SelectField(_l("Organization"), coerce=int, validate_choice=False)
    crop = SelectField(_l("Crop"), choices=crop_choices)
    code = StringField(_l("Code already issued (if any)"), validators=[Optional()])


class HouseholdForm(BaseForm):
    name = StringField(_l("Household head"))
    plot_ha = StringField(_l("Plot (ha)"), render_kw=DECIMAL)
    phone = StringField(_l("Phone (optional)"), render_kw={"inputmode": "tel", "autocomplete": "off"})


class CertificateForm(BaseForm):
    scheme = SelectField(
        _l("Scheme"),
        choices=lambda: choices([("vietgap", "VietGAP"), ("globalgap", "GlobalGAP"), ("organic", _l("Organic"))]),
        validate_choice=False,
    )
    number = StringField(_l("Certificate number"))
    issuer = StringField(_l("Issued by"))
    issued_on = DateField(_l("Date of issue"), validators=[Optional()])
    expires_on = DateField(_l("Expiry date"), validators=[Optional()])


class SeasonForm(BaseForm):
    name = StringField(_l("Season"), render_kw={"placeholder": "Vụ 2025"})
    harvest_from = DateField(_l("Expected harvest from"), validators=[Optional()])
    harvest_to = DateField(_l("Expected harvest to"), validators=[Optional()])
    target_market = StringField(_l("Target market"), validators=[Optional()])
    actual_yield_t = StringField(_l("Actual yield (tonnes, optional)"), render_kw=DECIMAL)
