from __future__ import annotations

from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import Optional

from registry.core.forms import BaseForm, choices
from trace.diary.services import KIND_LABELS


class DiaryEntryForm(BaseForm):
    kind = SelectField("", validate_choice=False)
    date = DateField("", validators=[Optional()])
    performed_by = StringField("")
    input_name = StringField("")
    active_ingredient = StringField("")
    dose = StringField("")
    phi_days = StringField("")
    notes = TextAreaField("")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = choices((k.value, label) for k, label in KIND_LABELS.items())
