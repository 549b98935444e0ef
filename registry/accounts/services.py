"""Accounts: users, sign-in and API tokens. Session first, never commit."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from typing import Any

import sqlalchemy as sa
from flask import g, has_app_context
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from registry.accounts.models import ApiToken, User
from registry.accounts.signin import end_sessions
from registry.core import validators as v
from registry.core.auth import Actor, Role, require_admin
from registry.core.config import Config
from registry.core.db import Page, paginate, utcnow
from registry.core.errors import NotFound, Unauthorized
from registry.core.fields import Fields, choice, db_int
from registry.core.i18n import _l, fmt_date
from registry.organizations.services import UNSET, organization_exists

TOKEN_PREFIX = "vtr_"  # noqa: S105  (a prefix that makes leaked tokens easy to spot, not a secret)
MIN_PASSWORD = 8
# last_used_at is written at most once a minute per token, so reading the API costs no write per request.
TOKEN_TOUCH_EVERY = dt.timedelta(minutes=1)
# The configuration's defaults; the pages and the CLI pass the app's own values.
DEFAULT_TOKEN_DAYS = Config.API_TOKEN_DAYS
MAX_TOKEN_DAYS = Config.API_TOKEN_MAX_DAYS


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _organization_rule(f: Fields, session: Session, role: Role | None, organization_id: Any) -> int | None:
    """Members belong to exactly one organization; department accounts to none."""
    if role == Role.MEMBER and organization_id is None:
        f.add("organization_id", _l("A member belongs to one organization."))
    elif role in (Role.AUDITOR, Role.ADMIN) and organization_id is not None:
        f.add("organization_id", _l("Department accounts do not belong to an organization."))
    elif organization_id is not None and not organization_exists(session, organization_id):
        f.add("organization_id", _l("Organization not found."))
    return db_int(organization_id) if organization_id is not None else None


def _blank_to_none(value: Any) -> Any:
    return None if value is None or (isinstance(value, str) and not value.strip()) else value


def create_user(
    session: Session,
    *,
    email: str,
    password: str,
    role: str,
    organization_id: int | None = None,
    full_name: str | None = None,
) -> User:
    f = Fields()
    email = (email or "").strip().lower()
    if not re.fullmatch(r"[^@\s\x00-\x1f]+@[^@\s\x00-\x1f]+\.[^@\s\x00-\x1f]+", email) or len(email) > 254:
        f.add("email", _l("Enter a valid email address."))
    elif session.scalar(sa.select(User.id).where(User.email == email)):
        f.add("email", _l("A user with this email already exists."))
    if len(password or "") < MIN_PASSWORD:
        f.add("password", _l("The password needs at least 8 characters."))
    full_name = f.check("full_name", v.optional_text, full_name, max_length=200)
    role = f.check("role", choice, role, Role, _l("The role is member, auditor or admin."))
    organization_id = _organization_rule(f, session, role, _blank_to_none(organization_id))
    f.raise_if_any()
    user = User(
        email=email,
        full_name=full_name,
        password_hash=generate_password_hash(password),
        role=role,
        organization_id=organization_id,
    )
    session.add(user)
    session.flush()
    return user


# ---------------------------------------------------------------- users, for the admin


def list_users(session: Session, *, actor: Actor, page: int = 1, per_page: int = 25) -> Page[User]:
    require_admin(actor)
    return paginate(session, sa.select(User).order_by(User.email, User.id), page=page, per_page=per_page)


def get_user(session: Session, *, actor: Actor, user_id: Any) -> User:
    require_admin(actor)
    user = session.get(User, user_id) if db_int(user_id) is not None else None
    if user is None:
        raise NotFound(_l("User not found."))
    return user


def add_user(
    session: Session,
    *,
    actor: Actor,
    email: str,
    password: str,
    role: str,
    organization_id: Any = None,
    full_name: str | None = None,
) -> User:
    """The admin opens an account; same rules as `create_user` (the CLI)."""
    require_admin(actor)
    return create_user(
        session, email=email, password=password, role=role, organization_id=organization_id, full_name=full_name
    )


def update_user(
    session: Session,
    *,
    actor: Actor,
    user_id: Any,
    full_name: Any = UNSET,
    role: Any = UNSET,
    organization_id: Any = UNSET,
    active: Any = UNSET,
) -> User:
    """Set a user's name, role and organization, or deactivate / reactivate the account (admin only).

    An admin cannot deactivate themself nor change their own role, so the registry never loses its last admin
    by accident.
    """
    user = get_user(session, actor=actor, user_id=user_id)
    f = Fields()
    values: dict[str, Any] = {}
    if full_name is not UNSET:
        values["full_name"] = f.check("full_name", v.optional_text, full_name, max_length=200)
    new_role = user.role
    if role is not UNSET:
        new_role = f.check("role", choice, role, Role, _l("The role is member, auditor or admin."))
        if user.id == actor.id and new_role not in (None, user.role):
            f.add("role", _l("You cannot change your own role."))
        values["role"] = new_role
    if organization_id is UNSET:
        # Moving someone to the department takes them out of their organization.
        organization_id = None if new_role in (Role.AUDITOR, Role.ADMIN) else user.organization_id
    if not f.has("role"):
        values["organization_id"] = _organization_rule(f, session, new_role, _blank_to_none(organization_id))
    if active is not UNSET:
        if not isinstance(active, bool):
            f.add("active", _l("Choose active or deactivated."))
        elif user.id == actor.id and not active:
            f.add("active", _l("You cannot deactivate your own account."))
        values["is_active_account"] = active
    f.raise_if_any()
    deactivated = values.get("is_active_account") is False and user.is_active_account
    for key, value in values.items():
        setattr(user, key, value)
    session.flush()
    if deactivated:
        end_sessions(session, user)  # signed out everywhere at once, not at their next request only
    return user


# ---------------------------------------------------------------- one's own account


def change_password(
    session: Session, *, user: User, current_password: str, new_password: str, repeat_password: str
) -> None:
    f = Fields()
    if not check_password_hash(user.password_hash, current_password or ""):
        f.add("current_password", _l("The current password is wrong."))
    if len(new_password or "") < MIN_PASSWORD:
        f.add("new_password", _l("The password needs at least 8 characters."))
    elif new_password != repeat_password:
        f.add("repeat_password", _l("The two new passwords are not the same."))
    f.raise_if_any()
    user.password_hash = generate_password_hash(new_password)
    session.flush()
    end_sessions(session, user)  # a session opened with the old password, anywhere, ends; the page signs in anew


def _lifetime(f: Fields, days: Any, default_days: int, max_days: int) -> dt.timedelta:
    if days is None or days == "":
        return dt.timedelta(days=default_days)
    number = db_int(days) if not isinstance(days, bool) else None
    if number is None or not 1 <= number <= max_days:
        f.add("days", _l("A token lives from 1 to %(max)s days.", max=max_days))
        return dt.timedelta(days=default_days)
    return dt.timedelta(days=number)


def _new_token(session: Session, user: User, label: str | None, lifetime: dt.timedelta) -> tuple[ApiToken, str]:
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = utcnow()
    row = ApiToken(
        user_id=user.id, token_hash=_hash_token(token), label=label, created_at=now, expires_at=now + lifetime
    )
    session.add(row)
    session.flush()
    return row, token


def create_token(
    session: Session,
    *,
    email: str,
    label: str | None = None,
    days: Any = None,
    default_days: int = DEFAULT_TOKEN_DAYS,
    max_days: int = MAX_TOKEN_DAYS,
) -> str:
    """A token for any user, by email (the CLI): it lives ``days`` days, ``default_days`` if not given."""
    user = session.scalar(sa.select(User).where(User.email == (email or "").strip().lower()))
    if user is None:
        raise NotFound(_l("No user with email %(email)s.", email=email))
    f = Fields()
    lifetime = _lifetime(f, days, default_days, max_days)
    label = f.check("label", v.optional_text, label, max_length=100)
    f.raise_if_any()
    return _new_token(session, user, label, lifetime)[1]


def issue_token(
    session: Session,
    *,
    user: User,
    label: str,
    days: Any = None,
    default_days: int = DEFAULT_TOKEN_DAYS,
    max_days: int = MAX_TOKEN_DAYS,
) -> tuple[ApiToken, str]:
    """A new API token for the signed-in user; the token itself is returned once and only its hash is kept."""
    f = Fields()
    label = f.check("label", v.required_text, label, max_length=100)
    lifetime = _lifetime(f, days, default_days, max_days)
    f.raise_if_any()
    return _new_token(session, user, label, lifetime)


def list_tokens(session: Session, *, user: User) -> list[ApiToken]:
    stmt = sa.select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.created_at.desc(), ApiToken.id)
    return list(session.scalars(stmt))


def tokens_of(session: Session, *, email: str) -> list[ApiToken]:
    """Every token of the user with this email, newest first (the CLI)."""
    user = session.scalar(sa.select(User).where(User.email == (email or "").strip().lower()))
    if user is None:
        raise NotFound(_l("No user with email %(email)s.", email=email))
    return list_tokens(session, user=user)


def revoke_token(session: Session, *, user: User, token_id: Any) -> ApiToken:
    """Revoke one of one's own tokens; another user's token answers 'not found'."""
    row = session.get(ApiToken, token_id) if db_int(token_id) is not None else None
    if row is None or row.user_id != user.id:
        raise NotFound(_l("Token not found."))
    return _revoke(session, row)


def revoke_any_token(session: Session, *, token_id: Any) -> ApiToken:
    """Revoke any user's token by its id: for whoever runs the CLI on the server."""
    row = session.get(ApiToken, token_id) if db_int(token_id) is not None else None
    if row is None:
        raise NotFound(_l("Token not found."))
    return _revoke(session, row)


