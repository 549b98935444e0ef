import sqlalchemy as sa

from registry.units.models import Commune


def test_units_load_command(runner, db):
    result = runner.invoke(args=["units", "load"])
    assert result.exit_code == 0, result.output
    assert "34 provinces and 3321 communes" in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Commune)) == 3321
