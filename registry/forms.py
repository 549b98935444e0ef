"""Flask-WTF forms. They carry CSRF and raw input; the services do the validating."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DecimalField, EmailField, HiddenField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Optional

from registry.crops import CROPS
from registry.errors import DomainError
from registry.i18n import WTFormsTranslations, _l, translate


class BaseForm(FlaskForm):
    class Meta:
        def get_translations(self, form):
            return WTFormsTranslations()


def apply_errors(form: FlaskForm, exc: DomainError) -> None:
    """Show a service's field errors next to the matching inputs, the rest above the form."""
    for name, messages in exc.errors.items():
        target = form[name].errors if name in form._fields else form.form_errors
        if isinstance(target, tuple):
            target = list(target)
            form[name].errors = target
        target.extend(translate(m) for m in messages)
    if not exc.errors:
        form.form_errors.append(translate(exc.message))


def choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms 3.3+ wants them."""
    return [SelectChoice(value=str(value), label=str(label)) for value, label in pairs]


def crop_choices() -> list[SelectChoice]:
    return choices((c.code, c.name) for c in CROPS.values())


class LoginForm(BaseForm):
    email = EmailField(_l("Email"), validators=[InputRequired()])
    password = PasswordField(_l("Password"), validators=[InputRequired()])
    next = HiddenField()


class OrganizationForm(BaseForm):
    name = StringField(_l("Name"), validators=[InputRequired()])
    kind = SelectField(
        _l("Kind"), choices=lambda: choices([("cooperative", _l("Cooperative")), ("enterprise", _l("Enterprise"))])
    )
    tax_code = StringField(_l("Tax code"), validators=[InputRequired()])
    commune_code = SelectField(_l("Commune"), validate_choice=False)
    address = StringField(_l("Address"), validators=[Optional()])


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


class AreaStatusForm(BaseForm):
    status = SelectField(_l("New status"), validate_choice=False)
    reason = TextAreaField(_l("Reason"), validators=[Optional()])


class ProductForm(BaseForm):
    name = StringField(_l("Product name"), validators=[InputRequired()])
    organization_id = SelectField(_l("Organization"), coerce=int, validate_choice=False)
    crop = SelectField(_l("Crop"), choices=crop_choices)
    gtin = StringField(_l("GTIN (optional)"), validators=[Optional()])
    description = TextAreaField(_l("Description"), validators=[Optional()])
