from __future__ import annotations

from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Optional

from registry.core.forms import BaseForm
from registry.core.i18n import _l
from registry.products.crops import crop_choices


class ProductForm(BaseForm):
    name = StringField(_l("Product name"), validators=[InputRequired()])
    organization_id = SelectField(_l("Organization"), coerce=int, validate_choice=False)
    crop = SelectField(_l("Crop"), choices=crop_choices)
    gtin = StringField(_l("GTIN (optional)"), validators=[Optional()])
    description = TextAreaField(_l("Description"), validators=[Optional()])
    brand = StringField(_l("Brand (optional)"), validators=[Optional()])
    shelf_life_days = StringField(_l("Shelf life, in days from harvest (optional)"), validators=[Optional()])


class ProductEditForm(BaseForm):
    """The services validate; the GTIN field is dropped once lots of the product exist."""

    name = StringField(_l("Product name"))
    crop = SelectField(_l("Crop"), choices=crop_choices, validate_choice=False)
    gtin = StringField(_l("GTIN (optional)"))
    description = TextAreaField(_l("Description"))
    brand = StringField(_l("Brand (optional)"))
    shelf_life_days = StringField(_l("Shelf life, in days from harvest (optional)"))


class ProductImageForm(BaseForm):
    image = FileField(_l("Product photo (JPEG, PNG or WebP, at most 5 MB)"), validators=[FileRequired()])
