"""flask ocop expiring: one line per certificate to notify, for the cron job that mails holders."""

from __future__ import annotations

import datetime as dt

from registry.core.db import today_in_vietnam
from registry.ocop import services


def certify(db, world, product, decided_on):
    services.evaluate(
        db.session,
        actor=world.auditor,
        product_id=product.id,
        score_a=30,
        score_b=20,
        score_c=25,
        evaluated_on=decided_on - dt.timedelta(days=5),
        subgroup="1g",
    )
    row = services.certify(
        db.session,
        actor=world.auditor,
        product_id=product.id,
        decision_number=f"{product.id}/QĐ-UBND",
        decided_on=decided_on,
        level="province",
    )
    db.session.commit()
    return row


def test_expiring_prints_one_line_per_certificate(db, runner, world):
    base = services.add_months(today_in_vietnam(), -36)
    soon = certify(db, world, world.product_a, base + dt.timedelta(days=45))
    later = certify(db, world, world.product_b, base + dt.timedelta(days=200))
    result = runner.invoke(args=["ocop", "expiring", "--days", "90"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines == [
        "\t".join((soon.expires_on.isoformat(), world.product_a.name, world.org_a.name, soon.decision_number))
    ]
    assert later.decision_number not in result.output
    default = runner.invoke(args=["ocop", "expiring"])
    assert default.exit_code == 0 and default.output == ""
    wide = runner.invoke(args=["ocop", "expiring", "--days", "365"])
    assert len(wide.output.splitlines()) == 2
    bad = runner.invoke(args=["ocop", "expiring", "--days", "-1"])
    assert bad.exit_code != 0
