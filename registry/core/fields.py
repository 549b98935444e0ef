"""Field collection and the number rules every service shares."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from registry.core.errors import ValidationError
from registry.core.i18n import _l, fmt_number
from registry.core.validators import FieldError

# A decimal as text (after a decimal comma becomes a point): what `decimal_value` reads and `decimal_doc` documents.
DECIMAL_TEXT = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]{1,4})?")

# Primary and foreign keys are INTEGER: PostgreSQL refuses anything past 2**31 - 1 with a 500.
DB_INT_MAX = 2**31 - 1


class Fields:
    """Collects every field error of one request, so the person sees them all at once."""

    def __init__(self) -> None:
        self.errors: dict[str, list[Any]] = {}

    def check(self, name: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except FieldError as exc:
            self.add(name, exc.message)
            return None

    def add(self, name: str, message: Any) -> None:
        self.errors.setdefault(name, []).append(message)

    def has(self, name: str) -> bool:
        return name in self.errors

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


def choice(value: Any, enum_cls: type, message: Any) -> Any:
    try:
        return enum_cls(value)
    except ValueError:
        raise FieldError(message) from None


def db_int(value: Any) -> int | None:
    """An id as the database can hold it, or None (so that lookups answer 'not found', not 500)."""
    if isinstance(value, bool) or not isinstance(value, int):
        try:
            value = int(str(value))
        except (TypeError, ValueError):
            return None
    return value if 0 < value <= DB_INT_MAX else None


def reference(value: Any, message: Any) -> int:
    """A foreign key given in a body: a whole number the database can hold."""
    number = db_int(value)
    if number is None:
        raise FieldError(message)
    return number


def decimal_value(
    value: Any, message: Any, *, max_digits: int, places: int, minimum: Decimal | None = None, positive: bool = True
) -> Decimal:
    """A decimal that fits NUMERIC(max_digits, places) exactly: never rounded away, never infinite."""
    text = "" if value is None or isinstance(value, bool) else str(value).strip().replace(",", ".")
    try:
        # Only the digits the OpenAPI documents (DECIMAL_TEXT): Decimal alone would also read "1_000" or "١".
        number = Decimal(text) if DECIMAL_TEXT.fullmatch(text) else None
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or (positive and number <= 0) or (not positive and number < 0):
        raise FieldError(message)
    if minimum is not None and number < minimum:
        raise FieldError(message)
    exponent = number.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > places:
        raise FieldError(_l("Use at most %(n)s decimal places.", n=places))
    if number >= Decimal(10) ** (max_digits - places):
        raise FieldError(
            _l(
                "This number is too large; the largest accepted is %(max)s.",
                max=fmt_number(10 ** (max_digits - places) - 1),
            )
        )
    return number


def positive_decimal(value: Any, message: Any, *, max_digits: int = 12, places: int = 4) -> Decimal:
    return decimal_value(value, message, max_digits=max_digits, places=places)


def optional_decimal(value: Any, message: Any, *, max_digits: int = 12, places: int = 4) -> Decimal | None:
    if value in (None, ""):
        return None
    return decimal_value(value, message, max_digits=max_digits, places=places, positive=False)


class Filters(Fields):
    """A list's filters: the WHERE clauses they make, and every unknown value named in one 422."""

    def __init__(self) -> None:
        super().__init__()
        self.clauses: list[Any] = []
        self._wrong: list[str] = []

    def refuse(self, name: str, value: Any, message: Any) -> None:
        self.add(name, message)
        self._wrong.append(f"{name}={value}")

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors, _l("Unknown filter value: %(values)s.", values=", ".join(self._wrong)))


def decimal_doc(
    *,
    max_digits: int,
    places: int,
    positive: bool = True,
    comma: bool = True,
    blank: bool = False,
    description: str = "",
) -> dict[str, Any]:
    """The OpenAPI of a decimal read by `decimal_value`: a JSON number or a string of digits, as it is checked.

    ``comma``: whether a decimal comma is read too (it is by `decimal_value`, not by marshmallow's Decimal);
    ``blank``: whether an empty string means "none", as for an optional decimal.
    """
    limit = 10 ** (max_digits - places)
    low = "greater than 0" if positive else "0 or more"
    rule = (
        f"A number {low} and below {limit:,}, with at most {places} decimal places, as a JSON number or a string"
        + (" (a decimal comma is accepted)" if comma else "")
        + ("; an empty string means none." if blank else ".")
    )
    sep = "[.,]" if comma else "[.]"
    text = rf"\s*[+-]?([0-9]+({sep}[0-9]*)?|{sep}[0-9]+)([eE][+-]?[0-9]{{1,4}})?\s*"
    return {
        "description": f"{description} {rule}".strip(),
        "oneOf": [
            {"type": "number", "minimum": 0, "exclusiveMinimum": positive, "maximum": limit, "exclusiveMaximum": True},
            {"type": "string", "pattern": f"^({text})$" if not blank else f"^({text}|)$"},
        ],
    }
