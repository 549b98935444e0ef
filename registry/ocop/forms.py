"""Forms for the OCOP pages. They carry raw input; registry.ocop.services does the validating."""

from __future__ import annotations

from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import Optional

from registry.core.forms import BaseForm, choices
from registry.core.i18n import _l
from registry.ocop.services import LEVEL_LABELS


def _level_choices():
    return choices([("", "—")] + [(level.value, label) for level, label in LEVEL_LABELS.items()])


class EvaluationForm(BaseForm):
    # Rendered with one <optgroup> per product group by the template (GROUPS, SUBGROUPS).
    subgroup = StringField(_l("Product group and sub-group"))
    score_a = StringField(_l("Part A score (0–40)"), render_kw={"inputmode": "numeric"})
    score_b = StringField(_l("Part B score (0–25)"), render_kw={"inputmode": "numeric"})
    score_c = StringField(_l("Part C score (0–35)"), render_kw={"inputmode": "numeric"})
    evaluated_on = DateField(_l("Evaluation date"), validators=[Optional()])
    council = TextAreaField(_l("Evaluation council"), validators=[Optional()], render_kw={"rows": 2})


class CertificateForm(BaseForm):
    decision_number = StringField(_l("Decision number"), render_kw={"placeholder": "1234/QĐ-UBND"})
    decided_on = DateField(_l("Decision date"), validators=[Optional()])
    level = SelectField(_l("Issuing level"), choices=_level_choices, validate_choice=False)


class RevokeForm(BaseForm):
    reason = TextAreaField(_l("Reason for revoking"), validators=[Optional()], render_kw={"rows": 2})
    revoked_on = DateField(_l("Revocation date (empty: today)"), validators=[Optional()])
