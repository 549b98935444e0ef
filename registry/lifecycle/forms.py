"""Forms for the code lifecycle's pages. They carry raw input; lifecycle.services does the validating."""

from __future__ import annotations

from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Optional

from registry.core.forms import BaseForm, choices
from registry.core.i18n import _l
from registry.lifecycle.models import Conclusion, Hygiene
from registry.lifecycle.services import CONCLUSION_LABELS, HYGIENE_LABELS


def _confirm_field() -> BooleanField:
    return BooleanField(
        _l("I confirm this decision"),
        validators=[InputRequired(message=_l("Tick “I confirm this decision” to go ahead."))],
    )


class StatusForm(BaseForm):
    status = SelectField(_l("New status"), validate_choice=False)
    reason = TextAreaField(_l("Reason"), validators=[Optional()])
    confirm = _confirm_field()


class WithdrawForm(BaseForm):
    reason = TextAreaField(_l("Reason for withdrawing"), validators=[Optional()])


def _yes_no_choices():
    return choices([("", "—"), ("yes", _l("Yes")), ("no", _l("No"))])


class InspectionForm(BaseForm):
    """Choices are offered, not enforced here: lifecycle.services checks every value and says what is wrong."""

    inspected_on = DateField(_l("Inspection date"), validators=[Optional()])
    inspector_name = StringField(_l("Inspector"), validators=[Optional()])
    growth_stage = StringField(_l("Growth stage"), validators=[Optional()])
    pests = TextAreaField(
        _l("Pests found (one per line, “name: density”)"),
        validators=[Optional()],
        render_kw={"rows": 4, "placeholder": "Rệp sáp: 5 con/cành"},
    )
    diary_kept = SelectField(_l("Production diary kept"), choices=_yes_no_choices, validate_choice=False)
    pesticides_permitted = SelectField(
        _l("Pesticides used are permitted for the market"), choices=_yes_no_choices, validate_choice=False
    )
    sampled = BooleanField(_l("Samples taken"))
    sample_results = TextAreaField(_l("Sample results"), validators=[Optional()])
    field_hygiene = SelectField(
        _l("Field hygiene"),
        choices=lambda: choices([("", "—"), *((h.value, HYGIENE_LABELS[h]) for h in Hygiene)]),
        validate_choice=False,
    )
    packaging_collected = SelectField(
        _l("Pesticide packaging collected"), choices=_yes_no_choices, validate_choice=False
    )
    conclusion = SelectField(
        _l("Conclusion"),
        choices=lambda: choices([("", "—"), *((c.value, CONCLUSION_LABELS[c]) for c in Conclusion)]),
        validate_choice=False,
    )
    corrective_deadline = DateField(_l("Deadline for corrective action"), validators=[Optional()])
    reason = TextAreaField(_l("Reason (required to suspend or revoke)"), validators=[Optional()])
    notes = TextAreaField(_l("Notes"), validators=[Optional()])
