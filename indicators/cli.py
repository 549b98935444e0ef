"""flask --app wsgi indicators report | key-crops"""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from registry.core.extensions import db

indicators_cli = click.Group("indicators", help="KT-1..3 and the registry's figures: the provincial report.")


class _Department:
    """The command line is the department's own: it reads every organization, as an inspector does."""

    id = 0
    role = "admin"
    organization_id = None
    is_department = True


def _fail(exc) -> click.ClickException:
    lines = [f"{name}: {'; '.join(str(m) for m in messages)}" for name, messages in exc.errors.items()]
    return click.ClickException("\n".join([str(exc.message), *lines]))


@indicators_cli.command("report")
@click.option("--province", required=True, help="Province code, e.g. 25.")
@click.option("--period", default=None, help="A year, e.g. 2026 (this year by default).")
@click.option("--from", "date_from", default=None, help="First day, YYYY-MM-DD (with --to).")
@click.option("--to", "date_to", default=None, help="Last day, YYYY-MM-DD (with --from).")
@click.option("--format", "ext", type=click.Choice(["xlsx", "csv"]), default="xlsx", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False), default=None,
              help="The file to write (indicators-<province>-<period>.<format> by default).")  # fmt: skip
@click.option("--lang", type=click.Choice(["vi", "en"]), default="vi", show_default=True)
@with_appcontext
def report_command(province, period, date_from, date_to, ext, output, lang) -> None:
    """Compute every indicator for a province and a period and write the report, as the API's .xlsx or .csv."""
    from flask_babel import force_locale

    from indicators import report as files
    from indicators import services
    from indicators.compute import compute
    from registry.core.db import utcnow
    from registry.core.errors import DomainError
    from registry.core.fields import Fields

    with force_locale(lang):
        try:
            scope, when = services.checked(db.session, Fields(), _Department(), province=province, period=period,
                                           date_from=date_from, date_to=date_to, organization=None)  # fmt: skip
        except DomainError as exc:
            raise _fail(exc) from None
        services.fast_plans(db.session)
        chosen = services.applicable(scope)
        with click.progressbar(chosen, label="Indicators", show_pos=True, item_show_func=lambda i: i and i.code) as bar:
            figures = [compute(db.session, i, scope, when, trend=False) for i in bar]
        shell = services.Report(scope, when, figures, utcnow(), services.key_crops(db.session, scope.province_code))
        body, _ = files.render(shell, ext)
    path = Path(output or files.filename(shell, ext))
    path.write_bytes(body)
    click.echo(f"Wrote {path} ({len(shell.figures)} indicators, {len(body):,} bytes).")


@indicators_cli.command("key-crops")
@click.option("--province", required=True, help="Province code, e.g. 25.")
@click.argument("crops", nargs=-1)
@with_appcontext
def key_crops_command(province, crops) -> None:
    """Show the province's key products, or replace them with CROPS (crop codes such as tea pomelo banana)."""
    from indicators.key_crops import key_crops, set_key_crops
    from registry.core.errors import DomainError
    from registry.units.services import get_province

    row = get_province(db.session, province)
    if row is None:
        raise click.ClickException(f"There is no province with code {province}.")
    if crops:
        try:
            set_key_crops(db.session, actor=_Department(), province=row.code, crops=list(crops))
        except DomainError as exc:
            db.session.rollback()
            raise _fail(exc) from None
        db.session.commit()
    click.echo(f"Key products of {row.name} ({row.code}): {', '.join(key_crops(db.session, row.code)) or 'none'}.")


# The demo's key products: Phú Thọ's tea, pomelo and banana (its plan's three), Đồng Tháp's mango, rice and lotus.
DEMO_KEY_CROPS = {"25": ["tea", "pomelo", "banana"], "82": ["mango", "rice", "lotus"]}
DEMO_LEGACY = Path(__file__).with_name("demo_legacy_districts.csv")


@indicators_cli.command("demo")
@with_appcontext
def demo_command() -> None:
    """Demo set-up for the dashboard: the key products of Phú Thọ and Đồng Tháp, and the pre-2025 districts of the
    demo's Phú Thọ communes (Đồng Tháp has none loaded, so its KT-2D says so). Safe to run again."""
    from indicators.key_crops import set_key_crops
    from registry.units import legacy

    for province, crops in DEMO_KEY_CROPS.items():
        set_key_crops(db.session, actor=_Department(), province=province, crops=crops)
    loaded = legacy.load_legacy(db.session, legacy.read_csv(DEMO_LEGACY.read_bytes()))
    db.session.commit()
    click.echo(f"Demo key products set for {', '.join(DEMO_KEY_CROPS)}; {loaded.districts} legacy districts loaded.")
