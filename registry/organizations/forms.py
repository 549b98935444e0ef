from __future__ import annotations

from wtforms import SelectField, StringField
from wtforms.validators import InputRequired, Optional

from registry.core.forms import BaseForm, choices
from registry.core.i18n import _l


def kind_choices():
    return choices([("cooperative", _l("Cooperative")), ("enterprise", _l("Enterprise"))])


class OrganizationForm(BaseForm):
    name = StringField(_l("Name"), validators=[InputRequired()])
    kind = SelectField(_l("Kind"), choices=kind_choices)
    tax_code = StringField(_l("Tax code"), validators=[InputRequired()])
    commune_code = SelectField(_l("Commune"), validate_choice=False)
    address = StringField(_l("Address"), validators=[Optional()])
    phone = StringField(_l("Phone"), validators=[Optional()])


class OrganizationEditForm(BaseForm):
    """The services validate; a member's form drops the fields only the department may change."""

    name = StringField(_l("Name"))
    kind = SelectField(_l("Kind"), choices=kind_choices, validate_choice=False)
    tax_code = StringField(_l("Tax code"))
    commune_code = SelectField(_l("Commune"), validate_choice=False)
    address = StringField(_l("Address"))
    phone = StringField(_l("Phone"))
    dissolved_on = StringField(
        _l("Dissolved on"),
        render_kw={"type": "date"},
        description=_l("Leave empty while it operates. A dissolved cooperative no longer counts for its commune."),
    )

    DEPARTMENT_FIELDS = ("kind", "tax_code", "commune_code", "dissolved_on")
