"""Forms for linkage models. They carry raw input; registry.linkage.services does the validating."""

from __future__ import annotations

from wtforms import DateField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import Optional

from registry.core.forms import BaseForm
from registry.core.i18n import _l


class LinkageModelForm(BaseForm):
    name = StringField(_l("Name of the linkage model"))
    lead_organization_id = SelectField(_l("Lead organization"), coerce=int, validate_choice=False)
    crop = SelectField(_l("Key product (crop)"), validate_choice=False)
    partner_organization_ids = SelectMultipleField(
        _l("Partner cooperatives and enterprises"), coerce=int, validate_choice=False
    )
    commune_codes = SelectMultipleField(_l("Communes covered"), validate_choice=False)
    area_ids = SelectMultipleField(_l("Supplying growing areas"), coerce=int, validate_choice=False)
    partner_households = StringField(
        _l("Partner households"), validators=[Optional()], render_kw={"inputmode": "numeric"}
    )
    started_on = DateField(_l("Started on"), validators=[Optional()])
    ended_on = DateField(_l("Ended on (if it has ended)"), validators=[Optional()])
    notes = TextAreaField(_l("Notes"), validators=[Optional()])
