"""Quantity plausibility (trace.lots.yields) and the number rules of NUMERIC(14, 3)."""

from decimal import Decimal

import pytest

from tests.trace.conftest import fresh_lot, lot_body, lot_count, patch
from trace.lots.yields import MAX_T_PER_HA


@pytest.fixture
def big_area(db, world):
    """The world's pomelo area, made 45 ha with no declared yield: ceiling 45 × 40 t × 1.5 = 2,700 t."""
    world.area_a.area_ha = Decimal("45")
    world.area_a.expected_yield_t = None
    world.area_a.average_yield_t = None
    db.session.commit()
    return world.area_a


def test_table_holds_the_documented_bounds():
    assert MAX_T_PER_HA["pomelo"] == 40 and MAX_T_PER_HA["tea"] == 25 and MAX_T_PER_HA["banana"] == 80


def test_a_billion_kg_from_45_ha_of_pomelo_is_refused_with_the_ceiling(db, make_api, world, big_area):
    body = lot_body(world, quantity="1000000000")
    en = make_api(world.member_a, "en").post("/api/v1/lots", json=body)
    vi = make_api(world.member_a, "vi").post("/api/v1/lots", json=body)
    assert en.status_code == vi.status_code == 422
    assert en.json["errors"]["quantity"] == [
        f"No harvest of the area {big_area.code} could reach 1,000,000,000 kg: the plausible ceiling for one lot "
        "is 2,700,000 kg (45 ha × 40 t/ha, a generous upper bound for Pomelo, × 1.5). Check the quantity and the unit."
    ]
    vi_message = vi.json["errors"]["quantity"][0]
    assert "mức tối đa hợp lý cho một lô là 2.700.000 kg" in vi_message
    assert vi_message.startswith(f"Không vụ thu hoạch nào của vùng {big_area.code}")
    assert lot_count(db) == 0


@pytest.mark.parametrize(
    ("quantity", "unit", "ok"),
    [
        ("2700000", "KGM", True),
        ("2700000.001", "KGM", False),
        ("2700", "TNE", True),
        ("2700.001", "TNE", False),
        ("13500000", "H87", True),  # 2,700,000 kg at 200 g a piece
        ("13500001", "H87", False),
    ],
)
def test_ceiling_per_unit(db, make_api, world, big_area, quantity, unit, ok):
    response = make_api(world.member_a, "en").post("/api/v1/lots", json=lot_body(world, quantity=quantity, unit=unit))
    assert response.status_code == (201 if ok else 422), response.json
    assert lot_count(db) == (1 if ok else 0)


def test_pieces_message_states_the_piece_weight(make_api, world, big_area):
    response = make_api(world.member_a, "en").post(
        "/api/v1/lots", json=lot_body(world, quantity="20000000", unit="H87")
    )
    message = response.json["errors"]["quantity"][0]
    assert "13,500,000 pieces" in message and "at 200 g a piece or more" in message


def test_declared_yield_sets_the_ceiling(db, make_api, world):
    world.area_a.expected_yield_t = Decimal("100")
    world.area_a.average_yield_t = Decimal("80")
    db.session.commit()
    api = make_api(world.member_a, "en")
    refused = api.post("/api/v1/lots", json=lot_body(world, quantity="150001"))
    assert refused.status_code == 422
    message = refused.json["errors"]["quantity"][0]
    assert "150,000 kg" in message and "1.5 times the area's declared yield of 100 t" in message
    assert api.post("/api/v1/lots", json=lot_body(world, quantity="150000")).status_code == 201
    assert lot_count(db) == 1


@pytest.mark.parametrize("quantity", ["1e20", "1E+11", "Infinity", "NaN", "0.0000001", "1.0001"])
def test_numbers_numeric_14_3_cannot_keep_are_refused(db, make_api, world, quantity):
    response = make_api(world.member_a, "en").post("/api/v1/lots", json=lot_body(world, quantity=quantity))
    assert response.status_code == 422, response.json
    assert "quantity" in response.json["errors"]
    assert lot_count(db) == 0


def test_small_and_fine_quantities(make_api, world):
    response = make_api(world.member_a, "en").post("/api/v1/lots", json=lot_body(world, quantity="0.001"))
    assert response.status_code == 201 and response.json["quantity"] == "0.001"
    too_fine = make_api(world.member_a, "en").post(
        "/api/v1/lots", json=lot_body(world, code="X2", quantity="0.0000001")
    )
    assert too_fine.json["errors"]["quantity"] == ["Use at most 3 decimal places."]


def test_correction_is_checked_against_the_ceiling(db, make_api, world, lot_a):
    api = make_api(world.member_a, "en")
    # The world's area is 12.5 ha of pomelo: 750 t at most; 1200 kg read as tonnes is too much.
    as_tonnes = patch(api, f"/api/v1/lots/{lot_a['id']}", {"unit": "TNE"})
    assert as_tonnes.status_code == 422
    assert "750 tonnes" in as_tonnes.json["errors"]["quantity"][0]
    huge = patch(api, f"/api/v1/lots/{lot_a['id']}", {"quantity": "1e9"})
    assert huge.status_code == 422 and "750,000 kg" in huge.json["errors"]["quantity"][0]
    lot = fresh_lot(db, lot_a["id"])
    assert (lot.quantity, lot.unit.value) == (Decimal("1200"), "KGM")


def test_form_refuses_an_implausible_quantity(db, world, big_area, login):
    from tests.conftest import csrf_token

    client = login(world.member_a.email)
    page = client.get("/lots/new")
    response = client.post("/lots/new", data={**lot_body(world, quantity="1e9"), "csrf_token": csrf_token(page)})
    assert response.status_code == 422
    assert "2.700.000 kg" in response.get_data(as_text=True)
    assert lot_count(db) == 0
