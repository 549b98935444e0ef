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


@units_cli.command("load-legacy")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@with_appcontext
def units_load_legacy(file: str) -> None:
    """Load the pre-2025 districts from a CSV (commune_code, district_code, district_name), for reports by district.

    The file replaces the mapping of each province it names; one bad row and nothing is loaded.
    """
    from registry.core.errors import ValidationError
    from registry.units import legacy

    with open(file, "rb") as handle:
        data = handle.read()
    try:
        rows = legacy.read_csv(data)
        with click.progressbar(rows, label="Rows", show_pos=True) as bar:
            result = legacy.load_legacy(db.session, bar)
    except ValidationError as exc:
        db.session.rollback()
        lines = [f"{where}: {'; '.join(str(m) for m in messages)}" for where, messages in exc.errors.items()]
        raise click.ClickException("\n".join([str(exc.message), *lines])) from None
    db.session.commit()
    click.echo(
        f"Loaded {result.districts} legacy districts and {result.links} commune links "
        f"for province(s) {', '.join(sorted(result.provinces))}."
    )
