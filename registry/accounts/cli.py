"""flask --app wsgi users create | tokens create"""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from registry.accounts import services
from registry.core.cli import fail
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
@with_appcontext
def tokens_create(email: str, label: str | None) -> None:
    """Create an API token; it is printed once, as the last line."""
    try:
        token = services.create_token(db.session, email=email, label=label)
    except DomainError as exc:
        fail(exc)
    db.session.commit()
    click.echo(f"API token for {email} (shown once; send it as 'Authorization: Bearer <token>'):")
    click.echo(token)
