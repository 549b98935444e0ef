from __future__ import annotations

from wtforms import BooleanField, EmailField, HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import InputRequired

from registry.core.forms import BaseForm, choices
from registry.core.i18n import _l


def role_choices():
    return choices([("member", _l("Member of an organization")), ("auditor", _l("Inspector")), ("admin", _l("Admin"))])


class LoginForm(BaseForm):
    email = EmailField(_l("Email"), validators=[InputRequired()])
    password = PasswordField(_l("Password"), validators=[InputRequired()])
    next = HiddenField()


class UserCreateForm(BaseForm):
    """Raw input; registry.accounts.services validates."""

    email = EmailField(_l("Email"))
    full_name = StringField(_l("Full name"))
    role = SelectField(_l("Role"), choices=role_choices, validate_choice=False)
    organization_id = SelectField(_l("Organization (members only)"), validate_choice=False)
    password = PasswordField(_l("Initial password"))


class UserEditForm(BaseForm):
    full_name = StringField(_l("Full name"))
    role = SelectField(_l("Role"), choices=role_choices, validate_choice=False)
    organization_id = SelectField(_l("Organization (members only)"), validate_choice=False)
    active = BooleanField(_l("The account is active (untick to deactivate it)"))


class PasswordForm(BaseForm):
    current_password = PasswordField(_l("Current password"))
    new_password = PasswordField(_l("New password (at least 8 characters)"))
    repeat_password = PasswordField(_l("New password again"))


class TokenForm(BaseForm):
    label = StringField(_l("What the token is for"))
    days = SelectField(_l("Valid for"), validate_choice=False)


def token_days_choices(form: TokenForm, default_days: int, max_days: int) -> None:
    """A few usual lifetimes, the configured default among them and chosen unless the user chose another."""
    days = sorted({d for d in (7, 30, 90, 180, 365, default_days) if 1 <= d <= max_days})
    form.days.choices = choices((str(d), _l("%(days)s days", days=d)) for d in days)
    if not form.days.data:
        form.days.data = str(default_days)
