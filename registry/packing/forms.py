from __future__ import annotations

from wtforms import SelectField, StringField
from wtforms.validators import InputRequired, Optional

from registry.core.forms import BaseForm
from registry.core.i18n import _l


class PackingHouseForm(BaseForm):
    name = StringField(_l("Name of the packing house"), validators=[InputRequired()])
    organization_id = SelectField(_l("Organization"), coerce=int, validate_choice=False)
    commune_code = SelectField(_l("Commune"), validate_choice=False)
    address = StringField(_l("Address"), validators=[Optional()])
    capacity_t_per_day = StringField(_l("Capacity (tonnes a day)"), validators=[Optional()])
    code = StringField(_l("Code already issued (if any)"), validators=[Optional()])
    legacy_place = StringField(_l("Place as written on the old code"), validators=[Optional()])


class PackingHouseEditForm(BaseForm):
    name = StringField(_l("Name of the packing house"), validators=[InputRequired()])
    commune_code = SelectField(_l("Commune"), validate_choice=False)
    address = StringField(_l("Address"), validators=[Optional()])
    capacity_t_per_day = StringField(_l("Capacity (tonnes a day)"), validators=[Optional()])
    markets = StringField(_l("Export markets (ISO codes, e.g. CN, US)"), validators=[Optional()])
