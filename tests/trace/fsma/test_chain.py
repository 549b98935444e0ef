"""The FSMA 204 sortable spreadsheet of a real chain: harvest, pack, split, ship, receive, dry."""

from __future__ import annotations

import datetime as dt
import re

from registry.core.db import today_in_vietnam
from tests.trace.fsma.helpers import ctes, open_sheet, read_csv, sheet_as_csv
from tests.trace.lots.chain import build_chain

TIME = re.compile(r"^\d\d:\d\d\+07:00$")


def tlc(product, code):
    return f"(01){product.gtin}(10){code}"


def places(world, houses):
    area = world.area_a
    return {
        "area": f"{area.name}, Xã Chí Đám, Phú Thọ, Viet Nam (code {area.code})",
        "house": "Nhà đóng gói Chí Đám, Xã Chí Đám, Phú Thọ, Viet Nam (code VN-25-07999-DG001)",
        "org_a": f"{world.org_a.name}, Xã Chí Đám, Phú Thọ, Viet Nam (tax code {world.org_a.tax_code})",
        "org_b": f"{world.org_b.name}, Xã Bằng Luân, Phú Thọ, Viet Nam (tax code {world.org_b.tax_code})",
    }


def check_received_chain(rows, world, houses, chain):
    """The six rows a lot received by org B has behind it, value by value."""
    p = places(world, houses)
    a, b = world.product_a, world.product_b
    today = today_in_vietnam().isoformat()
    harvest_date = chain.harvest["harvest_date"]
    harvest, packing, split, ship, receive, dried = rows
    blank = {name: "" for name in rows[0]}
    assert harvest == blank | {
        "Critical Tracking Event": "Harvesting", "Traceability Lot Code": tlc(a, "DH-2511-100"),
        "Traceability Lot Code Source": p["area"], "Product Description": f"{a.name} (Pomelo)",
        "Quantity": "1200", "Unit of Measure": "kg", "Location Description": p["area"], "Date": harvest_date,
        "Time": "00:00+07:00", "Harvest Date": harvest_date, "Field/Growing Area": world.area_a.code,
    }  # fmt: skip
    assert packing == blank | {
        "Critical Tracking Event": "Initial Packing", "Traceability Lot Code": tlc(a, "DH-2511-100"),
        "Traceability Lot Code Source": p["area"], "Product Description": f"{a.name} (Pomelo)",
        "Quantity": "1200", "Unit of Measure": "kg", "Location Description": p["house"], "Date": today,
        "Time": packing["Time"], "Harvest Date": harvest_date, "Field/Growing Area": world.area_a.code,
    }  # fmt: skip
    assert split == blank | {
        "Critical Tracking Event": "Transformation", "Traceability Lot Code": tlc(a, "DH-2511-100A"),
        "Traceability Lot Code Source": p["house"], "Product Description": f"{a.name} (Pomelo)",
        "Quantity": "700", "Unit of Measure": "kg", "Location Description": p["house"], "Date": today,
        "Time": split["Time"], "Input Traceability Lot Codes": f"{tlc(a, 'DH-2511-100')} (1100 kg)",
    }  # fmt: skip
    assert ship == blank | {
        "Critical Tracking Event": "Shipping", "Traceability Lot Code": tlc(a, "DH-2511-100A"),
        "Traceability Lot Code Source": p["house"], "Product Description": f"{a.name} (Pomelo)",
        "Quantity": "650", "Unit of Measure": "kg", "Location Description": p["house"], "Date": today,
        "Time": ship["Time"], "Immediate Subsequent Recipient": p["org_b"],
        "Reference Document Type": "Invoice", "Reference Document Number": "HD-000123",
    }  # fmt: skip
    assert receive == blank | {
        "Critical Tracking Event": "Receiving", "Traceability Lot Code": tlc(a, "BL-IN-0001"),
        "Traceability Lot Code Source": p["org_b"], "Product Description": f"{a.name} (Pomelo)",
        "Quantity": "650", "Unit of Measure": "kg", "Location Description": p["org_b"], "Date": today,
        "Time": receive["Time"], "Immediate Previous Source": p["org_a"],
        "Reference Document Type": "Invoice", "Reference Document Number": "HD-000123",
    }  # fmt: skip
    assert dried == blank | {
        "Critical Tracking Event": "Transformation", "Traceability Lot Code": tlc(b, "BL-SAY-0001"),
        "Traceability Lot Code Source": p["org_b"], "Product Description": f"{b.name} (Pomelo)",
        "Quantity": "120", "Unit of Measure": "kg", "Location Description": p["org_b"], "Date": today,
        "Time": dried["Time"], "Input Traceability Lot Codes": f"{tlc(a, 'BL-IN-0001')} (600 kg)",
    }  # fmt: skip
    times = [r["Time"] for r in rows]
    assert all(TIME.match(t) for t in times) and times[1:] == sorted(times[1:])


def test_the_received_lot_has_its_whole_chain(db, make_api, world, houses):
    chain = build_chain(make_api, world, houses)
    response = make_api(world.member_b).get(f"/api/v1/lots/{chain.received['id']}/fsma204.csv")
    assert response.headers["Content-Disposition"] == 'attachment; filename="fsma204-BL-IN-0001.csv"'
    rows = read_csv(response)
    # The split's other part (DH-2511-100B) is no lineage of the received lot: no row of it.
    check_received_chain(rows, world, houses, chain)


