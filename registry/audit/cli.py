"""flask --app wsgi audit verify | baseline"""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from registry.audit import services, verify
from registry.core.extensions import db
from registry.core.i18n import _l, translate

audit_cli = click.Group("audit", help="The audit trail: check its chain and the records against it.")


@audit_cli.command("verify")
@with_appcontext
def audit_verify() -> None:
    """Check every entry of the chain, then every audited record against the state the trail gives it."""
    found = 0
    with db.engine.connect() as connection, db.engine.connect() as reader:
        total = verify.total_rows(connection, db.metadata)
        with click.progressbar(length=total, label=str(_l("Checking the audit trail")), file=sys.stderr) as bar:
            for finding in _all(connection, reader, bar.update):
                found += 1
                click.echo(translate(finding.message))
    if found:
        click.echo(str(_l("%(count)s problems found.", count=found)), err=True)
        raise SystemExit(1)
    click.echo(str(_l("The audit trail is intact: every entry is chained and every record matches it.")))


def _all(connection, reader, progress):
    yield from verify.verify_chain(connection, progress)
    yield from verify.verify_records(connection, reader, db.metadata, progress)


@audit_cli.command("baseline")
@with_appcontext
def audit_baseline() -> None:
    """Write a baseline entry for every record that has none (records from before the trail existed)."""
    with db.engine.connect() as connection:
        total = verify.total_rows(connection, db.metadata)
    with click.progressbar(length=total, label=str(_l("Recording the baseline")), file=sys.stderr) as bar:
        written = services.baseline(db.session, db.metadata, bar.update)
    click.echo(str(_l("%(count)s records received a baseline entry.", count=written)))
