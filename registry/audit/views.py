"""The trail in the app: capture on, a request id on every response, and a record's history on its page.

create_app calls init_app; templates call ``audit_history('growing_area', area.id)``, so no domain imports this
package. The history is shown to the department only; people appear by name and role, never by email.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from flask import Flask, render_template
from flask_login import current_user
from markupsafe import Markup

from registry.audit import chain, services
from registry.core.extensions import db
from registry.core.i18n import fmt_date, fmt_datetime

MAX_SHOWN = 80


def shown(value: Any) -> str:
    """A value from the trail as a person reads it: dates in the page's format, structures as short JSON."""
    if value is None:
        return "—"
    if isinstance(value, str) and 10 <= len(value) <= 32 and value[:4].isdigit() and value[4:5] == "-":
        try:
            if len(value) == 10:
                return fmt_date(dt.date.fromisoformat(value))
            return fmt_datetime(dt.datetime.fromisoformat(value))
        except ValueError:
            pass
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 1] + "…"


def audit_history(record_type: str, record_id: object, related: dict | None = None, limit: int = 50) -> Markup:
    """The record's history (with the records in ``related``, {table: [ids]}) as an HTML block, or nothing for
    anyone outside the department."""
    user = current_user
    if not (user and user.is_authenticated and getattr(user, "is_department", False)):
        return Markup("")
    lines, total = services.history(db.session, record_type, record_id, related, limit=limit)
    html = render_template("audit/_history.html", lines=lines, total=total, limit=limit, main=record_type, shown=shown)
    return Markup(html)  # noqa: S704  (a template rendered with autoescape: every value in it is escaped)


def init_app(app: Flask) -> None:
    chain.install()

    @app.after_request
    def echo_request_id(response):
        response.headers["X-Request-ID"] = chain.request_id()
        return response

    app.add_template_global(audit_history, "audit_history")
