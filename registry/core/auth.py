"""Who is asking and what they may touch.

Pages use Flask-Login sessions, the JSON API uses Bearer tokens. The shell knows roles and the rules of
scope; the `accounts` domain supplies the loaders (wired in create_app), so no domain depends on accounts.
"""

from __future__ import annotations

import enum
import hashlib
from collections.abc import Callable
from typing import Any, Protocol

import sqlalchemy as sa
from flask import g, request
from flask_limiter.util import get_remote_address
from flask_login import current_user
from sqlalchemy.orm import Session

from registry.core import ratelimit
from registry.core.errors import Forbidden, NotFound, Unauthorized, ValidationError
from registry.core.extensions import db, login_manager
from registry.core.i18n import _l


class Role(enum.StrEnum):
    MEMBER = "member"  # works for one cooperative or enterprise
    AUDITOR = "auditor"  # provincial department
    ADMIN = "admin"


class Actor(Protocol):
    id: int
    role: Role
    organization_id: int | None

    @property
    def is_department(self) -> bool: ...


login_manager.login_view = "accounts.login"
login_manager.login_message = _l("Please sign in to open this page.")
login_manager.login_message_category = "info"

_token_loader: Callable[[Session, str], Any] | None = None


def init_auth(*, user_loader: Callable[[Session, str], Any], token_loader: Callable[[Session, str], Any]) -> None:
    """Called once by create_app with the accounts domain's loaders.

    The user loader gets the session cookie's id as User.get_id wrote it; the token loader returns the user or
    None, or raises Unauthorized saying why (a revoked or expired token).
    """
    global _token_loader
    _token_loader = token_loader

    @login_manager.user_loader
    def load_user(session_id: str):
        return user_loader(db.session, session_id)


def require_api_token() -> None:
    """before_request hook for API blueprints. Cookies are ignored on purpose, so CSRF cannot reach the API.

    Rate-limited twice: every request a token makes (API_TOKEN_RATE_LIMIT), and every refused token one address
    sends (API_REFUSED_TOKEN_RATE_LIMIT), counted only when refused, so colleagues behind the same address with
    valid tokens are not held up by someone guessing.
    """
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    token = token.strip()
    try:
        user = _token_loader(db.session, token) if scheme.lower() == "bearer" and token and _token_loader else None
        if user is None:
            raise Unauthorized(_l("Send a valid API token: Authorization: Bearer <token>."))
    except Unauthorized:
        ratelimit.hit("API_REFUSED_TOKEN_RATE_LIMIT", get_remote_address() or "-")
        raise
    ratelimit.hit("API_TOKEN_RATE_LIMIT", hashlib.sha256(token.encode()).hexdigest())
    g.api_user = user


def api_user() -> Any:
    return g.api_user


def page_user() -> Any:
    return current_user._get_current_object()


# ---------------------------------------------------------------- scope


def scope(stmt: sa.Select, actor: Actor, organization_column: Any) -> sa.Select:
    """Limit a query to what the actor may see: members see their own organization only."""
    if actor.is_department:
        return stmt
    return stmt.where(organization_column == actor.organization_id)


def can_see(actor: Actor, organization_id: int | None) -> bool:
    return actor.is_department or (organization_id is not None and actor.organization_id == organization_id)


def can_write(actor: Actor, organization_id: int | None) -> bool:
    """Members write their own organization's records; the admin writes any; inspectors only read."""
    if actor.role == Role.ADMIN:
        return True
    return actor.role == Role.MEMBER and organization_id is not None and actor.organization_id == organization_id


def get_visible(
    session: Session, model: type, record_id: Any, *, actor: Actor, not_found: Any, owner: str = "organization_id"
) -> Any:
    """A record by id, or NotFound when it does not exist or belongs to another organization.

    Both cases answer the same, so a member cannot probe which ids other cooperatives hold.
    """
    from registry.core.fields import db_int

    row = session.get(model, record_id) if db_int(record_id) is not None else None
    if row is None or not can_see(actor, getattr(row, owner)):
        raise NotFound(not_found)
    return row


def writable_organization_id(actor: Actor, organization_id: int | None) -> int:
    """The organization a new record belongs to: a member's own, or the one an admin names."""
    if actor.role == Role.MEMBER:
        if organization_id not in (None, actor.organization_id):
            raise Forbidden(_l("You can only register records for your own organization."))
        return actor.organization_id
    if actor.role == Role.ADMIN:
        if organization_id is None:
            raise ValidationError({"organization_id": _l("Choose the organization.")})
        return organization_id
    raise Forbidden(_l("Department inspectors check records; cooperatives and enterprises register them."))


def require_writer(actor: Actor, organization_id: int | None) -> None:
    if not can_write(actor, organization_id):
        raise Forbidden(_l("Department inspectors check records; cooperatives and enterprises register them."))


def require_department(actor: Actor) -> None:
    if not actor.is_department:
        raise Forbidden(_l("Only the provincial department can do this."))


def require_admin(actor: Actor) -> None:
    if actor.role != Role.ADMIN:
        raise Forbidden(_l("Only an administrator can do this."))


def require_registrar(actor: Actor) -> None:
    """Pages that register records refuse inspectors up front, rather than showing a form refused on submit."""
    if actor.role not in (Role.MEMBER, Role.ADMIN):
        raise Forbidden(_l("Department inspectors check records; cooperatives and enterprises register them."))
