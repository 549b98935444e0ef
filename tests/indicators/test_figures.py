"""Each indicator's exact numerator and denominator on the built province, and the records that add up to them."""

from __future__ import annotations

import pytest

from indicators import services
from indicators.compute import NUMERATOR, RECORD_SETS
from tests.indicators.conftest import C

EXPECTED = {
    # code: (numerator, denominator, value)
    "KT-1": (2, 6, 33.3),
    "KT-2": (4, 6, 66.7),
    "KT-2D": (1, 3, 33.3),
    "KT-3": (2, 3, 66.7),
    "AREA-CODED": (3, 5, 3),
    "AREA-CODED-HA": (19, 29, 19),
    "KEY-AREA-CODED": (14, 24, 58.3),
    "OCOP-PRODUCTS": (2, None, 2),
    "OCOP-EXPIRING": (1, None, 1),
    "LOTS": (2, None, 2),
    "SCANS": (5, None, 5),
    "SCAN-ALERTS": (1, None, 1),
}


@pytest.fixture
def report(db, province99):
    return services.report(db.session, actor=province99.auditor, province="99", period="2026")


def test_every_indicator_has_its_exact_numerator_and_denominator(report):
    got = {f.code: (f.numerator, f.denominator, f.value) for f in report.figures}
    assert got == EXPECTED
    assert [f.code for f in report.figures][:4] == ["KT-1", "KT-2", "KT-2D", "KT-3"]


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_the_records_add_up_to_the_figure(db, province99, report, code):
    figure = report.figure(code)
    pages = {}
    for which in [s for s in RECORD_SETS if s != "outside"]:
        page = services.records(db.session, actor=province99.auditor, code=code, which=which, province="99",
                                period="2026", per_page=100)  # fmt: skip
        assert page.total == len(page.items)
        pages[which] = page.items
    everything = pages["denominator"]
    assert sum(i["measure"] for i in pages[NUMERATOR]) == figure.numerator
    if figure.denominator is not None:
        assert sum(i["measure"] for i in everything) == figure.denominator
    assert {i["key"] for i in pages[NUMERATOR]} | {i["key"] for i in pages["excluded"]} == {
        i["key"] for i in everything
    }
    assert all(i["counted"] for i in pages[NUMERATOR]) and not any(i["counted"] for i in pages["excluded"])
    assert all(i["reason"] for i in pages["excluded"])


def _reasons(db, province99, code):
    page = services.records(db.session, actor=province99.auditor, code=code, which="excluded", province="99",
                            period="2026")  # fmt: skip
    return {i["key"]: i["reason"] for i in page.items}


def test_the_records_say_why_they_are_not_counted(db, province99):
    assert _reasons(db, province99, "KT-1") == {C[2]: "no_cooperative", C[3]: "no_cooperative",
                                                C[5]: "no_cooperative", C[6]: "no_cooperative"}  # fmt: skip
    assert _reasons(db, province99, "KT-2") == {C[3]: "model_not_key_product", C[6]: "no_model"}
    assert _reasons(db, province99, "KT-2D") == {"902": "no_commune_covered", "903": "no_commune_covered"}
    m4 = str(province99.models["M4"].id)
    assert _reasons(db, province99, "KT-3") == {m4: "not_digital"}
    areas = province99.areas
    assert _reasons(db, province99, "AREA-CODED") == {str(areas["A3"].id): "suspended", str(areas["A5"].id): "pending"}


def test_kt3_lists_the_models_outside_its_denominator_and_why(db, province99):
    page = services.records(db.session, actor=province99.auditor, code="KT-3", which="outside", province="99",
                            period="2026")  # fmt: skip
    # M3 ran (Feb-Aug 2026) but its only area was suspended all year; M5 did not run in 2026.
    assert [(i["label"], i["reason"], i["counted"]) for i in page.items] == [("M3 chè", "not_tied", False)]
    assert page.total == 1 and page.totals.denominator == 3


def test_kt3_names_the_evidence_of_each_model(db, province99):
    page = services.records(db.session, actor=province99.auditor, code="KT-3", province="99", period="2026")
    evidence = {i["label"]: (i["traced"], i["diary"]) for i in page.items}
    assert evidence == {"M1 bưởi": (1, 0), "M2 xoài": (0, 1), "M4 chè": (0, 0)}


