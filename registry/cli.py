"""flask --app wsgi units load | users create | tokens create"""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from registry import services
from registry.errors import DomainError
from registry.extensions import db
from registry.i18n import translate_tree


def fail(exc: DomainError) -> None:
    db.session.rollback()
    lines = [str(exc.message)] + [
        f"  {field}: {'; '.join(map(str, msgs))}" for field, msgs in translate_tree(exc.errors).items()
    ]
    raise click.ClickException("\n".join(lines))


units_cli = click.Group("units", help="Administrative units (34 provinces, 3,321 communes after July 2025).")
users_cli = click.Group("users", help="User accounts.")
tokens_cli = click.Group("tokens", help="API tokens.")


@units_cli.command("load")
@with_appcontext
def units_load() -> None:
    """Load or refresh provinces and communes from the vietnam-provinces package."""
    with click.progressbar(length=34, label="Provinces", show_pos=True) as bar:

        def progress(done: int, total: int) -> None:
            bar.length = total
            bar.update(1)

        provinces, communes = services.load_units(db.session, progress=progress)
    db.session.commit()
    click.echo(f"Loaded {provinces} provinces and {communes} communes.")


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
@with_appcontext
def tokens_create(email: str) -> None:
    """Create an API token; it is printed once, as the last line."""
    try:
        token = services.create_token(db.session, email=email)
    except DomainError as exc:
        fail(exc)
    db.session.commit()
    click.echo(f"API token for {email} (shown once; send it as 'Authorization: Bearer <token>'):")
    click.echo(token)
