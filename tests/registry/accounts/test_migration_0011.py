"""0011_accounts on a registry that already has accounts and tokens."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from registry.core.app import create_app
from registry.core.config import TestConfig
from registry.core.extensions import db
from tests.registry.core.test_migrations import empty_database_url  # noqa: F401  (a fixture)


def test_existing_tokens_get_ninety_days_and_accounts_start_unlocked(empty_database_url):  # noqa: F811
    app = create_app(TestConfig(empty_database_url))
    with app.app_context():
        upgrade(revision="0008_indicators")
        with db.engine.begin() as conn:
            conn.execute(
                sa.text(
                    "INSERT INTO user_account (id, email, password_hash, role, is_active_account, created_at) "
                    "VALUES (1, 'a@x.example', 'h', 'admin', true, '2025-01-01 00:00:00+00')"
                )
            )
            conn.execute(
                sa.text(
                    "INSERT INTO api_token (id, user_id, label, token_hash, created_at, revoked_at) VALUES "
                    "(1, 1, 'old', 'aa', '2024-01-01 00:00:00+00', NULL), "
                    "(2, 1, 'gone', 'bb', '2024-01-01 00:00:00+00', '2024-06-01 00:00:00+00')"
                )
            )
        upgrade()
        from registry.accounts.models import ApiToken, User

        expected = dt.datetime.now(dt.UTC) + dt.timedelta(days=90)
        tokens = db.session.scalars(sa.select(ApiToken).order_by(ApiToken.id)).all()
        assert all(abs((t.expires_at - expected).total_seconds()) < 600 for t in tokens)
        assert tokens[1].revoked_at is not None  # a revoked token stays revoked
        user = db.session.get(User, 1)
        assert (user.failed_logins, user.locked_until, user.session_generation) == (0, None, 0)
        db.session.rollback()
        downgrade(revision="0008_indicators")
        with db.engine.connect() as conn:
            columns = {c["name"] for c in sa.inspect(conn).get_columns("api_token")}
            assert "expires_at" not in columns and conn.execute(sa.text("SELECT COUNT(*) FROM api_token")).scalar() == 2
        db.session.remove()
        db.engine.dispose()
