"""The FSMA 204 sortable spreadsheet: one row per Critical Tracking Event, with its Key Data Elements."""

from __future__ import annotations

import csv
import datetime as dt
import io

from openpyxl import load_workbook

from tests.trace.conftest import lot_body
from tests.trace.lots.chain import build_chain
from trace.fsma.spreadsheet import COLUMNS


def read_csv(response) -> list[dict]:
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    text = response.get_data().decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def test_the_chain_row_by_row(db, make_api, world, houses):
    chain = build_chain(make_api, world, houses)
    b = make_api(world.member_b)
    response = b.get(f"/api/v1/lots/{chain.dried['id']}/fsma204.csv")
    assert response.headers["Content-Disposition"] == 'attachment; filename="fsma204-BL-SAY-0001.csv"'
    rows = read_csv(response)
    assert list(rows[0]) == list(COLUMNS)
    gtin_a, gtin_b = world.product_a.gtin, world.product_b.gtin
    by_cte = [(r["Critical Tracking Event"], r["Traceability Lot Code"]) for r in rows]
    assert by_cte == [
        ("Harvesting", f"(01){gtin_a}(10)DH-2511-100"),
        ("Initial Packing", f"(01){gtin_a}(10)DH-2511-100"),
        ("Transformation", f"(01){gtin_a}(10)DH-2511-100A"),
        ("Transformation", f"(01){gtin_a}(10)DH-2511-100B"),
        ("Shipping", f"(01){gtin_a}(10)DH-2511-100A"),
        ("Receiving", f"(01){gtin_a}(10)BL-IN-0001"),
        ("Transformation", f"(01){gtin_b}(10)BL-SAY-0001"),
    ]
    harvest, packing, split_a, _split_b, ship, receive, dried = rows
    assert harvest["Quantity"] == "1200.000" and harvest["Unit of Measure"] == "kg"
    assert harvest["Field / Growing Area"].endswith(f"({world.area_a.code})")
    assert harvest["Harvest Date"] == chain.harvest["harvest_date"]
    assert "Xã Chí Đám, Phú Thọ, Viet Nam" in harvest["Location Description"]
    assert houses.active_a.code in packing["Location Description"]
    assert split_a["Input Traceability Lot Codes"] == f"(01){gtin_a}(10)DH-2511-100 (1100.000 kg)"
    assert houses.active_a.code in split_a["Traceability Lot Code Source"]  # the split parts were coded there
    assert ship["Immediate Subsequent Recipient"].startswith(world.org_b.name)
    assert (ship["Reference Document Type"], ship["Reference Document Number"]) == ("Invoice", "HD-000123")
    assert ship["Quantity"] == "650.000"
    assert receive["Immediate Previous Source"].startswith(world.org_a.name)
    assert receive["Reference Document Number"] == "HD-000123"
    assert dried["Input Traceability Lot Codes"] == f"(01){gtin_a}(10)BL-IN-0001 (600.000 kg)"
    assert dried["Product Description"] == f"{world.product_b.name} (pomelo)"
    assert dt.date.fromisoformat(dried["Date"]) and dried["Time"].endswith("+07:00")


def test_the_workbook_is_sortable(db, make_api, world, houses):
    chain = build_chain(make_api, world, houses)
    response = make_api(world.auditor).get(f"/api/v1/lots/{chain.harvest['id']}/fsma204.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data))["FSMA 204"]
    assert [c.value for c in sheet[1]] == list(COLUMNS)
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref.startswith("A1:P")
    assert sheet.max_row == 1 + 7
    assert isinstance(sheet["H2"].value, dt.datetime) and sheet["A2"].value == "Harvesting"
    assert sheet["E2"].value == 1200


def test_a_product_without_gtin_and_a_name_that_looks_like_a_formula(db, make_api, world):
    a = make_api(world.member_a)
    product = a.post("/api/v1/products", json={"name": '=HYPERLINK("http://x")', "crop": "pomelo"}).json
    lot = a.post("/api/v1/lots", json=lot_body(world, code="-A1", product_id=product["id"])).json
    rows = read_csv(a.get(f"/api/v1/lots/{lot['id']}/fsma204.csv"))
    assert rows[0]["Traceability Lot Code"] == "'-A1"
    assert rows[0]["Product Description"].startswith("'=HYPERLINK")
    assert make_api(world.member_b).get(f"/api/v1/lots/{lot['id']}/fsma204.csv").status_code == 404
