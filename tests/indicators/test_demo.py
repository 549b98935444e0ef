"""`make run`'s demo: the key products and districts it sets up, and the figures the dashboard then shows."""

from __future__ import annotations

import datetime as dt

from indicators import services
from indicators.key_crops import key_crops


def test_the_demo_sets_up_the_dashboard_and_a_second_run_changes_nothing(runner, db, monkeypatch, world):
    monkeypatch.setenv("DEMO_PASSWORD", "demo-password-1")
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    for _ in range(2):
        result = runner.invoke(args=["indicators", "demo"])
        assert result.exit_code == 0, result.output
    assert key_crops(db.session, "25") == ["banana", "pomelo", "tea"]
    assert "3 legacy districts loaded" in result.output
    year = str(dt.date.today().year)
    phu_tho = services.report(db.session, actor=world.auditor, province="25", period=year, trend=False)
    kt2d = phu_tho.figure("KT-2D")
    assert kt2d.unavailable is None and kt2d.denominator == 3
    assert phu_tho.figure("AREA-CODED").numerator >= 3
    dong_thap = services.report(db.session, actor=world.auditor, province="82", period=year, trend=False)
    assert dong_thap.figure("KT-2D").unavailable is not None  # no districts loaded for Đồng Tháp
    kt3 = dong_thap.figure("KT-3")
    assert kt3.denominator == 1  # the mango model, tied to the coded export area
