"""flask --app wsgi demo load"""

from __future__ import annotations

import os
import secrets

import click
from flask import current_app
from flask.cli import with_appcontext

from qr.demo import demo_lots, load_demo
from qr.demo_catalogue import summary_lines
from registry.core.cli import fail
from registry.core.errors import DomainError
from registry.core.extensions import db
from trace.lots.identifiers import label_uri

demo_cli = click.Group("demo", help="Demo data.")


def demo_password() -> str:
    """DEMO_PASSWORD, or one generated on first load into instance/ so that every run prints the same one."""
    if os.environ.get("DEMO_PASSWORD"):
        return os.environ["DEMO_PASSWORD"]
    path = os.path.join(current_app.instance_path, "demo_password")
    if not os.path.exists(path):
        os.makedirs(current_app.instance_path, exist_ok=True)
        with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as fh:
            fh.write(secrets.token_urlsafe(9))
    with open(path) as fh:
        return fh.read().strip()


@demo_cli.command("load")
@with_appcontext
def demo_load() -> None:
    """Load demo cooperatives, growing areas, products and lots (safe to run again)."""
    password = demo_password()
    try:
        accounts = load_demo(db.session, password=password)
    except DomainError as exc:
        fail(exc)
    except RuntimeError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    base = current_app.config["PUBLIC_BASE_URL"]
    click.echo(f"Demo accounts (password for all: {password}):")
    for account in accounts:
        suffix = f" — {account.organization}" if account.organization else ""
        click.echo(f"  {account.email:<24} {account.role}{suffix}")
    click.echo("Demo lots and the links their QR labels open:")
    for lot in demo_lots(db.session):
        click.echo(f"  {lot.code:<14} {label_uri(lot, base)}")
    click.echo("Demo OCOP products:")
    for line in summary_lines(db.session):
        click.echo(f"  {line}")
