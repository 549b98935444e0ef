"""Format rules for codes and identifiers, shared by every service. Each returns the normalised value or raises."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

from registry.core.i18n import _l, nfc


class FieldError(ValueError):
    def __init__(self, message) -> None:
        super().__init__(str(message))
        self.message = message


# GS1 General Specifications, figure 7.11-1: the 82 characters allowed in AI 10 and AI 21.
CSET82 = re.compile(r"""[!"%&'()*+,\-./0-9:;<=>?A-Z_a-z]{1,20}""")
GTIN_LENGTHS = (8, 12, 13, 14)
AREA_CODE_ISSUED = re.compile(r"[A-Z]{2}[A-Z0-9.\-]{3,40}")
TAX_CODE = re.compile(r"\d{10}(-\d{3})?", re.ASCII)


def gs1_check_digit(payload: str) -> int:
    """GS1 mod-10: weights 3 and 1 alternating from the rightmost payload digit."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(payload)))
    return (10 - total % 10) % 10


def gtin14(value: str) -> str:
    """Accept GTIN-8/12/13/14 as printed under a barcode, return the 14-digit form Digital Link needs."""
    digits = re.sub(r"[\s-]", "", value or "")
    if not (digits.isascii() and digits.isdigit()) or len(digits) not in GTIN_LENGTHS:
        raise FieldError(_l("A GTIN has 8, 12, 13 or 14 digits."))
    digits = digits.zfill(14)
    expected = gs1_check_digit(digits[:-1])
    if int(digits[-1]) != expected:
        raise FieldError(
            _l(
                "The check digit is wrong: the last digit should be %(digit)s. Check the number under the barcode.",
                digit=expected,
            )
        )
    return digits


def lot_code(value: str) -> str:
    code = (value if isinstance(value, str) else "").strip()
    if not code:
        raise FieldError(_l("Enter the lot code."))
    if len(code) > 20:
        raise FieldError(_l("A lot code has at most 20 characters."))
    if not CSET82.fullmatch(code):
        raise FieldError(
            _l(
                "A lot code may use only unaccented letters A–Z and a–z, digits and - . / _ ; no spaces or Vietnamese diacritics."
            )
        )
    return code


def area_code_as_issued(value: str) -> str:
    code = (value if isinstance(value, str) else "").strip().upper()  # a number is not a code either
    if not AREA_CODE_ISSUED.fullmatch(code):
        raise FieldError(
            _l(
                "A growing-area code starts with two letters (e.g. VN) followed by 3–40 letters, digits, dots or dashes, e.g. VN-25-07999-001."
            )
        )
    return code


def tax_code(value: str) -> str:
    code = re.sub(r"\s", "", value or "")
    if not TAX_CODE.fullmatch(code):
        raise FieldError(_l("A tax code has 10 digits, or 10 digits, a dash and 3 digits for a branch."))
    return code


CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _no_control_chars(text: str) -> str:
    if CONTROL_CHARS.search(text):
        raise FieldError(_l("Remove the invisible control characters from this text."))
    return text


def _blank(text: str) -> bool:
    """Nothing a reader can see: spaces, zero-width characters, byte-order marks."""
    return all(ch.isspace() or unicodedata.category(ch) in ("Cf", "Zs", "Zl", "Zp") for ch in text)


def required_text(value: str | None, *, max_length: int) -> str:
    text = _no_control_chars(nfc(value) or "")
    if not text or _blank(text):
        raise FieldError(_l("This field is required."))
    if len(text) > max_length:
        raise FieldError(_l("At most %(n)s characters.", n=max_length))
    return text


def optional_text(value: str | None, *, max_length: int) -> str | None:
    text = _no_control_chars(nfc(value) or "") or None
    if text and _blank(text):
        text = None
    if text and len(text) > max_length:
        raise FieldError(_l("At most %(n)s characters.", n=max_length))
    return text


def date_value(value: Any, *, required: bool) -> dt.date | None:
    """A calendar date sent as YYYY-MM-DD (or already a date); None when empty and not required."""
    if value in (None, ""):
        if required:
            raise FieldError(_l("Enter the date."))
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise FieldError(_l("Enter a date as YYYY-MM-DD.")) from None
