from __future__ import annotations

from wtforms import DecimalField, SelectField, StringField
from wtforms.validators import InputRequired, Optional

from registry.core.forms import BaseForm, choices
from registry.core.i18n import _l
from registry.products.crops import crop_choices


class AreaForm(BaseForm):
    name = StringField(_l("Area name"), validators=[InputRequired()])
    organization_id = SelectField(_l("Organization"), coerce=int, validate_choice=False)
    kind = SelectField(
        _l("Kind of code"), choices=lambda: choices([("domestic", _l("Domestic")), ("export", _l("Export"))])
    )
    crop = SelectField(_l("Crop"), choices=crop_choices)
    variety = StringField(_l("Variety"), validators=[Optional()])
    area_ha = DecimalField(_l("Area (ha)"), validators=[InputRequired()])
    commune_code = SelectField(_l("Commune"), validate_choice=False)
    code = StringField(_l("Code already issued (if any)"), validators=[Optional()])
    legacy_place = StringField(_l("Place as written on the old code"), validators=[Optional()])
