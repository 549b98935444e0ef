"""Signing in and out: wrong-password lockout, equal timing for unknown emails, sessions the server can end.

Session first, never commit: the sign-in page commits the counters whatever the outcome.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from functools import cache

import sqlalchemy as sa
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from registry.accounts.models import User
from registry.core.db import utcnow
from registry.core.errors import DomainError
from registry.core.extensions import limiter
from registry.core.i18n import _l, fmt_datetime


class AccountLocked(DomainError):
    """Too many wrong passwords in a row: no password opens the account before ``until``."""

    status_code = 429

    def __init__(self, until: dt.datetime) -> None:
        self.until = until
        super().__init__(
            _l(
                "Too many wrong passwords: this account is locked until %(time)s. Try again after that time.",
                time=fmt_datetime(until),
            )
        )

    @property
    def retry_after(self) -> int:
        return max(1, int((self.until - utcnow()).total_seconds()) + 1)


@cache
def _dummy_hash() -> str:
    """A hash made by the same method and cost as a real one, checked when no account has the email.

    Without it an unknown email answers in a few milliseconds and a known one after a full hash check, and the
    difference tells which emails have an account.
    """
    return generate_password_hash(secrets.token_urlsafe(16))


def _find(session: Session, email: str | None) -> User | None:
    return session.scalar(sa.select(User).where(User.email == (email or "").strip().lower()))


def authenticate(session: Session, *, email: str, password: str, lock_after: int, lock_minutes: float) -> User | None:
    """The account the email and password open, or None; raises AccountLocked while the account is locked.

    Every wrong password for an account counts, whoever sends it; the ``lock_after``-th in a row locks the
    account for ``lock_minutes`` (in the database, so every worker sees it), and a right password is refused
    as well until then. A successful sign-in sets the count back to zero.
    """
    user = _find(session, email)
    if user is None:
        check_password_hash(_dummy_hash(), password or "")  # as long as a wrong password for a real account
        _count_unknown(email, lock_after, lock_minutes)  # and locked after as many: no answer tells them apart
        return None
    now = utcnow()
    if user.locked_until is not None and user.locked_until > now:
        raise AccountLocked(user.locked_until)
    if not check_password_hash(user.password_hash, password or ""):
        until = _count_failure(session, user, now, lock_after, lock_minutes)
        if until is not None:
            raise AccountLocked(until)  # this very attempt locked it: say so now
        return None
    if not user.is_active:
        return None
    if user.failed_logins or user.locked_until is not None:
        user.failed_logins, user.locked_until = 0, None
        session.flush()
    return user


def _count_failure(
    session: Session, user: User, now: dt.datetime, lock_after: int, lock_minutes: float
) -> dt.datetime | None:
    """Count one wrong password; the end of the lockout when this one locks the account."""
    # One UPDATE adds one, so two workers counting at once both count.
    failures = session.scalar(
        sa.update(User)
        .where(User.id == user.id)
        .values(failed_logins=User.failed_logins + 1)
        .returning(User.failed_logins)
        .execution_options(synchronize_session=False)
    )
    until = None
    if failures is not None and failures >= lock_after:
        until = now + dt.timedelta(minutes=lock_minutes)
        session.execute(
            sa.update(User)
            .where(User.id == user.id)
            .values(failed_logins=0, locked_until=until)
            .execution_options(synchronize_session=False)
        )
    session.expire(user, ["failed_logins", "locked_until"])
    return until


def _count_unknown(email: str | None, lock_after: int, lock_minutes: float) -> None:
    """Wrong passwords for an email without an account lock it as they would lock an account.

    Otherwise the tenth attempt would say "locked" only for emails that have an account. There is no row to
    count on, so the count is kept where the rate limits are (RATELIMIT_STORAGE_URI), keyed by a digest of the
    email: shared by every worker with redis, per process with memory://.
    """
    storage = limiter.storage
    digest = hashlib.sha256((email or "").strip().lower().encode()).hexdigest()
    lock_key, count_key = f"signin-lock/{digest}", f"signin-failures/{digest}"
    seconds = max(1, int(lock_minutes * 60))
    if storage.get(lock_key) > 0:
        raise AccountLocked(dt.datetime.fromtimestamp(storage.get_expiry(lock_key), dt.UTC))
    if storage.incr(count_key, seconds) >= lock_after:
        storage.clear(count_key)
        storage.incr(lock_key, seconds)
        raise AccountLocked(dt.datetime.fromtimestamp(storage.get_expiry(lock_key), dt.UTC))


# ---------------------------------------------------------------- sessions


def user_for_session(session: Session, session_id: str) -> User | None:
    """The user a session cookie names ("<id>.<generation>"), if that generation has not been ended."""
    user_id, _, generation = str(session_id).partition(".")
    try:
        uid, gen = int(user_id), int(generation)
    except ValueError:
        return None
    if not (0 < uid < 2**63 and 0 <= gen < 2**31):
        return None
    user = session.get(User, uid)
    if user is None or not user.is_active or (user.session_generation or 0) != gen:
        return None
    return user


def end_sessions(session: Session, user: User) -> None:
    """Every session cookie issued to the user so far stops working (sign-out, new password, deactivation)."""
    session.execute(
        sa.update(User)
        .where(User.id == user.id)
        .values(session_generation=User.session_generation + 1)
        .execution_options(synchronize_session=False)
    )
    session.expire(user, ["session_generation"])
