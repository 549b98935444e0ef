from __future__ import annotations

from wtforms import EmailField, HiddenField, PasswordField
from wtforms.validators import InputRequired

from registry.core.forms import BaseForm
from registry.core.i18n import _l


class LoginForm(BaseForm):
    email = EmailField(_l("Email"), validators=[InputRequired()])
    password = PasswordField(_l("Password"), validators=[InputRequired()])
    next = HiddenField()
