"""What every CLI command shares: a domain error becomes a readable message and nothing is saved."""

from __future__ import annotations

import click

from registry.core.errors import DomainError
from registry.core.extensions import db
from registry.core.i18n import translate_tree


def fail(exc: DomainError) -> None:
    db.session.rollback()
    lines = [str(exc.message)] + [
        f"  {field}: {'; '.join(map(str, msgs))}" for field, msgs in translate_tree(exc.errors).items()
    ]
    raise click.ClickException("\n".join(lines))
