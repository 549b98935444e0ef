"""Templates on the hot path, compiled once per language.

The public pages a label opens are rendered by the hundred thousand. Most of their text is a constant message,
``{{ _("Harvest date") }}``: through Jinja's i18n extension each is a function call at every render. Here each
language gets its own overlay of the app's Jinja environment, whose ``ConstantGettext`` extension translates
``_("a literal")`` (no variables) while the template compiles, so the compiled template holds the Vietnamese or
English text itself. Calls with variables (``_("Valid until %(date)s", date=...)``) stay calls. The result is the
same page: the text is escaped as Jinja's newstyle gettext leaves it (a translation is trusted, as Jinja's own
gettext treats it).
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_babel import get_translations
from jinja2 import Environment
from jinja2.ext import Extension
from jinja2.lexer import Token, TokenStream

from registry.core.i18n import bound_language, current_language, page_gettext

GETTEXT_NAMES = {"_", "gettext"}


class ConstantGettext(Extension):
    """Replaces ``_("literal")`` with the environment's translation of it, as a safe string, at compile time."""

    def filter_stream(self, stream: TokenStream):
        translations = getattr(self.environment, "constant_translations", None)
        tokens = list(stream)
        if translations is None:
            yield from tokens
            return
        i = 0
        while i < len(tokens):
            window = tokens[i : i + 4]
            if (
                len(window) == 4
                and window[0].type == "name"
                and window[0].value in GETTEXT_NAMES
                and window[1].type == "lparen"
                and window[2].type == "string"
                and window[3].type == "rparen"
            ):
                text = translations.gettext(window[2].value).replace("%%", "%")
                line = window[0].lineno
                # ("text"|safe): a constant Jinja folds into the compiled output, trusted like gettext's result.
                yield Token(line, "lparen", "(")
                yield Token(line, "string", text)
                yield Token(line, "pipe", "|")
                yield Token(line, "name", "safe")
                yield Token(line, "rparen", ")")
                i += 4
                continue
            yield tokens[i]
            i += 1


def _environment(app: Flask, language: str) -> Environment:
    environments = app.extensions.setdefault("constant_gettext_environments", {})
    env = environments.get(language)
    if env is None:
        env = app.jinja_env.overlay(extensions=[ConstantGettext])
        env.constant_translations = get_translations()  # the request's language is this one
        environments[language] = env
    return env


def render_fast(app: Flask, name: str, language: str | None = None, **context: Any) -> str:
    """Render a public template in the request's language, without Flask's context processors (the page needs
    none of them: no user, no session, no CSRF token)."""
    language = language or current_language()
    template = _environment(app, language).get_template(name)
    with bound_language(language):
        return template.render(
            current_language=language, languages=app.config["LANGUAGES"], **page_gettext(), **context
        )
