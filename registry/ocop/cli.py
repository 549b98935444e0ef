"""flask --app wsgi ocop expiring --days 30: one line per certificate to notify, for a cron job that mails holders."""

from __future__ import annotations

from dataclasses import dataclass

import click
from flask.cli import with_appcontext

from registry.core.auth import Role
from registry.core.extensions import db
from registry.ocop import services

ocop_cli = click.Group("ocop", help="OCOP certificates.")


@dataclass(frozen=True)
class _System:
    """The command runs for the department: it sees every organization's certificates."""

    id: int | None = None
    role: Role = Role.AUDITOR
    organization_id: int | None = None
    is_department: bool = True


@ocop_cli.command("expiring")
@click.option(
    "--days", default=services.NOTICE_DAYS, show_default=True, type=click.IntRange(0, services.MAX_WINDOW_DAYS)
)
@with_appcontext
def expiring(days: int) -> None:
    """Valid certificates expiring within DAYS: expiry date, product, organization, decision number (tab-separated)."""
    for row in services.expiring(db.session, actor=_System(), within_days=days):
        fields = (row.expires_on.isoformat(), row.product.name, row.product.organization.name, row.decision_number)
        click.echo("\t".join(fields))
