"""Accounts: users, sign-in and API tokens. Session first, never commit."""

from __future__ import annotations

import hashlib
import re
import secrets

import sqlalchemy as sa
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from registry.accounts.models import ApiToken, User
from registry.core.auth import Role
from registry.core.errors import NotFound
from registry.core.fields import Fields, choice, db_int
from registry.core.i18n import _l
from registry.organizations.services import organization_exists

TOKEN_PREFIX = "vtr_"  # noqa: S105  (a prefix that makes leaked tokens easy to spot, not a secret)


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_user(session: Session, *, email: str, password: str, role: str, organization_id: int | None = None) -> User:
    f = Fields()
    email = (email or "").strip().lower()
    if not re.fullmatch(r"[^@\s\x00-\x1f]+@[^@\s\x00-\x1f]+\.[^@\s\x00-\x1f]+", email) or len(email) > 254:
        f.add("email", _l("Enter a valid email address."))
    elif session.scalar(sa.select(User.id).where(User.email == email)):
        f.add("email", _l("A user with this email already exists."))
    if len(password or "") < 8:
        f.add("password", _l("The password needs at least 8 characters."))
    role = f.check("role", choice, role, Role, _l("The role is member, auditor or admin."))
    if role == Role.MEMBER and organization_id is None:
        f.add("organization_id", _l("A member belongs to one organization."))
    elif role in (Role.AUDITOR, Role.ADMIN) and organization_id is not None:
        f.add("organization_id", _l("Department accounts do not belong to an organization."))
    elif organization_id is not None and not organization_exists(session, organization_id):
        f.add("organization_id", _l("Organization not found."))
    f.raise_if_any()
    user = User(email=email, password_hash=generate_password_hash(password), role=role, organization_id=organization_id)
    session.add(user)
    session.flush()
    return user


def authenticate(session: Session, *, email: str, password: str) -> User | None:
    user = session.scalar(sa.select(User).where(User.email == (email or "").strip().lower()))
    if user is None or not user.is_active or not check_password_hash(user.password_hash, password or ""):
        return None
    return user


def create_token(session: Session, *, email: str, label: str | None = None) -> str:
    user = session.scalar(sa.select(User).where(User.email == (email or "").strip().lower()))
    if user is None:
        raise NotFound(_l("No user with email %(email)s.", email=email))
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    session.add(ApiToken(user_id=user.id, token_hash=_hash_token(token), label=label))
    session.flush()
    return token


def user_for_token(session: Session, token: str) -> User | None:
    row = session.scalar(
        sa.select(ApiToken).where(ApiToken.token_hash == _hash_token(token), ApiToken.revoked_at.is_(None))
    )
    if row is None or not row.user.is_active:
        return None
    return row.user


def user_by_id(session: Session, user_id: int) -> User | None:
    user = session.get(User, user_id) if db_int(user_id) is not None else None
    return user if user and user.is_active else None
