"""The markets a code is valid for: ISO 3166-1 alpha-2 country codes, and EU.

Importing countries approve export growing-area and packing-house codes market by market, so both kinds of
coded subject carry the same list, checked here.
"""

from __future__ import annotations

from typing import Any

from registry.core.i18n import _l
from registry.core.validators import FieldError

EU = "EU"
# Territory codes CLDR lists that ISO 3166-1 does not assign to a country.
_NOT_ISO = {"AC", "CP", "CQ", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN", "XA", "XB", "XK", "ZZ"}
_MARKETS: frozenset[str] | None = None


def market_codes() -> frozenset[str]:
    """ISO 3166-1 alpha-2 country codes (from CLDR, via babel), plus EU."""
    global _MARKETS
    if _MARKETS is None:
        from babel import Locale

        territories = Locale("en").territories
        _MARKETS = frozenset(k for k in territories if len(k) == 2 and k.isalpha() and k not in _NOT_ISO) | {EU}
    return _MARKETS


def parse_markets(value: Any) -> list[str]:
    """A list of codes, or text with codes separated by commas or spaces. Upper-cased, duplicates dropped."""
    if value in (None, ""):
        return []
    if isinstance(value, str):
        items = value.replace(";", ",").replace(",", " ").split()
    elif isinstance(value, list) and all(isinstance(x, str) for x in value):
        items = value
    else:
        raise FieldError(_l("List the markets as ISO 3166 two-letter country codes, e.g. CN, US, JP, or EU."))
    codes: list[str] = []
    for item in items:
        code = item.strip().upper()
        if code and code not in codes:
            codes.append(code)
    unknown = [c for c in codes if c not in market_codes()]
    if unknown:
        raise FieldError(
            _l(
                "Not an ISO 3166 two-letter country code: %(codes)s. Use codes such as CN, US, JP, KR, AU, or EU.",
                codes=", ".join(unknown),
            )
        )
    return codes
