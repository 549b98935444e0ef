"""Cell values as a spreadsheet gives them (text, numbers, dates) turned into what the services store.

Each function returns the value or raises registry.core.validators.FieldError with a translated message. A
Vietnamese decimal comma ("12,5") is accepted where a column holds a decimal; a number written with
thousands separators ("1.234,5" or "1,234.5") is refused everywhere, and a comma in a whole-number or code
column is refused, never read as something else.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from registry.core import validators as v
from registry.core.fields import decimal_value
from registry.core.i18n import _l
from registry.units.services import normalise_commune_code


def text(value: Any) -> str:
    """A cell as text: numbers Excel stored as numbers come back without a trailing .0."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value).strip()


def optional(value: Any) -> str | None:
    return text(value) or None


def decimal_cell(value: Any, message: Any, *, max_digits: int, places: int, comma: bool = True) -> Decimal:
    """A positive decimal. ``comma``: the column accepts a decimal comma (12,5 = 12.5)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raw = repr(value) if isinstance(value, float) else str(value)
    else:
        raw = text(value).replace(" ", "").replace("\u00a0", "")
        if "," in raw and "." in raw:
            raise v.FieldError(_l("Write the number without thousands separators, e.g. 1234,5."))
        if "," in raw and not comma:
            raise v.FieldError(_l("This column takes a whole number or a decimal point, not a comma."))
        if raw.count(",") > 1:
            raise v.FieldError(_l("Write the number without thousands separators, e.g. 1234,5."))
    return decimal_value(raw, message, max_digits=max_digits, places=places)


def optional_decimal_cell(value: Any, message: Any, **kw: Any) -> Decimal | None:
    return None if text(value) == "" else decimal_cell(value, message, **kw)


def date_cell(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    raw = text(value)
    if not raw:
        raise v.FieldError(_l("Enter the date."))
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        pass
    match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", raw)  # Vietnamese order: day/month/year
    if match:
        try:
            return dt.date(int(match[3]), int(match[2]), int(match[1]))
        except ValueError:
            pass
    raise v.FieldError(_l("Enter a date as YYYY-MM-DD (or DD/MM/YYYY)."))


def commune_code(value: Any) -> str | None:
    """A commune code as written: digits only (a leading zero Excel dropped is put back)."""
    raw = text(value)
    if not raw:
        return None
    code = normalise_commune_code(raw)
    if code is None:
        raise v.FieldError(_l("A commune code is 1 to 5 digits, e.g. 07999."))
    return code


def tax_code(value: Any) -> str:
    raw = text(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raw = raw.zfill(10)  # Excel drops the leading zero of a tax code stored as a number
    return v.tax_code(raw)


def code_key(value: Any) -> str:
    return v.area_code_as_issued(text(value))
