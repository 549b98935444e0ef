"""Flask-WTF base form and helpers. Forms carry CSRF and raw input; the services do the validating."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice

from registry.core.errors import DomainError
from registry.core.i18n import WTFormsTranslations, translate


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


def status_code(form: FlaskForm) -> int:
    return 422 if (form.errors or form.form_errors) else 200
