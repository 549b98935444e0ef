"""flask --app wsgi units load"""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from registry.core.extensions import db
from registry.units import services

units_cli = click.Group("units", help="Administrative units (34 provinces, 3,321 communes after July 2025).")


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
