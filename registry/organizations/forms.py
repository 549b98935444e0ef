from __future__ import annotations

from wtforms import SelectField, StringField
from wtforms.validators import InputRequired, Optional

from registry.core.forms import BaseForm, choices
from registry.core.i18n import _l


class OrganizationForm(BaseForm):
    name = StringField(_l("Name"), validators=[InputRequired()])
    kind = SelectField(
        _l("Kind"), choices=lambda: choices([("cooperative", _l("Cooperative")), ("enterprise", _l("Enterprise"))])
    )
    tax_code = StringField(_l("Tax code"), validators=[InputRequired()])
    commune_code = SelectField(_l("Commune"), validate_choice=False)
    address = StringField(_l("Address"), validators=[Optional()])
