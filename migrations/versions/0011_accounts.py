"""Accounts hardening: wrong-password lockout, sessions the server can end, API tokens that expire.

- user_account.failed_logins and locked_until: wrong passwords in a row, and the end of a lockout;
- user_account.session_generation: part of every session cookie; signing out moves it on;
- api_token.expires_at: every token now expires. Tokens that exist before this upgrade are given 90 days from
  the upgrade (the default lifetime of a new token), so no client stops at once; revoked ones keep their
  revocation. Session cookies issued before the upgrade carry no generation and sign nobody in: every user
  signs in once more.

Revision ID: 0011_accounts
Revises: 0009_audit
Create Date: 2026-11-23 14:10:00.728140

"""
import datetime as dt

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011_accounts'
down_revision = '0009_audit'
branch_labels = None
depends_on = None

EXISTING_TOKEN_DAYS = 90


def upgrade():
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.add_column(sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True))
    api_token = sa.table('api_token', sa.column('expires_at', sa.DateTime(timezone=True)))
    expires = dt.datetime.now(dt.UTC) + dt.timedelta(days=EXISTING_TOKEN_DAYS)
    op.execute(api_token.update().where(api_token.c.expires_at.is_(None)).values(expires_at=expires))
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.alter_column('expires_at', existing_type=sa.DateTime(timezone=True), nullable=False)

    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('failed_logins', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('session_generation', sa.Integer(), server_default='0', nullable=False))


def downgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('session_generation')
        batch_op.drop_column('locked_until')
        batch_op.drop_column('failed_logins')

    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.drop_column('expires_at')