def test_the_dried_lot_has_the_same_chain_ending_in_its_drying(db, make_api, world, houses):
    chain = build_chain(make_api, world, houses)
    response = make_api(world.member_b).get(f"/api/v1/lots/{chain.dried['id']}/fsma204.csv")
    assert response.headers["Content-Disposition"] == 'attachment; filename="fsma204-BL-SAY-0001.csv"'
    check_received_chain(read_csv(response), world, houses, chain)


def test_the_harvest_lot_sees_every_lot_it_went_into(db, make_api, world, houses):
    chain = build_chain(make_api, world, houses)
    rows = read_csv(make_api(world.member_a).get(f"/api/v1/lots/{chain.harvest['id']}/fsma204.csv"))
    a, b = world.product_a, world.product_b
    assert ctes(rows) == [
        ("Harvesting", tlc(a, "DH-2511-100")),
        ("Initial Packing", tlc(a, "DH-2511-100")),
        ("Transformation", tlc(a, "DH-2511-100A")),
        ("Transformation", tlc(a, "DH-2511-100B")),
        ("Shipping", tlc(a, "DH-2511-100A")),
        ("Receiving", tlc(a, "BL-IN-0001")),
        ("Transformation", tlc(b, "BL-SAY-0001")),
    ]
    assert (
        rows[3]["Quantity"] == "400"
        and rows[3]["Input Traceability Lot Codes"] == rows[2]["Input Traceability Lot Codes"]
    )
    # The other part's own spreadsheet stops at the split: it never went to org B.
    part_b = chain.parts[1]
    assert part_b["code"] == "DH-2511-100B"
    rows_b = read_csv(make_api(world.member_a).get(f"/api/v1/lots/{part_b['id']}/fsma204.csv"))
    assert ctes(rows_b) == [
        ("Harvesting", tlc(a, "DH-2511-100")),
        ("Initial Packing", tlc(a, "DH-2511-100")),
        ("Transformation", tlc(a, "DH-2511-100B")),
    ]


def test_the_workbook_has_the_same_rows_and_is_sortable(db, make_api, world, houses):
    chain = build_chain(make_api, world, houses)
    b = make_api(world.member_b)
    csv_rows = read_csv(b.get(f"/api/v1/lots/{chain.received['id']}/fsma204.csv"))
    response = b.get(f"/api/v1/lots/{chain.received['id']}/fsma204.xlsx")
    assert response.headers["Content-Disposition"] == 'attachment; filename="fsma204-BL-IN-0001.xlsx"'
    sheet = open_sheet(response)
    assert sheet_as_csv(sheet) == csv_rows
    assert sheet.max_row == 1 + 6
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:P7"
    assert all(c.font.b for c in sheet[1])
    assert not sheet["A2"].font.b
    # Dates are date cells, quantities numbers, so that the sheet sorts them as such.
    date_col, harvest_col, quantity_col = "H", "O", "E"
    assert sheet[f"{date_col}2"].is_date and sheet[f"{date_col}2"].value.date() == dt.date.fromisoformat(
        chain.harvest["harvest_date"]
    )
    assert sheet[f"{harvest_col}2"].is_date and sheet[f"{harvest_col}2"].number_format == "yyyy-mm-dd"
    assert sheet[f"{harvest_col}4"].value is None  # not applicable to a transformation
    assert sheet[f"{quantity_col}2"].data_type == "n" and sheet[f"{quantity_col}2"].value == 1200
    assert sheet.column_dimensions["B"].width >= 30 and sheet.column_dimensions["H"].width >= 10


def test_only_who_sees_the_lot_downloads_it_and_the_department_sees_all(db, make_api, world, houses, client):
    chain = build_chain(make_api, world, houses)
    a, b = make_api(world.member_a), make_api(world.member_b)
    for ext in ("csv", "xlsx"):
        # Org B's lots came from org A's, but org A may not read org B's records, nor B A's.
        assert a.get(f"/api/v1/lots/{chain.received['id']}/fsma204.{ext}").status_code == 404
        assert b.get(f"/api/v1/lots/{chain.harvest['id']}/fsma204.{ext}").status_code == 404
        assert a.get(f"/api/v1/lots/999999/fsma204.{ext}").status_code == 404
        assert client.get(f"/api/v1/lots/{chain.harvest['id']}/fsma204.{ext}").status_code == 401
    auditor = make_api(world.auditor)
    for lot in (chain.harvest, chain.received, chain.dried):
        assert auditor.get(f"/api/v1/lots/{lot['id']}/fsma204.xlsx").status_code == 200
    check_received_chain(read_csv(auditor.get(f"/api/v1/lots/{chain.dried['id']}/fsma204.csv")), world, houses, chain)


def test_the_downloads_are_in_the_api_description(client):
    paths = client.get("/api/openapi.json").json["paths"]
    assert "text/csv" in paths["/api/v1/lots/{lot_id}/fsma204.csv"]["get"]["responses"]["200"]["content"]
    assert "/api/v1/lots/{lot_id}/fsma204.xlsx" in paths
