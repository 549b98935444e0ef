import pytest

from registry.core import validators as v


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("09506000134352", "09506000134352"),  # the standard's example
        ("9520123456788", "09520123456788"),  # EAN-13 as printed under a barcode
        ("0952 0123 4567 88", "09520123456788"),
        ("96385074", "00000096385074"),  # GTIN-8
    ],
)
def test_gtin_accepted_and_widened_to_14(raw, expected):
    assert v.gtin14(raw) == expected


@pytest.mark.parametrize("raw", ["09506000134353", "12345", "0950600013435X", "", "123456789012345"])
def test_gtin_refused(raw):
    with pytest.raises(v.FieldError):
        v.gtin14(raw)


def test_wrong_check_digit_message_names_the_right_digit(app):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        with pytest.raises(v.FieldError) as exc:
            v.gtin14("09506000134353")
        assert "should be 2" in str(exc.value.message)


@pytest.mark.parametrize("code", ["DH-2025-001", "A", "lot/7.b_(x)", "!\"%&'()*+,-./:;<=>?_", "X" * 20])
def test_lot_code_accepts_cset82(code):
    assert v.lot_code(code) == code


@pytest.mark.parametrize("code", ["Lô-01", "LOT 01", "X" * 21, "", "  ", "LOT#1", "LOT@1", "ĐH-01"])
def test_lot_code_refuses_outside_cset82(code):
    with pytest.raises(v.FieldError):
        v.lot_code(code)


def test_area_code_kept_as_issued_but_trimmed_and_upper_cased():
    assert v.area_code_as_issued("  vn-ptto-0101 ") == "VN-PTTO-0101"
    with pytest.raises(v.FieldError):
        v.area_code_as_issued("12-34")
    with pytest.raises(v.FieldError):
        v.area_code_as_issued("VN 25 0101")


def test_tax_code():
    assert v.tax_code("2600100011") == "2600100011"
    assert v.tax_code("2600100011-001") == "2600100011-001"
    with pytest.raises(v.FieldError):
        v.tax_code("26001")
