from __future__ import annotations

from wtforms import BooleanField, TextAreaField
from wtforms.validators import InputRequired

from registry.core.forms import BaseForm
from registry.core.i18n import _l


class RecallForm(BaseForm):
    reason = TextAreaField(_l("Reason for the recall (shown on the public page)"))
    confirm = BooleanField(
        _l("I confirm: this lot and every lot made from it must be withdrawn from sale"),
        validators=[InputRequired(message=_l("Tick the confirmation to open the recall."))],
    )


class CloseForm(BaseForm):
    note = TextAreaField(_l("How the recall ended (quantities withdrawn, destroyed, minutes)"))
