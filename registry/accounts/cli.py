"""flask --app wsgi users create | tokens create | tokens list | tokens revoke"""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from registry.accounts import services
from registry.core.cli import fail
from registry.core.db import utcnow
from registry.core.errors import DomainError
from registry.core.extensions import db

users_cli = click.Group("users", help="User accounts.")
tokens_cli = click.Group("tokens", help="API tokens.")


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--password", required=True, help="At least 8 characters.")
@click.option("--role", required=True, type=click.Choice(["member", "auditor", "admin"]))
@click.option("--org", "organization_id", type=int, help="Organization id; required for members.")
@with_appcontext
def users_create(email: str, password: str, role: str, organization_id: int | None) -> None:
    """Create a user account."""
    try:
        user = services.create_user(
            db.session, email=email, password=password, role=role, organization_id=organization_id
        )
    except DomainError as exc:
        fail(exc)
    db.session.commit()
    click.echo(f"Created user {user.id} <{user.email}> ({user.role.value}).")


@tokens_cli.command("create")
@click.option("--email", required=True)
@click.option("--label", default=None, help="What the token is for, shown on the user's token page.")
@click.option("--days", type=int, default=None, help="How many days the token lives (API_TOKEN_DAYS if not given).")
@with_appcontext
def tokens_create(email: str, label: str | None, days: int | None) -> None:
    """Create an API token; it is printed once, as the last line."""
    try:
        token = services.create_token(
            db.session,
            email=email,
            label=label,
            days=days,
            default_days=current_app.config["API_TOKEN_DAYS"],
            max_days=current_app.config["API_TOKEN_MAX_DAYS"],
        )
    except DomainError as exc:
        fail(exc)
    db.session.commit()
    click.echo(f"API token for {email} (shown once; send it as 'Authorization: Bearer <token>'):")
    click.echo(token)


def _when(value) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else "-"


@tokens_cli.command("list")
@click.option("--email", required=True)
@with_appcontext
def tokens_list(email: str) -> None:
    """List a user's API tokens (never the tokens themselves): id, state, created, last used, expires, label."""
    try:
        rows = services.tokens_of(db.session, email=email)
    except DomainError as exc:
        fail(exc)
    now = utcnow()
    click.echo(f"{'ID':>6}  {'STATE':<8} {'CREATED':<21} {'LAST USED':<21} {'EXPIRES':<21} LABEL")
    for row in rows:
        click.echo(
            f"{row.id:>6}  {services.token_state(row, now):<8} {_when(row.created_at):<21} "
            f"{_when(row.last_used_at):<21} {_when(row.expires_at):<21} {row.label or '-'}"
        )
    if not rows:
        click.echo(f"{email} has no API token.")


@tokens_cli.command("revoke")
@click.argument("token_id", type=int)
@with_appcontext
def tokens_revoke(token_id: int) -> None:
    """Revoke an API token by its id (see tokens list); it is refused from the next request on."""
    try:
        row = services.revoke_any_token(db.session, token_id=token_id)
    except DomainError as exc:
        fail(exc)
    db.session.commit()
    click.echo(f"Token {row.id} of {row.user.email} is revoked ({_when(row.revoked_at)}).")
