from __future__ import annotations

from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Optional

from registry.core.forms import BaseForm, choices
from registry.core.i18n import _l


def _unit_choices():
    return choices([("KGM", _l("kg")), ("TNE", _l("tonnes")), ("H87", _l("pieces"))])


class LotForm(BaseForm):
    product_id = SelectField(_l("Product"), coerce=int, validate_choice=False)
    growing_area_id = SelectField(_l("Growing area"), coerce=int, validate_choice=False)
    packing_house_id = SelectField(_l("Packing house (optional)"), validate_choice=False)
    code = StringField(_l("Lot code"), validators=[InputRequired()])
    harvest_date = DateField(_l("Harvest date"), validators=[InputRequired()])
    # Text, so that "1,5" typed on a Vietnamese keyboard reaches the service, which reads it as 1.5.
    quantity = StringField(_l("Quantity"), validators=[InputRequired()], render_kw={"inputmode": "decimal"})
    unit = SelectField(_l("Unit"), choices=_unit_choices)


class LotEditForm(BaseForm):
    """What may be corrected on a recorded lot; the code and product are on the label."""

    harvest_date = DateField(_l("Harvest date"), validators=[InputRequired()])
    quantity = StringField(_l("Quantity"), validators=[InputRequired()], render_kw={"inputmode": "decimal"})
    unit = SelectField(_l("Unit"), choices=_unit_choices)
    packing_house_id = SelectField(_l("Packing house (optional)"), validate_choice=False)


class VoidForm(BaseForm):
    reason = TextAreaField(_l("Reason for voiding (shown on the public page)"), validators=[Optional()])
    confirm = BooleanField(
        _l("I confirm: this lot must no longer be presented as valid"),
        validators=[InputRequired(message=_l("Tick the confirmation to void the lot."))],
    )