def _revoke(session: Session, row: ApiToken) -> ApiToken:
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        session.flush()
    return row


def token_state(row: ApiToken, now: dt.datetime | None = None) -> str:
    """ "revoked", "expired" or "active"."""
    if row.revoked_at is not None:
        return "revoked"
    return "expired" if row.expires_at <= (now or utcnow()) else "active"


def check_token(session: Session, token: str) -> User:
    """The user an API token opens the API for; raises Unauthorized, saying why, for a revoked or expired one."""
    row = session.scalar(sa.select(ApiToken).where(ApiToken.token_hash == _hash_token(token)))
    if row is None or not row.user.is_active:
        raise Unauthorized(_l("Send a valid API token: Authorization: Bearer <token>."))
    state = token_state(row)
    if state == "revoked":
        raise Unauthorized(_l("This API token has been revoked. Create a new one on your account page."))
    if state == "expired":
        raise Unauthorized(
            _l(
                "This API token expired on %(date)s. Create a new one on your account page.",
                date=fmt_date(row.expires_at),
            )
        )
    if has_app_context():
        g.api_token_id = row.id
        if row.last_used_at is None or row.last_used_at < utcnow() - TOKEN_TOUCH_EVERY:
            g.stale_api_token_id = row.id  # written after the response by accounts.views.touch_token
    return row.user


def user_for_token(session: Session, token: str) -> User | None:
    try:
        return check_token(session, token)
    except Unauthorized:
        return None


def touch_token(session: Session, token_id: int) -> None:
    """Record that a token was used; a no-op if another request did so within the last minute."""
    now = utcnow()
    session.execute(
        sa.update(ApiToken)
        .where(
            ApiToken.id == token_id,
            sa.or_(ApiToken.last_used_at.is_(None), ApiToken.last_used_at < now - TOKEN_TOUCH_EVERY),
        )
        .values(last_used_at=now)
    )
