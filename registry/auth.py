"""Who is asking: Flask-Login sessions for pages, Bearer tokens for the JSON API."""

from __future__ import annotations

from flask import abort, g, request
from flask_login import current_user

from registry.extensions import db, login_manager
from registry.i18n import _l
from registry.models import User
from registry.services import user_for_token

login_manager.login_view = "registry.login"
login_manager.login_message = _l("Please sign in to open this page.")
login_manager.login_message_category = "info"


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    user = db.session.get(User, int(user_id))
    return user if user and user.is_active else None


def require_api_token() -> None:
    """before_request hook for API blueprints. Cookies are ignored on purpose, so CSRF cannot reach the API."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    user = user_for_token(db.session, token.strip()) if scheme.lower() == "bearer" and token.strip() else None
    if user is None:
        abort(401, description=str(_l("Send a valid API token: Authorization: Bearer <token>.")))
    g.api_user = user


def api_user() -> User:
    return g.api_user


def page_user() -> User:
    return current_user._get_current_object()
