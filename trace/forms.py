from __future__ import annotations

from wtforms import DateField, DecimalField, SelectField, StringField
from wtforms.validators import InputRequired

from registry.core.forms import BaseForm, choices
from registry.core.i18n import _l


class LotForm(BaseForm):
    product_id = SelectField(_l("Product"), coerce=int, validate_choice=False)
    growing_area_id = SelectField(_l("Growing area"), coerce=int, validate_choice=False)
    code = StringField(_l("Lot code"), validators=[InputRequired()])
    harvest_date = DateField(_l("Harvest date"), validators=[InputRequired()])
    quantity = DecimalField(_l("Quantity"), validators=[InputRequired()])
    unit = SelectField(
        _l("Unit"), choices=lambda: choices([("KGM", _l("kg")), ("TNE", _l("tonnes")), ("H87", _l("pieces"))])
    )
