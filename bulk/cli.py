"""flask --app wsgi import KIND FILE [--dry-run] [--user EMAIL]

Checks every row with a progress bar, prints every problem by row and column, and exits non-zero when there is
one (nothing is stored then). A real import is one transaction, committed at the very end: a process killed
half-way leaves nothing behind. Without --user the command acts as the department's administrator (whoever
runs it holds the server); with --user it acts as that account, with its rights.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from bulk import service
from bulk.table import FileRefused
from registry.core.auth import Role
from registry.core.errors import DomainError
from registry.core.extensions import db
from registry.core.i18n import text


@dataclass
class CommandLine:
    """The actor of an import run from the command line: the department's administrator, no account."""

    id: None = None
    role: Role = Role.ADMIN
    organization_id: None = None
    is_department: bool = True


def _actor(email: str | None):
    if not email:
        return CommandLine()
    from registry.accounts.models import User

    user = db.session.scalar(sa.select(User).where(sa.func.lower(User.email) == email.strip().lower()))
    if user is None:
        raise click.ClickException(f"No account with the email {email}.")
    return user


@click.command("import")
@click.argument("kind", type=click.Choice(service.KINDS))
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check every row and store nothing.")
@click.option("--user", "email", help="Act as this account (default: the department's administrator).")
@with_appcontext
def import_command(kind: str, file: Path, dry_run: bool, email: str | None) -> None:
    """Import KIND (areas, packing-houses, organizations, lots, geometries) from FILE: all or nothing."""
    data = file.read_bytes()
    actor = _actor(email)
    rows = service.count_rows(data, file.name) if kind != "geometries" else 0
    length = max(1, rows * (1 if dry_run else 2))
    label = "Checking" if dry_run else "Importing"
    try:
        with click.progressbar(length=length, label=label, show_pos=True) as bar:

            def progress(done: int) -> None:
                step = min(done, length) - bar.pos
                if step > 0:
                    bar.update(step)

            result = service.run_import(
                db.session, kind, data, file.name, actor=actor, dry_run=dry_run, progress=progress
            )
            progress(length)
    except (FileRefused, DomainError) as exc:
        db.session.rollback()
        raise click.ClickException(text(exc.message)) from None
    except BaseException:
        db.session.rollback()
        raise
    for error in result["errors"]:
        click.echo(f"row {error['row']}, {error['column']}: {error['message']}")
    if result["errors"]:
        db.session.rollback()
        raise click.ClickException(f"{len(result['errors'])} error(s) in {result['rows']} row(s): nothing was stored.")
    if dry_run:
        db.session.rollback()
        click.echo(f"Dry run: {result['rows']} rows; would create {result['created']}, update {result['updated']}.")
        return
    db.session.commit()
    click.echo(f"Imported {result['rows']} rows: created {result['created']}, updated {result['updated']}.")
