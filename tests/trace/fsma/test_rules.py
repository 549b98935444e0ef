"""The FSMA 204 rules: lot codes with and without GTIN, initial packing, sorting, partners' captured events,
and formula injection."""

from __future__ import annotations

import datetime as dt

import pytest

from registry.core.db import VN_TZ, today_in_vietnam
from tests.trace.conftest import lot_body
from tests.trace.fsma.helpers import ctes, open_sheet, read_csv
from tests.trace.lots.chain import build_chain
from trace.fsma.files import csv_cell

CONTEXT = ["https://ref.gs1.org/standards/epcis/epcis-context.jsonld"]
HOUSE_A = "Nhà đóng gói Chí Đám, Xã Chí Đám, Phú Thọ, Viet Nam (code VN-25-07999-DG001)"


def created(response):
    assert response.status_code in (200, 201), response.json
    return response.json


def sheet(api, lot, ext="csv"):
    response = api.get(f"/api/v1/lots/{lot['id']}/fsma204.{ext}")
    return read_csv(response) if ext == "csv" else open_sheet(response)


def test_lot_codes_with_and_without_gtin_units_and_the_source_of_a_code(db, make_api, world, houses):
    a = make_api(world.member_a)
    plain = created(
        a.post(
            "/api/v1/lots",
            json=lot_body(world, code="KG-01", product_id=world.product_a_no_gtin.id, quantity="1.25", unit="TNE",
                          packing_house_id=houses.active_a.id),
        )
    )  # fmt: skip
    row, packing = sheet(a, plain)  # recorded at a packing house: harvested, then packed there
    assert ctes([row, packing]) == [("Harvesting", "KG-01"), ("Initial Packing", "KG-01")]  # no GTIN: the code
    assert row["Product Description"] == f"{world.product_a_no_gtin.name} (Pomelo)"
    assert (row["Quantity"], row["Unit of Measure"]) == ("1.25", "t")
    # Coded at the packing house it was recorded at; harvested in the area.
    assert row["Traceability Lot Code Source"] == packing["Traceability Lot Code Source"] == HOUSE_A
    assert (
        row["Location Description"].startswith(world.area_a.name) and world.area_a.code in row["Location Description"]
    )
    assert packing["Location Description"] == HOUSE_A
    pieces = created(a.post("/api/v1/lots", json=lot_body(world, code="QU-01", quantity="300", unit="H87")))
    (row,) = sheet(a, pieces)
    assert row["Traceability Lot Code"] == f"(01){world.product_a.gtin}(10)QU-01"
    assert len(world.product_a.gtin) == 14
    assert (row["Quantity"], row["Unit of Measure"]) == ("300", "pieces")
    assert row["Traceability Lot Code Source"].startswith(world.area_a.name)


def test_initial_packing_is_the_first_packing_of_a_raw_commodity_only(db, make_api, world, houses):
    a = make_api(world.member_a)
    lot = created(a.post("/api/v1/lots", json=lot_body(world, code="IP-1")))
    (part,) = created(
        a.post(f"/api/v1/lots/{lot['id']}/split", json={"parts": [{"code": "IP-1A", "quantity": "500"}]})
    )["lots"]
    for _ in range(2):  # packed twice: the second keeps the code and is no CTE
        created(a.post(f"/api/v1/lots/{part['id']}/pack", json={"packing_house_id": houses.active_a.id}))
    (dried,) = created(
        a.post(
            "/api/v1/transformations",
            json={"inputs": [{"lot_id": part["id"], "quantity": "400"}],
                  "outputs": [{"code": "IP-1D", "product_id": world.product_a.id, "quantity": "80", "unit": "KGM"}]},
        )
    )["outputs"]  # fmt: skip
    created(a.post(f"/api/v1/lots/{dried['id']}/pack", json={"packing_house_id": houses.active_a.id}))
    gtin = world.product_a.gtin
    rows = sheet(a, part)
    assert ctes(rows) == [
        ("Harvesting", f"(01){gtin}(10)IP-1"),
        ("Transformation", f"(01){gtin}(10)IP-1A"),  # split before packing: the part is still unpacked produce
        ("Initial Packing", f"(01){gtin}(10)IP-1A"),
        ("Transformation", f"(01){gtin}(10)IP-1D"),  # a dried product's packing is no initial packing
    ]
    packing = rows[2]
    assert packing["Location Description"] == HOUSE_A and packing["Quantity"] == "500"
    assert (packing["Harvest Date"], packing["Field/Growing Area"]) == (lot["harvest_date"], world.area_a.code)


