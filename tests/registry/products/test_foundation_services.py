import pytest

from registry.core.errors import ValidationError
from registry.products import services


def test_gtin_is_unique_and_stored_as_14_digits(db, world):
    product = services.create_product(
        db.session, actor=world.member_a, name="Bưởi", crop="pomelo", gtin="9520123999995"
    )
    assert product.gtin == "09520123999995"
    with pytest.raises(ValidationError) as exc:
        services.create_product(db.session, actor=world.member_b, name="Khác", crop="pomelo", gtin=product.gtin)
    assert "gtin" in exc.value.errors
