from __future__ import annotations

from wtforms import SelectField, TextAreaField
from wtforms.validators import Optional

from registry.core.forms import BaseForm


class StatusForm(BaseForm):
    status = SelectField("", validate_choice=False)
    reason = TextAreaField("", validators=[Optional()])

    def __init__(self, *args, **kwargs):
        from registry.core.i18n import _l

        super().__init__(*args, **kwargs)
        self.status.label.text = _l("New status")
        self.reason.label.text = _l("Reason")