def test_rows_sort_by_time_then_lot_code_and_show_viet_nam_time(db, make_api, world, houses):
    a = make_api(world.member_a)
    lot = created(a.post("/api/v1/lots", json=lot_body(world, code="SO-1")))
    created(
        a.post(
            f"/api/v1/lots/{lot['id']}/split",
            json={"parts": [{"code": "SO-1Z", "quantity": "100"}, {"code": "SO-1B", "quantity": "100"}]},
        )
    )
    # Recorded after the split, but packed yesterday at 01:05 UTC: 08:05 in Viet Nam.
    yesterday = today_in_vietnam() - dt.timedelta(days=1)
    packed_at = dt.datetime.combine(yesterday, dt.time(1, 5), tzinfo=dt.UTC).isoformat()
    created(
        a.post(f"/api/v1/lots/{lot['id']}/pack", json={"packing_house_id": houses.active_a.id, "packed_at": packed_at})
    )
    rows = sheet(a, lot)
    gtin = world.product_a.gtin
    assert ctes(rows) == [
        ("Harvesting", f"(01){gtin}(10)SO-1"),
        ("Initial Packing", f"(01){gtin}(10)SO-1"),
        ("Transformation", f"(01){gtin}(10)SO-1B"),
        ("Transformation", f"(01){gtin}(10)SO-1Z"),
    ]
    assert (rows[1]["Date"], rows[1]["Time"]) == (yesterday.isoformat(), "08:05+07:00")
    assert rows[0]["Date"] == lot["harvest_date"] and rows[0]["Time"] == "00:00+07:00"


def test_partners_captured_events_count_by_their_step(db, make_api, world, houses):
    chain = build_chain(make_api, world, houses)
    a = make_api(world.member_a)
    part_b = chain.parts[1]
    now = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(seconds=1)  # after the chain
    new_york = dt.timezone(-dt.timedelta(hours=5))

    def event(minutes, **body):
        when = (now + dt.timedelta(minutes=minutes)).astimezone(new_york)
        return {"@context": CONTEXT, "eventTime": when.isoformat(), "eventTimeZoneOffset": "-05:00", **body}

    cooled = event(
        0, type="ObjectEvent", action="OBSERVE", bizStep="https://partner.example/steps/cooling",
        quantityList=[{"epcClass": part_b["label_uri"], "quantity": 400, "uom": "KGM"}],
        readPoint={"id": "urn:epc:id:sgln:0614141.00777.1"},
    )  # fmt: skip
    shipped = event(
        1, type="ObjectEvent", action="OBSERVE", bizStep="shipping",
        quantityList=[{"epcClass": part_b["label_uri"], "quantity": 400, "uom": "KGM"}],
        bizLocation={"id": "urn:epc:id:sgln:0614141.00777.0"},
        destinationList=[{"type": "location", "destination": "urn:epc:id:sgln:0614141.00888.0"},
                         {"type": "owning_party", "destination": "urn:epc:id:pgln:0614141.00001"}],
        bizTransactionList=[{"type": "bol", "bizTransaction": "urn:epcglobal:cbv:bt:0614141000005:BOL-77"}],
    )  # fmt: skip
    inspected = event(
        2, type="ObjectEvent", action="OBSERVE", bizStep="inspecting",
        quantityList=[{"epcClass": part_b["label_uri"], "quantity": 400, "uom": "KGM"}],
    )  # fmt: skip
    cut = event(
        3, type="TransformationEvent", bizStep="commissioning",
        inputQuantityList=[{"epcClass": part_b["label_uri"], "quantity": 300, "uom": "KGM"}],
        outputQuantityList=[{"epcClass": "https://id.gs1.org/01/00614141999996/10/US-77", "quantity": 250.5,
                             "uom": "KGM"}],
    )  # fmt: skip
    for body in (cooled, shipped, inspected, cut):
        assert a.post("/api/v1/epcis/capture", json=body).status_code == 201
    rows = sheet(a, part_b)
    gtin = world.product_a.gtin
    assert ctes(rows) == [
        ("Harvesting", f"(01){gtin}(10)DH-2511-100"),
        ("Initial Packing", f"(01){gtin}(10)DH-2511-100"),
        ("Transformation", f"(01){gtin}(10)DH-2511-100B"),
        ("Cooling", f"(01){gtin}(10)DH-2511-100B"),
        ("Shipping", f"(01){gtin}(10)DH-2511-100B"),  # the inspection is no CTE: left out
        ("Transformation", "(01)00614141999996(10)US-77"),
    ]
    cooling, ship, made = rows[3:]
    assert cooling["Location Description"] == "urn:epc:id:sgln:0614141.00777.1"
    assert cooling["Immediate Subsequent Recipient"] == cooling["Reference Document Number"] == ""
    local = (now + dt.timedelta(minutes=1)).astimezone(VN_TZ)
    assert (ship["Date"], ship["Time"]) == (local.date().isoformat(), local.strftime("%H:%M") + "+07:00")
    assert ship["Location Description"] == "urn:epc:id:sgln:0614141.00777.0"
    assert ship["Immediate Subsequent Recipient"] == "urn:epc:id:pgln:0614141.00001"
    assert (ship["Reference Document Type"], ship["Reference Document Number"]) == (
        "Bill of lading", "urn:epcglobal:cbv:bt:0614141000005:BOL-77",
    )  # fmt: skip
    assert (ship["Quantity"], ship["Traceability Lot Code Source"]) == ("400", HOUSE_A)
    assert made["Input Traceability Lot Codes"] == f"(01){gtin}(10)DH-2511-100B (300 kg)"
    assert (made["Quantity"], made["Unit of Measure"], made["Product Description"]) == ("250.5", "kg", "")


