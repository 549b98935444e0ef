"""Language selection, Vietnamese date formatting and translation of third-party messages."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app, has_request_context, request, session
from flask_babel import (
    format_date,
    format_datetime,
    format_decimal,
    get_locale,
    get_translations,
    gettext,
    lazy_gettext,
)
from flask_babel.speaklater import LazyString
from jinja2 import pass_context
from markupsafe import Markup

_l = lazy_gettext

LANG_COOKIE = "lang"


def select_locale() -> str:
    """?lang= wins, then the language chosen in the UI, then Accept-Language, then Vietnamese."""
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    languages = current_app.config["LANGUAGES"]
    explicit = request.args.get("lang")
    if explicit in languages:
        return explicit
    # Only a request that carries a session cookie can have chosen one: a scan from a camera never opens the session.
    if request.cookies.get(current_app.config["SESSION_COOKIE_NAME"]):
        chosen = session.get(LANG_COOKIE)
        if chosen in languages:
            return chosen
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def nfc(value: str | None) -> str | None:
    """Normalise typed Vietnamese text so that the same words compare equal from any phone."""
    if value is None:
        return None
    return unicodedata.normalize("NFC", value).strip()


VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


_BOUND: ContextVar[tuple[str, Callable[[str], str]] | None] = ContextVar("bound_language", default=None)


@contextmanager
def bound_language(language: str | None = None) -> Iterator[None]:
    """While a page on the hot path renders: its language and catalogue, looked up once. The filters and
    labels below read them from here instead of asking Flask-Babel for the locale at every call."""
    token = _BOUND.set((language or current_language(), get_translations().gettext))
    try:
        yield
    finally:
        _BOUND.reset(token)


def _language() -> str:
    bound = _BOUND.get()
    return bound[0] if bound is not None else str(get_locale())


def text(message: Any) -> str:
    """``str()`` of a message; a lazy one without variables goes through the bound catalogue if there is one."""
    bound = _BOUND.get()
    if bound is not None and isinstance(message, LazyString) and not message._kwargs and len(message._args) == 1:
        return bound[1](message._args[0])
    return str(message)


def fmt_date(value: dt.date | None) -> str:
    if value is None:
        return "—"
    if _language() == "vi":
        return value.strftime("%d/%m/%Y")  # babel's "dd/MM/yyyy", without its pattern machinery
    return format_date(value, "d MMM yyyy")


def fmt_datetime(value: dt.datetime | None) -> str:
    """In Viet Nam's time; a naive value is UTC, as Flask-Babel reads it."""
    if value is None:
        return "—"
    if _language() == "vi":
        aware = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
        return aware.astimezone(VN_TZ).strftime("%H:%M %d/%m/%Y")
    return format_datetime(value, "d MMM yyyy, HH:mm")


def page_gettext() -> dict[str, Any]:
    """``gettext`` for a template on the hot path (the public pages): bound to this request's catalogue once.

    Jinja's ``_()`` resolves ``gettext`` from the render context first, so passing this in the context replaces
    Flask-Babel's per-string lookup of the locale and catalogue (a third of a page's rendering time) with a dict
    lookup. It behaves as Jinja's newstyle gettext: autoescaped, and always %-formatted with its variables.
    """
    bound = _BOUND.get()
    lookup = bound[1] if bound is not None else get_translations().gettext

    @pass_context
    def gettext_now(__context, __string: str, **variables: Any) -> str:
        rv = lookup(__string)
        if __context.eval_ctx.autoescape:
            rv = Markup(rv)  # noqa: S704  (the catalogue is ours; Jinja's own newstyle gettext does the same)
        return rv % variables

    return {"gettext": gettext_now}


THOUSANDTH = Decimal("0.001")
VI_SEPARATORS = str.maketrans(",.", ".,")


def fmt_number(value) -> str:
    """1234.5 -> "1.234,5" in Vietnamese, "1,234.5" in English; at most three decimals, no trailing zeros.

    The same result as babel's "#,##0.###" for these two locales, without its pattern machinery (the public
    page formats a number on every scan)."""
    if value is None:
        return "—"
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
        text = f"{number.quantize(THOUSANDTH, rounding=ROUND_HALF_EVEN):,f}"
    except (InvalidOperation, ValueError):
        return format_decimal(value, format="#,##0.###")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    return text.translate(VI_SEPARATORS) if _language() == "vi" else text


def translate(message: Any) -> str:
    """Render a message in the request's language; plain strings from libraries go through the catalogue."""
    if isinstance(message, str):
        return gettext(message) if message else message
    return str(message)


def translate_tree(messages: Any) -> Any:
    if isinstance(messages, dict):
        return {k: translate_tree(v) for k, v in messages.items()}
    if isinstance(messages, list):
        return [translate_tree(m) for m in messages]
    return translate(messages)


class WTFormsTranslations:
    """WTForms ships no Vietnamese catalogue; route its messages through ours."""

    def gettext(self, string: str) -> str:
        return gettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return gettext(singular if n == 1 else plural, num=n)


def current_language() -> str:
    return str(get_locale() or "vi")


# Messages raised by marshmallow, webargs, flask-smorest and WTForms, listed here so that
# ``pybabel extract`` puts them into the catalogue and translate() can find them.
EXTERNAL_MESSAGES = (
    _l("Missing data for required field."),
    _l("Field may not be null."),
    _l("Invalid value."),
    _l("Unknown field."),
    _l("Invalid input type."),
    _l("Not a valid string."),
    _l("Not a valid integer."),
    _l("Not a valid number."),
    _l("Not a valid date."),
    _l("Not a valid datetime."),
    _l("Not a valid boolean."),
    _l("Not a valid email address."),
    _l("Special numeric values (nan or infinity) are not permitted."),
    _l("Invalid JSON body."),
    _l("This field is required."),
    _l("Not a valid date value."),
    _l("Not a valid decimal value."),
    _l("Not a valid integer value."),
    _l("Not a valid choice."),
    _l("Invalid email address."),
    _l("The CSRF token is missing."),
    _l("The CSRF token is invalid."),
    _l("The CSRF token has expired."),
    _l("The CSRF tokens do not match."),
)


# Vietnamese alphabetical order: a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y.
# Letter and vowel shape are primary; the five tones only break ties (secondary), as in a dictionary.
_VI_LETTERS = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
_VI_RANK = {ch: i for i, ch in enumerate(_VI_LETTERS)}
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}  # huyền hỏi ngã sắc nặng


def vi_sort_key(text: str) -> tuple:
    """Sort key that puts Cà Mau before Cao Bằng and Đ after D."""
    primary: list[tuple[int, int]] = []
    tones: list[int] = []
    for ch in unicodedata.normalize("NFC", text or "").lower():
        base = unicodedata.normalize("NFD", ch)
        tone = next((_TONES[m] for m in base if m in _TONES), 0)
        shaped = unicodedata.normalize("NFC", "".join(m for m in base if m not in _TONES))
        if shaped in _VI_RANK:
            primary.append((1, _VI_RANK[shaped]))
        elif shaped.isspace():
            primary.append((0, 0))
        else:
            primary.append((2, ord(shaped[0]) if shaped else 0))
        tones.append(tone)
    return (tuple(primary), tuple(tones))


def fold(text: str) -> str:
    """Lower case without diacritics, đ as d: what a person types when searching on a phone without a Vietnamese keyboard."""
    decomposed = unicodedata.normalize("NFD", (text or "").lower().replace("đ", "d"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).strip()