def test_breakdowns_and_monthly_trends(report):
    kt1 = report.figure("KT-1")
    trend = dict(kt1.trend)
    assert len(trend) == 12
    # coop3 in C2 was dissolved on 30 June 2026: C2 counts until May.
    assert trend["2026-05"] == 50.0 and trend["2026-06"] == 33.3 and trend["2026-12"] == 33.3
    kt3 = dict(report.figure("KT-3").trend)
    assert kt3["2026-03"] == 50.0  # M1 and M2 tied (M4's area was not active until April); M2 kept its diary
    assert kt3["2026-05"] == 33.3  # M1, M2 and M4 tied; only M1 harvested a lot, nobody kept a diary
    assert dict(report.figure("LOTS").trend)["2026-05"] == 1 and dict(report.figure("LOTS").trend)["2026-09"] == 1
    assert dict(report.figure("SCANS").trend) == {f"2026-{m:02d}": {5: 3, 9: 2}.get(m, 0) for m in range(1, 13)}
    assert report.figure("AREA-CODED").breakdowns["crop"] == [("mango", 1, 1), ("pomelo", 1, 2), ("tea", 1, 2)]
    assert report.figure("OCOP-PRODUCTS").breakdowns["stars"] == [(4, 1, 1), (5, 1, 1)]


def test_a_period_running_today_reads_the_present_status(db, province99, clock):
    import datetime as dt

    clock.set_today(dt.date(2027, 2, 1))
    report = services.report(db.session, actor=province99.auditor, province="99", period="2027", trend=False)
    # A7 became active in January 2027; A1, A2, A4 still are. A3 stays suspended.
    assert report.figure("AREA-CODED").numerator == 4
    assert report.figure("LOTS").numerator == 0


def test_a_date_range_is_a_period_too(db, province99):
    report = services.report(db.session, actor=province99.auditor, province="99", date_from="2026-05-01",
                             date_to="2026-05-31", trend=False)  # fmt: skip
    assert report.figure("LOTS").numerator == 1
    assert report.figure("SCANS").numerator == 3
    assert (report.figure("KT-3").numerator, report.figure("KT-3").denominator) == (1, 3)


def test_without_key_products_kt2_says_why(db, province99):
    from indicators.models import KeyCrop

    db.session.query(KeyCrop).delete()
    db.session.commit()
    report = services.report(db.session, actor=province99.auditor, province="99", period="2026", trend=False)
    kt2 = report.figure("KT-2")
    assert kt2.value is None and kt2.numerator is None and "nông sản chủ lực" in str(kt2.unavailable)
    assert report.figure("KEY-AREA-CODED").unavailable is not None


def test_a_member_sees_its_own_figures_only(db, province99):
    report = services.report(db.session, actor=province99.member, period="2026", trend=False)
    codes = [f.code for f in report.figures]
    assert "KT-1" not in codes and "KT-2" not in codes and codes[0] == "KT-3"
    # coop1 leads M1 (digital) and M4 (not); its areas A1, A4 are active, A5 pending.
    assert (report.figure("KT-3").numerator, report.figure("KT-3").denominator) == (1, 2)
    assert (report.figure("AREA-CODED").numerator, report.figure("AREA-CODED").denominator) == (2, 3)
    assert report.figure("LOTS").numerator == 1 and report.figure("SCANS").numerator == 5


@pytest.mark.parametrize("code", ["KT-1", "KT-2", "KT-3"])
def test_the_one_pass_trend_equals_each_month_computed_alone(db, province99, report, code):
    from indicators.compute import compute
    from indicators.definitions import INDICATORS

    trend = report.figure(code).trend
    assert [m for m, _ in trend] == [f"2026-{i:02d}" for i in range(1, 13)]
    for month, (key, value) in zip(report.period.months(), trend, strict=True):
        alone = compute(db.session, INDICATORS[code], report.scope, month, trend=False)
        assert (key, value) == (month.start.strftime("%Y-%m"), alone.value)
    assert any(v for _, v in trend) and len({v for _, v in trend}) >= 2  # the months differ: the check can fail