@pytest.mark.parametrize("first", ["=", "+", "-", "@", "\t", "\r", "＝"])
def test_a_cell_that_would_run_as_a_formula_gets_an_apostrophe(first):
    assert csv_cell(f"{first}1+1") == f"'{first}1+1"


@pytest.mark.parametrize("value", ["A-1", "(01)09520120000007(10)-A1", "Bưởi = ngon", " =1", ""])
def test_other_text_is_left_as_it_is(value):
    assert csv_cell(value) == value


def test_formula_injection_in_a_product_name_a_lot_code_and_a_receiver(db, make_api, world):
    a = make_api(world.member_a)
    name = '=HYPERLINK("http://evil.example","x")'
    product = created(a.post("/api/v1/products", json={"name": name, "crop": "pomelo"}))
    assert product["name"] == name and product["gtin"] is None
    lot = created(a.post("/api/v1/lots", json=lot_body(world, code="-A1", product_id=product["id"])))
    created(
        a.post(
            f"/api/v1/lots/{lot['id']}/shipments",
            json={"quantity": "100", "receiver_name": "@Fresh Imports LLC", "document_type": "bill_of_lading",
                  "document_number": "+BL-9"},
        )
    )  # fmt: skip
    response = a.get(f"/api/v1/lots/{lot['id']}/fsma204.csv")
    assert response.headers["Content-Disposition"] == 'attachment; filename="fsma204--A1.csv"'
    # RFC 4180: the quotes inside the name are doubled, the cell quoted.
    assert '"\'=HYPERLINK(""http://evil.example"",""x"") (Pomelo)"' in response.get_data(as_text=True)
    harvest, ship = read_csv(response)
    assert harvest["Traceability Lot Code"] == "'-A1"
    assert harvest["Product Description"] == f"'{name} (Pomelo)"
    assert ship["Immediate Subsequent Recipient"] == "'@Fresh Imports LLC"
    assert (ship["Reference Document Type"], ship["Reference Document Number"]) == ("Bill of lading", "'+BL-9")
    # The workbook keeps the exact text, as text (never a formula), flagged like a typed apostrophe.
    book = sheet(a, lot, "xlsx")
    code, product_cell = book["B2"], book["D2"]
    assert (code.value, code.data_type, code.quotePrefix) == ("-A1", "s", True)
    assert (product_cell.value, product_cell.data_type, product_cell.quotePrefix) == (f"{name} (Pomelo)", "s", True)
    assert (book["K3"].value, book["K3"].quotePrefix) == ("@Fresh Imports LLC", True)
    assert (book["A2"].value, book["A2"].quotePrefix) == ("Harvesting", False)


def test_a_lot_code_with_characters_unsafe_in_a_file_name(db, make_api, world):
    a = make_api(world.member_a)
    lot = created(a.post("/api/v1/lots", json=lot_body(world, code='DH/25"1')))
    response = a.get(f"/api/v1/lots/{lot['id']}/fsma204.xlsx")
    assert response.headers["Content-Disposition"] == 'attachment; filename="fsma204-DH_25_1.xlsx"'
