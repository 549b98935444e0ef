"""GET /api/v1/indicators, the records behind a figure, the report files, the key products, and bad input."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from tests.indicators.test_figures import EXPECTED


@pytest.fixture
def api(make_api, province99):
    return make_api(province99.auditor)


def test_the_list_carries_every_indicator_with_its_figures(api):
    response = api.get("/api/v1/indicators?province=99&period=2026")
    assert response.status_code == 200, response.json
    body = {item["code"]: item for item in response.json}
    assert list(body)[:4] == ["KT-1", "KT-2", "KT-2D", "KT-3"]
    for code, (num, den, value) in EXPECTED.items():
        assert (body[code]["numerator"], body[code]["denominator"], body[code]["value"]) == (num, den, value), code
    kt1 = body["KT-1"]
    assert kt1["target"] == 70.0 and kt1["gap"] == 36.7 and kt1["unit"] == "%"
    assert kt1["name"] == "Tỷ lệ xã có hợp tác xã"
    assert "hợp tác xã" in kt1["rule"]
    assert kt1["records_url"] == "/api/v1/indicators/KT-1/records?province=99&period=2026"
    assert "huyện" in body["KT-2"]["note"]
    assert {p["month"]: p["value"] for p in body["SCANS"]["trend"]}["2026-05"] == 3


def test_records_are_paginated_and_their_counts_equal_the_figure(api):
    first = api.get("/api/v1/indicators/KT-1/records?province=99&period=2026&page_size=4").json
    second = api.get("/api/v1/indicators/KT-1/records?province=99&period=2026&page_size=4&page=2").json
    assert (first["numerator"], first["denominator"], first["total"], first["pages"]) == (2, 6, 6, 2)
    keys = [i["key"] for i in first["items"] + second["items"]]
    assert len(keys) == len(set(keys)) == 6
    counted = api.get("/api/v1/indicators/kt-1/records?province=99&period=2026&set=numerator").json
    assert counted["total"] == 2 and all(i["counted"] for i in counted["items"])
    expiring = api.get("/api/v1/indicators/OCOP-EXPIRING/records?province=99&period=2026").json
    assert expiring["items"][0]["expires_on"] == "2027-01-10"


@pytest.mark.parametrize(
    "query, field",
    [
        ("province=98&period=2026", "province"),
        ("province=abc&period=2026", "province"),
        ("province=99&period=20x6", "period"),
        ("province=99&period=1850", "period"),
        ("province=99&from=2026-01-01", "to"),
        ("province=99&from=2026-02-30&to=2026-03-01", "from"),
        ("province=99&from=2026-03-01&to=2026-01-01", "to"),
        ("province=99&period=2026&from=2026-01-01&to=2026-02-01", "period"),
        ("period=2026", "province"),
    ],
)
def test_bad_input_is_422_with_a_field_message(api, query, field):
    response = api.get(f"/api/v1/indicators?{query}")
    assert response.status_code == 422, response.json
    assert field in response.json["errors"], response.json


def test_an_unknown_indicator_or_set_is_422(api):
    response = api.get("/api/v1/indicators/KT-9/records?province=99&period=2026")
    assert response.status_code == 422 and "code" in response.json["errors"]
    response = api.get("/api/v1/indicators/KT-1/records?province=99&period=2026&set=all")
    assert response.status_code == 422 and "set" in response.json["errors"]
    response = api.get("/api/v1/indicators/KT-1/records?province=99&period=2026&set=outside")
    assert response.status_code == 422 and "set" in response.json["errors"]
    assert api.get("/api/v1/indicators/KT-3/records?province=99&period=2026&set=outside").json["total"] == 1


def test_a_member_reads_its_own_figures_and_not_another_organizations(make_api, province99):
    member = make_api(province99.member, "en")
    own = member.get("/api/v1/indicators?period=2026")
    assert own.status_code == 200
    codes = [i["code"] for i in own.json]
    assert "KT-1" not in codes and "KT-3" in codes
    assert member.get(f"/api/v1/indicators?period=2026&organization={province99.orgs['coop4'].id}").status_code == 404
    assert member.get("/api/v1/indicators?province=25&period=2026").status_code == 404
    assert member.get("/api/v1/indicators/KT-1/records?period=2026").status_code == 422
    assert (
        member.get(f"/api/v1/indicators.csv?period=2026&organization={province99.orgs['coop4'].id}").status_code == 404
    )


def test_the_department_can_read_one_organizations_figures(api, province99):
    response = api.get(f"/api/v1/indicators?province=99&period=2026&organization={province99.orgs['coop4'].id}")
    body = {i["code"]: i for i in response.json}
    assert body["LOTS"]["numerator"] == 1  # L4, the merged lot (L3 was harvested in 2025)


def test_the_report_as_xlsx_and_csv(api):
    response = api.get("/api/v1/indicators.xlsx?province=99&period=2026")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename="indicators-99-2026.xlsx"'
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = next(i for i, r in enumerate(rows) if r[0] == "Mã số")
    assert rows[header][:6] == ("Mã số", "Chỉ tiêu", "Mục tiêu (%)", "Giá trị", "Tử số", "Mẫu số")
    table = {r[0]: r for r in rows[header + 1 :]}
    assert table["KT-1"][2:6] == (70, 33.3, 2, 6)
    assert table["KT-3"][3:6] == (66.7, 2, 3)
    assert table["LOTS"][4] == 2 and table["LOTS"][5] is None
    assert "Tỉnh Thử Nghiệm" in str(rows[1])
    text = api.get("/api/v1/indicators.csv?province=99&period=2026").data.decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text)))
    kt2 = next(line for line in lines if line and line[0] == "KT-2")
    assert kt2[3:6] == ["66.7", "4", "6"]


def test_key_products_are_the_departments_to_set(make_api, province99):
    auditor, member = make_api(province99.auditor), make_api(province99.member)
    assert auditor.get("/api/v1/indicators/key-crops?province=99").json == {
        "province": "99",
        "crops": ["pomelo", "tea"],
    }
    assert member.put("/api/v1/indicators/key-crops?province=99", json={"crops": ["tea"]}).status_code == 403
    bad = auditor.put("/api/v1/indicators/key-crops?province=99", json={"crops": ["tea", "opium"]})
    assert bad.status_code == 422 and "crops" in bad.json["errors"]
    ok = auditor.put("/api/v1/indicators/key-crops?province=99", json={"crops": ["tea"]})
    assert ok.json == {"province": "99", "crops": ["tea"]}
    body = {i["code"]: i for i in auditor.get("/api/v1/indicators?province=99&period=2026").json}
    # Only tea now: C4 (M3) and C5 (M4) remain.
    assert (body["KT-2"]["numerator"], body["KT-2"]["denominator"]) == (2, 6)


def test_the_report_command_writes_the_same_file(runner, province99, tmp_path):
    out = tmp_path / "report.xlsx"
    result = runner.invoke(args=["indicators", "report", "--province", "99", "--period", "2026", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "Indicators" in result.output and f"Wrote {out}" in result.output
    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    table = {r[0]: r for r in rows if r and r[0]}
    assert table["KT-2"][4:6] == (4, 6)
    csv_out = tmp_path / "report.csv"
    result = runner.invoke(args=["indicators", "report", "--province", "99", "--period", "2026", "--format", "csv",
                                 "--lang", "en", "-o", str(csv_out)])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Numerator" in csv_out.read_text(encoding="utf-8-sig")
    bad = runner.invoke(args=["indicators", "report", "--province", "98", "--period", "2026"])
    assert bad.exit_code != 0 and "province" in bad.output


def test_key_crops_command(runner, province99):
    result = runner.invoke(args=["indicators", "key-crops", "--province", "99", "tea", "banana"])
    assert result.exit_code == 0 and "banana, tea" in result.output
    result = runner.invoke(args=["indicators", "key-crops", "--province", "99", "opium"])
    assert result.exit_code != 0 and "opium" in result.output
